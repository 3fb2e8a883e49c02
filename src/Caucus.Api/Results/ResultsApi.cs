using Caucus.Api.Auth;
using Caucus.Api.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Caucus.Api.Results;

/// <summary>GET /api/v1/results/access: <see cref="Public"/> when results are readable without a token.</summary>
public sealed record ResultsAccess(bool Public);

public static class ResultsApi
{
    /// <summary>
    /// GET /api/v1/results and /api/v1/results/counties/{county}. Reads never touch the database: they copy
    /// the current snapshot's bytes, with ETag = version and 304 on If-None-Match.
    /// </summary>
    public static RouteGroupBuilder MapResults(this RouteGroupBuilder group)
    {
        group.RequireAuthorization(Policies.Read).WithTags("Results");
        group.MapGet("", Statewide).WithSummary("Statewide popular vote and SDEs.")
            .Produces<ResultsDocument>().Produces(StatusCodes.Status304NotModified);
        // Anonymous, so a page can ask before it asks anyone for a token (the demo's war room opens without one).
        group.MapGet("/access", (CaucusOptions options) => TypedResults.Ok(new ResultsAccess(options.PublicResults))).AllowAnonymous()
            .WithSummary("Whether results are readable without a token (Caucus:PublicResults, on in the demo).");
        group.MapGet("/counties/{county}", County).WithSummary("One county's popular vote and SDEs.")
            .Produces<ResultsDocument>().Produces(StatusCodes.Status304NotModified);
        return group;
    }

    private static Results<FileContentHttpResult, StatusCodeHttpResult> Statewide(HttpContext context, ResultsState state)
    {
        var snapshot = state.Current;
        return NotModified(context, snapshot) ? TypedResults.StatusCode(StatusCodes.Status304NotModified) : Json(snapshot.StatewideJson);
    }

    private static Results<FileContentHttpResult, StatusCodeHttpResult, NotFound<ProblemDetails>> County(string county, HttpContext context, ResultsState state)
    {
        var snapshot = state.WithCounties;
        var bytes = snapshot.CountyJson(county);
        if (bytes is null)
        {
            return TypedResults.NotFound(new ProblemDetails { Status = 404, Title = "Unknown county", Detail = $"No county is named '{county}'." });
        }
        return NotModified(context, snapshot) ? TypedResults.StatusCode(StatusCodes.Status304NotModified) : Json(bytes);
    }

    private static FileContentHttpResult Json(byte[] json) => TypedResults.Bytes(json, "application/json");

    /// <summary>Sets the snapshot's ETag (and a public document's Cache-Control) and says whether the client already holds this version.</summary>
    private static bool NotModified(HttpContext context, ResultsSnapshot snapshot) => ETags.NotModified(context, snapshot.ETag, publicDocument: true);
}
