using Caucus.Api.Results;
using Caucus.Core.Aggregation;

namespace Caucus.Api.Export;

/// <summary>The NIST export of a one-round count (a secret ballot): votes per candidate, the statewide headline at the state.</summary>
public static partial class CdfReport
{
    /// <summary>
    /// One round of votes (a secret ballot): an ordinary <c>CandidateContest</c> whose counts are votes, <c>Type</c>
    /// "total" for every unit with a report; the headline, allocated statewide only, is one more count of the state
    /// ("other", the headline's name: "national-delegates"). <c>VoteVariation</c> stays "proportional": the delegates are
    /// allocated in proportion to the vote.
    /// </summary>
    private static CdfCandidateContest OneRoundContest(ExportView view)
    {
        var election = view.Election;
        var counts = election.Candidates.ToDictionary(c => c, _ => new List<CdfVoteCounts>(), StringComparer.Ordinal);
        void Totals(string unit, ResultsTotals totals)
        {
            if (totals.Reporting == 0 && unit != StateId) return;
            foreach (var c in totals.Candidates) counts[c.Name].Add(new(c.FinalAlignment, unit, "total", null));
        }
        Totals(StateId, view.Statewide);
        if (election.RuleSet.Headline.Statewide)
        {
            var headline = election.RuleSet.Headline.Name.ToLowerInvariant().Replace(' ', '-');
            foreach (var c in view.Statewide.Candidates) counts[c.Name].Add(Other(Sde(c.Sde), StateId, headline));
        }
        foreach (var district in election.Districts) Totals(DistrictId(district), view.Districts[district]);
        foreach (var county in election.Counties) Totals(CountyId(county.Name), view.Counties[county.Name]);
        foreach (var row in view.Precincts)
        {
            if (row.Counted is not { Result: var result }) continue;
            foreach (var (group, votes) in result.Tally.Final)
                if (counts.TryGetValue(group, out var list)) list.Add(new(votes, PrecinctId(row.Precinct), "total", null));
        }
        return new CdfCandidateContest(ContestIdOf(election.RuleSet.Headline), $"{election.Name}: {election.RuleSet.Headline.Name.ToLowerInvariant()}", StateId,
            VotesAllowed: 1, VoteVariation: "proportional", view.Statewide.Reporting, view.Statewide.Total,
            [.. election.Candidates.Select((c, i) => new CdfCandidateSelection(SelectionId(c), [CandidateId(c)], i + 1, counts[c]))]);
    }

    private static string OneRoundNotes(ExportView view) =>
        $"Caucus results version {view.Version}. One round of votes: vote counts of type total are votes per candidate"
        + (view.Election.RuleSet.Headline.Statewide
            ? $"; the state's count of type other, {view.Election.RuleSet.Headline.Name.ToLowerInvariant().Replace(' ', '-')}, is the statewide allocation on the current count (a unit elects none)."
            : ".");
}
