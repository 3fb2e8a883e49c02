using Caucus.Api.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Caucus.Api.Results;

public static class ChangesApi
{
    /// <summary>
    /// GET /api/v1/changes?since={version}: the precincts whose reports changed since a version, for clients
    /// that poll (in the spirit of AP's nextrequest cursor). Versions survive restarts, so an old cursor stays
    /// valid; one older than the kept log answers <c>reload: true</c>.
    /// </summary>
    public static RouteGroupBuilder MapChanges(this RouteGroupBuilder group)
    {
        group.RequireAuthorization(Policies.Read).WithTags("Changes");
        group.MapGet("", Changes).WithSummary("Precincts whose reports changed since a version.");
        return group;
    }

    private static Ok<ChangesDocument> Changes(ResultsState state, long since = 0) => TypedResults.Ok(state.ChangesSince(since));
}
