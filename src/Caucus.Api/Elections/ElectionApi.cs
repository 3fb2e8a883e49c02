using Caucus.Core.Model;
using Caucus.Core.Rules;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Caucus.Api.Elections;

/// <summary>
/// Which election this service counts. <c>headline</c> names the unit its results are headlined in (every <c>sde</c> field
/// of the API carries that unit: SDEs for Iowa 2020, county convention delegates for Nevada 2020); <c>form</c> is the rule
/// set's entry form, which the pages render (labels, early-vote cards, how a tie is recorded).
/// </summary>
public sealed record ElectionDocument(string Id, string Name, string RuleSet, Caucus.Core.Rules.SatelliteWeighting SatelliteWeighting,
    IReadOnlyList<string> Candidates, int Counties, int Precincts, int Satellites, HeadlineUnit Headline, ReportForm Form);

public static class ElectionApi
{
    /// <summary>GET /api/v1/election — public: which election, rule set and groups this service counts.</summary>
    public static RouteGroupBuilder MapElection(this RouteGroupBuilder group)
    {
        group.WithTags("Election");
        group.MapGet("", Get).AllowAnonymous().WithSummary("The election: name, rule set, candidates, counts, headline unit and entry form.");
        return group;
    }

    private static Ok<ElectionDocument> Get(Election election) => TypedResults.Ok(new ElectionDocument(
        election.Id, election.Name, election.RuleSet.Name, election.RuleSet.SatelliteWeighting,
        election.Candidates,
        election.Counties.Count(c => !c.IsSatelliteCounty),
        election.Precincts.Count(p => p.Kind == PrecinctKind.Precinct),
        election.Precincts.Count(p => p.Kind == PrecinctKind.Satellite),
        election.RuleSet.Headline, election.RuleSet.Form));
}
