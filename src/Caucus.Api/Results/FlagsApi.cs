using Caucus.Api.Auth;
using Caucus.Api.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Caucus.Api.Results;

public static class FlagsApi
{
    /// <summary>
    /// GET /api/v1/flags: the flagged precincts by name, from the current snapshot (no database); ETag = the version
    /// the flags were built at, and 304 on If-None-Match.
    /// </summary>
    public static RouteGroupBuilder MapFlags(this RouteGroupBuilder group)
    {
        group.RequireAuthorization(Policies.Read).WithTags("Flags");
        group.MapGet("", Get).WithSummary("Inconsistent precincts, pending tosses, double-entry mismatches and disagreeing sources.")
            .Produces<FlagsDocument>().Produces(StatusCodes.Status304NotModified);
        return group;
    }

    private static Results<Ok<FlagsDocument>, StatusCodeHttpResult> Get(ResultsState state, HttpContext context)
    {
        var flags = state.Flags();
        return ETags.NotModified(context, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"\"{flags.Version}\""), publicDocument: true)
            ? TypedResults.StatusCode(StatusCodes.Status304NotModified)
            : TypedResults.Ok(flags);
    }
}
