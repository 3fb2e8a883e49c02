namespace Caucus.Api.Infrastructure;

/// <summary>
/// `Caucus.Api.dll --healthcheck [url]`: the container's HEALTHCHECK. The ASP.NET runtime image has no
/// curl, so the service's own binary asks its /healthz and exits 0 (healthy) or 1.
/// </summary>
public static class HealthProbe
{
    public static async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var url = args.Length > 1 ? args[1] : "http://127.0.0.1:8080/healthz";
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
            using var response = await http.GetAsync(new Uri(url));
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return 1;
        }
    }
}
