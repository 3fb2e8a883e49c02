namespace Caucus.Api.Infrastructure;

/// <summary>
/// Precinct ids contain '/', so clients send them URL-encoded as one segment ("adair%2F1nw-adair").
/// The server leaves %2F encoded in the path; this middleware decodes route values named "id" once.
/// </summary>
public static class PrecinctIdRouting
{
    public static IApplicationBuilder UsePrecinctIdDecoding(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        if (context.Request.RouteValues.TryGetValue("id", out var value) && value is string id && id.Contains('%', StringComparison.Ordinal))
        {
            context.Request.RouteValues["id"] = Uri.UnescapeDataString(id);
        }
        return next(context);
    });
}
