using System.Text;
using Caucus.Api.Auth;
using Caucus.Api.Results;

namespace Caucus.Api.Stream;

public static class StreamApi
{
    /// <summary>GET /api/v1/stream: Server-Sent Events, a `results` event with the results document on each new version.</summary>
    public static RouteGroupBuilder MapStream(this RouteGroupBuilder group)
    {
        group.RequireAuthorization(Policies.Read).WithTags("Stream");
        group.MapGet("", Stream).WithSummary("Server-Sent Events: `results` on each new version.");
        return group;
    }

    private static async Task Stream(HttpContext context, ResultsState state, IHostApplicationLifetime lifetime)
    {
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers["X-Accel-Buffering"] = "no";
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        var body = context.Response.Body;
        var sent = -1L;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var snapshot = state.Current;
                if (snapshot.Version != sent)
                {
                    // Clients that fall behind get the latest version only: results documents are whole, not deltas.
                    await body.WriteAsync(Encoding.UTF8.GetBytes($"event: results\nid: {snapshot.Version}\ndata: "), stop.Token);
                    await body.WriteAsync(snapshot.StatewideJson, stop.Token);
                    await body.WriteAsync("\n\n"u8.ToArray(), stop.Token);
                    await body.FlushAsync(stop.Token);
                    sent = snapshot.Version;
                }
                var next = state.WaitForNewerAsync(sent, stop.Token);
                // A comment line every 15 s keeps proxies from closing an idle stream.
                if (await Task.WhenAny(next, Task.Delay(TimeSpan.FromSeconds(15), stop.Token)) != next)
                {
                    await body.WriteAsync(": keep-alive\n\n"u8.ToArray(), stop.Token);
                    await body.FlushAsync(stop.Token);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The client went away or the server is stopping.
        }
    }
}
