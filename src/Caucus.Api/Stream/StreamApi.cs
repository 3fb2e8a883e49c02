using System.Diagnostics;
using Caucus.Api.Auth;
using Caucus.Api.Infrastructure;
using Caucus.Api.Projection;
using Caucus.Api.Results;

namespace Caucus.Api.Stream;

public static class StreamApi
{
    /// <summary>The cycle of a listener's sends: about five a second at most; versions in between coalesce into the newest.</summary>
    private static readonly TimeSpan Cycle = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Listeners send on one of this many slots of the cycle, 50 ms apart: a new version is shown by the first of them
    /// within 50 ms, and the results snapshot, built when a slot reads a stale one, is built at most four times a cycle.
    /// </summary>
    private const int Slots = 4;

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

    /// <summary>
    /// The wait after a send: to this listener's next slot that is at least half a cycle away, so it never sends twice
    /// within 100 ms and, while versions keep coming, sends once a cycle on its slot.
    /// </summary>
    internal static TimeSpan UntilNextSlot(long slotTicks, long timestamp)
    {
        var now = Stopwatch.GetElapsedTime(0, timestamp).Ticks;
        var intoCycle = ((now - slotTicks) % Cycle.Ticks + Cycle.Ticks) % Cycle.Ticks;
        var wait = Cycle.Ticks - intoCycle;
        if (wait < Cycle.Ticks / 2) wait += Cycle.Ticks;
        return TimeSpan.FromTicks(wait);
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
        // Each listener sends on its own slot of the cycle. Were they all to wait a full cycle after each send, every
        // listener of an instance would wake, send and sleep in step: the fan-out would come in one lump every 200 ms and
        // a version counted just after the lump would wait ~200 ms for anyone to see it. Spread over the cycle, the
        // listeners' sends are even and the first of them shows a new version within a few milliseconds.
        var slot = Random.Shared.Next(Slots) * (Cycle.Ticks / Slots);
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
                    await Task.Delay(UntilNextSlot(slot, Stopwatch.GetTimestamp()), stop.Token);
                    continue;
                }

                if (state.Version != sentResults)
                {
                    // Newer results are counted, but the snapshot served is still within its maximum age: wait for it.
                    await Task.Delay(state.UntilFresh(), stop.Token);
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
