using Caucus.Api.Auth;
using Caucus.Api.Infrastructure;
using Caucus.Api.Projection;
using Caucus.Api.Results;

namespace Caucus.Api.Stream;

public static class StreamApi
{
    /// <summary>At most this many sends a second per listener: versions in between coalesce into the newest.</summary>
    private static readonly TimeSpan MinimumGap = TimeSpan.FromMilliseconds(200);

    private static readonly TimeSpan KeepAliveAfter = TimeSpan.FromSeconds(15);
    private static readonly byte[] KeepAlive = ": keep-alive\n\n"u8.ToArray();

    /// <summary>GET /api/v1/stream: Server-Sent Events, `results` (the results document) and `projection` as they move.</summary>
    public static RouteGroupBuilder MapStream(this RouteGroupBuilder group)
    {
        group.RequireAuthorization(Policies.Read).WithTags("Stream");
        group.MapGet("", Stream)
            .AddEndpointFilter((invocation, next) => invocation.HttpContext.RequestServices.GetRequiredService<StreamLimits>().HoldAsync(invocation, next))
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .WithSummary("Server-Sent Events: `results` on each new version and `projection` on each new projection, coalesced.");
        return group;
    }

    private static async Task Stream(HttpContext context, ResultsState state, ProjectionService projections, IHostApplicationLifetime lifetime,
        Infrastructure.CaucusMetrics metrics, RevokedCredentials revoked)
    {
        metrics.StreamListenerOpened();
        try
        {
            // A revoked credential's streams end at once (a public reader without a token has nothing to revoke).
            var credential = context.User.FindFirst(Roles.TokenIdClaim)?.Value is { } id ? revoked.Session(id) : CancellationToken.None;
            await StreamAsync(context, state, projections, lifetime, credential);
        }
        finally
        {
            metrics.StreamListenerClosed();
        }
    }

    private static async Task StreamAsync(HttpContext context, ResultsState state, ProjectionService projections, IHostApplicationLifetime lifetime,
        CancellationToken credential)
    {
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers["X-Accel-Buffering"] = "no";
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping, credential);
        var body = context.Response.Body;
        long sentResults = -1, sentProjection = -1;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                // Listeners that fall behind get the latest version only: documents are whole, not deltas.
                var snapshot = state.Current;
                var sent = false;
                if (snapshot.Version != sentResults)
                {
                    await body.WriteAsync(snapshot.StatewideEvent, stop.Token);
                    sentResults = snapshot.Version;
                    sent = true;
                }
                if (projections.Current is { } projection && projection.BasedOnVersion != sentProjection && projections.CurrentEvent is { } projectionEvent)
                {
                    await body.WriteAsync(projectionEvent, stop.Token);
                    sentProjection = projection.BasedOnVersion;
                    sent = true;
                }
                if (sent)
                {
                    await body.FlushAsync(stop.Token);
                    await Task.Delay(MinimumGap, stop.Token);
                    continue;
                }

                if (state.Version != sentResults)
                {
                    // Newer results are counted, but the snapshot served is still within its maximum age: wait for it.
                    await Task.Delay(MinimumGap / 4, stop.Token);
                    continue;
                }

                // One round of waiting: for newer results, a newer projection, or 15 s of quiet (then a comment line keeps
                // proxies from closing an idle stream). The round's token ends the losing wait and the timer as soon as
                // the round is over: with thousands of listeners, waits and 15 s timers left behind on every version
                // would pile up (one per listener per version) until they expired.
                using (var round = CancellationTokenSource.CreateLinkedTokenSource(stop.Token))
                {
                    round.CancelAfter(KeepAliveAfter);
                    var woke = await Task.WhenAny(state.WaitForNewerAsync(sentResults, round.Token), projections.WaitForNewerAsync(sentProjection, round.Token));
                    await round.CancelAsync();
                    if (woke.IsCompletedSuccessfully || stop.IsCancellationRequested) continue;
                }
                await body.WriteAsync(KeepAlive, stop.Token);
                await body.FlushAsync(stop.Token);
            }
        }
        catch (OperationCanceledException)
        {
            // The client went away, the server is stopping, or the credential was revoked.
        }
    }
}
