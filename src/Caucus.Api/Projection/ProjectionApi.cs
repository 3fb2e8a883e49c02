using Caucus.Api.Auth;
using Caucus.Api.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Caucus.Api.Projection;

public static class ProjectionApi
{
    /// <summary>
    /// GET /api/v1/projection: the latest projection, computed off the request path (503 for the moment before the
    /// first). ETag = the results version served and the version projected, so a poller gets 304 until either moves.
    /// </summary>
    public static RouteGroupBuilder MapProjection(this RouteGroupBuilder group)
    {
        group.RequireAuthorization(Policies.Read).WithTags("Projection");
        group.MapGet("", Get).WithSummary("Projected final SDEs with 90% intervals, win probabilities, and the projected popular vote.")
            .Produces(StatusCodes.Status304NotModified)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return group;
    }

    private static Results<Ok<ProjectionDocument>, StatusCodeHttpResult, ProblemHttpResult> Get(ProjectionService projections, Results.ResultsState state,
        HttpContext context)
    {
        if (projections.Current is not { } current)
        {
            context.Response.Headers.RetryAfter = "1";
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Projection not ready",
                detail: "The first projection is being computed; try again in a second.");
        }
        var version = state.Version;
        var etag = $"\"{version}.{current.BasedOnVersion}\"";
        if (ETags.NotModified(context, etag, publicDocument: true))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }
        return TypedResults.Ok(current with { Version = version });
    }
}
