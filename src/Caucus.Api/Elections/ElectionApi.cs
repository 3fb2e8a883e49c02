using Caucus.Core.Model;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Caucus.Api.Elections;

public sealed record ElectionDocument(string Id, string Name, string RuleSet, Caucus.Core.Rules.SatelliteWeighting SatelliteWeighting,
    IReadOnlyList<string> Candidates, int Counties, int Precincts, int Satellites);

public static class ElectionApi
{
    /// <summary>GET /api/v1/election — public: which election, rule set and groups this service counts.</summary>
    public static RouteGroupBuilder MapElection(this RouteGroupBuilder group)
    {
        group.WithTags("Election");
        group.MapGet("", Get).AllowAnonymous().WithSummary("The election: name, rule set, candidates, counts.");
        return group;
    }

    private static Ok<ElectionDocument> Get(Election election) => TypedResults.Ok(new ElectionDocument(
        election.Id, election.Name, election.RuleSet.Name, election.RuleSet.SatelliteWeighting,
        election.Candidates,
        election.Counties.Count(c => !c.IsSatelliteCounty),
        election.Precincts.Count(p => p.Kind == PrecinctKind.Precinct),
        election.Precincts.Count(p => p.Kind == PrecinctKind.Satellite)));
}
