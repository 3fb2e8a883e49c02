using Caucus.Api.Results;
using Caucus.Api.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Caucus.Api.Infrastructure;

public sealed record Health(string Status, long Version, int Reporting);

/// <summary>Readiness: what <see cref="Health"/> says, and whether the database answers.</summary>
public sealed record Readiness(string Status, long Version, int Reporting, bool Database);

public static class HealthApi
{
    /// <summary>How long readiness waits for the database's answer: a probe must not hang on a frozen server.</summary>
    private static readonly TimeSpan DatabaseProbeTimeout = TimeSpan.FromSeconds(1);

    /// <summary>
    /// GET /healthz (liveness): 200 once the results are rebuilt from the store, whatever the database does since, because
    /// reads are served from memory and restarting the process would not bring the database back.
    /// GET /readyz (readiness): 200 only when the results are loaded and the database answers (writes can be stored);
    /// a load balancer sends reports elsewhere while this says 503.
    /// </summary>
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", Get).AllowAnonymous().WithTags("Health");
        app.MapGet("/readyz", Ready).AllowAnonymous().WithTags("Health");
        return app;
    }

    private static Results<Ok<Health>, JsonHttpResult<Health>> Get(RevisionFollower follower, ResultsState state) =>
        follower.Ready
            ? TypedResults.Ok(new Health("ok", state.Current.Version, state.Current.Statewide.Precincts.Reporting))
            : TypedResults.Json(new Health("starting", 0, 0), statusCode: StatusCodes.Status503ServiceUnavailable);

    private static async Task<Results<Ok<Readiness>, JsonHttpResult<Readiness>>> Ready(RevisionFollower follower, ResultsState state, ICaucusStore store,
        CancellationToken cancellationToken)
    {
        if (!follower.Ready)
        {
            return TypedResults.Json(new Readiness("starting", 0, 0, Database: false), statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        bool database;
        using (var probe = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            probe.CancelAfter(DatabaseProbeTimeout);
            try
            {
                // Answered in time even when cancelling the round trip itself hangs (a frozen server does not take the cancel).
                database = await store.IsReachableAsync(probe.Token).WaitAsync(DatabaseProbeTimeout, cancellationToken);
            }
            catch (Exception e) when (e is TimeoutException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                database = false;
            }
        }

        var current = state.Current;
        var readiness = new Readiness(database ? "ready" : "database-unavailable", current.Version, current.Statewide.Precincts.Reporting, database);
        return database ? TypedResults.Ok(readiness) : TypedResults.Json(readiness, statusCode: StatusCodes.Status503ServiceUnavailable);
    }
}
