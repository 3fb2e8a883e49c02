using Caucus.Api.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Caucus.Api.Results;

public static class FlagsApi
{
    /// <summary>GET /api/v1/flags: the flagged precincts by name, from the current snapshot (no database).</summary>
    public static RouteGroupBuilder MapFlags(this RouteGroupBuilder group)
    {
        group.RequireAuthorization(Policies.Read).WithTags("Flags");
        group.MapGet("", Get).WithSummary("Inconsistent precincts, pending tosses, double-entry mismatches and disagreeing sources.")
            .Produces<FlagsDocument>();
        return group;
    }

    private static Ok<FlagsDocument> Get(ResultsState state) => TypedResults.Ok(state.Flags());
}
