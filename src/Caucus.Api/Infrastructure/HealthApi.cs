using Caucus.Api.Results;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Caucus.Api.Infrastructure;

public sealed record Health(string Status, long Version, int Reporting);

public static class HealthApi
{
    /// <summary>GET /healthz: 200 once the results are rebuilt from the store.</summary>
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", Get).AllowAnonymous().WithTags("Health");
        return app;
    }

    private static Results<Ok<Health>, JsonHttpResult<Health>> Get(RevisionFollower follower, ResultsState state) =>
        follower.Ready
            ? TypedResults.Ok(new Health("ok", state.Current.Version, state.Current.Statewide.Precincts.Reporting))
            : TypedResults.Json(new Health("starting", 0, 0), statusCode: StatusCodes.Status503ServiceUnavailable);
}
