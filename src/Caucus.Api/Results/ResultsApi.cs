using Caucus.Api.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace Caucus.Api.Results;

public static class ResultsApi
{
    /// <summary>
    /// GET /api/v1/results, /api/v1/results/counties/{county}, /api/v1/changes. Reads never touch the
    /// database: they copy the current snapshot's bytes, with ETag = version and 304 on If-None-Match.
    /// </summary>
    public static RouteGroupBuilder MapResults(this RouteGroupBuilder group)
    {
        group.RequireAuthorization(Policies.Read).WithTags("Results");
        group.MapGet("/results", Statewide).WithSummary("Statewide popular vote and SDEs.").Produces<ResultsDocument>();
        group.MapGet("/results/counties/{county}", County).WithSummary("One county's popular vote and SDEs.").Produces<ResultsDocument>();
        group.MapGet("/changes", Changes).WithSummary("Precincts whose counted report changed since a version (for polling clients).");
        return group;
    }

    private static IResult Statewide(HttpContext context, ResultsState state)
    {
        var snapshot = state.Current;
        return Serve(context, snapshot, snapshot.StatewideJson);
    }

    private static IResult County(string county, HttpContext context, ResultsState state)
    {
        var snapshot = state.Current;
        var bytes = snapshot.CountyJson(county);
        return bytes is null
            ? TypedResults.NotFound(new ProblemDetails { Status = 404, Title = "Unknown county", Detail = $"No county is named '{county}'." })
            : Serve(context, snapshot, bytes);
    }

    private static Ok<ChangesDocument> Changes(ResultsState state, long since = 0) => TypedResults.Ok(state.ChangesSince(since));

    private static IResult Serve(HttpContext context, ResultsSnapshot snapshot, byte[] json)
    {
        context.Response.Headers.ETag = snapshot.ETag;
        context.Response.Headers.CacheControl = "no-cache";
        var ifNoneMatch = context.Request.Headers.IfNoneMatch;
        if (ifNoneMatch.Count > 0 && EntityTagHeaderValue.TryParseList(ifNoneMatch, out var tags)
            && tags.Any(t => t.Tag == snapshot.ETag || t.Tag == "*"))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }
        return TypedResults.Bytes(json, "application/json");
    }
}
