using System.Collections.Immutable;
using Caucus.Core.Model;
using Caucus.Core.Projection;
using Caucus.Core.Rules;

namespace Caucus.Core.Simulation;

/// <summary>
/// A made-up caucus night for any election folder and rule set: every precinct's true report, as the
/// <see cref="PublishedReport"/>s a replay plays (the demo, the backtest), from a seed. Each report is what the rule set's
/// form asks for (<see cref="ReportForm"/>): two alignments with the non-viable groups realigned by the rule set's
/// viability threshold; the early vote where the form has one; one round of votes with a few blank ballots when the form
/// counts once; the suggested names, new subcaucuses and second spellings when its groups are open. One
/// <see cref="Region"/> leans to one group (<see cref="LeaningGroup"/>), so a projection has something to find when that
/// region reports first; ties go to the rule set's game of chance, whose outcome each report records as
/// <see cref="PublishedReport.TieOutcome"/>.
/// </summary>
/// <param name="Region">The district that leans (a county where the folder has one district).</param>
/// <param name="NewGroups">The names reports give that are not the election's candidates (open groups only).</param>
public sealed record SyntheticNight(ulong Seed, ImmutableArray<PublishedReport> Reports, string Region, string LeaningGroup, ImmutableArray<string> NewGroups)
{
    /// <summary>How far the region leans: the leaning group's log share is this much higher there (about +8 points of a 30% group).</summary>
    public const double RegionalLean = 0.4;

    private const double StrengthStep = 0.25;
    private const double CountySpread = 0.12;
    private const double PrecinctSpread = 0.35;
    private const double OpenGroupWeight = -0.6;

    /// <summary>Each precinct's report with the game of chance held, as the backtest scores the final night.</summary>
    public ImmutableDictionary<string, Tally> Final =>
        Reports.ToImmutableDictionary(r => r.Precinct.Id, r => r.TieOutcome is { } o ? r.Tally.WithTieBreaks([o]) : r.Tally, StringComparer.Ordinal);

    /// <param name="openGroups">False to keep an open-group form to the suggested names (the projection's backtest scores the candidates only).</param>
    public static SyntheticNight Generate(Election election, ulong seed, bool openGroups = true)
    {
        ArgumentNullException.ThrowIfNull(election);
        var rules = election.RuleSet;
        var form = rules.Form;
        var rng = new Xoshiro256(seed, stream: 0x6e69676874);
        var candidates = election.Candidates;
        // A race, not a landslide: the groups in a random order of strength, each about four fifths of the one before
        // (Iowa 2020's twelve give about 23, 18, 14, 11% …), whatever order the folder lists them in.
        var strength = Enumerable.Range(0, candidates.Length).ToArray();
        for (var i = strength.Length - 1; i > 0; i--)
        {
            var j = rng.NextInt(i + 1);
            (strength[i], strength[j]) = (strength[j], strength[i]);
        }
        var baseShare = strength.Select(rank => -StrengthStep * rank + 0.15 * rng.NextGaussian()).ToArray();
        // The lean goes to the second strongest group statewide: a region that moves the race, not the leader's landslide.
        var leaning = candidates.Length < 2 ? 0 : Array.IndexOf(baseShare, baseShare.OrderDescending().ElementAt(1));
        var counties = election.Counties.Where(c => !c.IsSatelliteCounty).ToList();
        var districts = counties.Select(c => c.District).Distinct(StringComparer.Ordinal).ToList();
        var byDistrict = districts.Count > 1;
        var areas = byDistrict ? districts : counties.Select(c => c.Name).ToList();
        var region = areas.Count == 0 ? "" : areas[rng.NextInt(areas.Count)];
        var countyEffect = election.Counties.ToDictionary(c => c.Name,
            c => baseShare.Select((b, i) => b + CountySpread * rng.NextGaussian()
                + (i == leaning && !c.IsSatelliteCounty && (byDistrict ? c.District : c.Name) == region ? RegionalLean : 0)).ToArray(),
            StringComparer.Ordinal);

        var reports = ImmutableArray.CreateBuilder<PublishedReport>(election.Precincts.Length);
        var newGroups = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var precinct in election.Precincts)
        {
            var names = form.OpenGroups && openGroups ? OpenGroupNames.ForPrecinct(ref rng, candidates) : [.. candidates];
            var effect = countyEffect[precinct.County];
            var weights = names.Select((_, i) => Math.Exp((i < effect.Length ? effect[i] : OpenGroupWeight) + PrecinctSpread * rng.NextGaussian())).ToArray();
            var people = Turnout.Attendance(ref rng, precinct, rules.Plausibility);
            var tally = form.OneRound ? Ballots(ref rng, names, weights, people) : TwoAlignments(ref rng, rules, precinct.Delegates, names, weights, people);
            newGroups.UnionWith(tally.Groups.Where(g => !candidates.Contains(g)));
            reports.Add(new PublishedReport(precinct, tally, TieOutcomes.Hold(ref rng, rules, precinct.Delegates, tally)));
        }
        return new SyntheticNight(seed, reports.MoveToImmutable(), region, candidates.Length == 0 ? "" : candidates[leaning], [.. newGroups]);
    }

    /// <summary>One round: each ballot is a vote, a few are blank (cast, so in the attendance, but for no one).</summary>
    private static Tally Ballots(ref Xoshiro256 rng, List<string> names, double[] weights, int ballots)
    {
        var blank = rng.NextInt(Math.Max(1, ballots / 50) + 1);
        var votes = Alignments.Split(Math.Max(0, ballots - blank), weights);
        var counts = Counts(names, votes);
        return Tally.Create(Math.Max(ballots, (int)counts.Sum(c => (long)c.Value)), counts, counts);
    }

    /// <summary>
    /// The first alignment from the weights (in person, beside the early vote where the form has one); the final after
    /// realignment, viability judged on the count as the rule set counts it (with the early vote merged in).
    /// </summary>
    private static Tally TwoAlignments(ref Xoshiro256 rng, IRuleSet rules, int delegates, List<string> names, double[] weights, int people)
    {
        var early = ImmutableArray<EarlyRanking>.Empty;
        if (rules.Form.EarlyVote is { } earlyForm && people > 1)
        {
            var cards = (int)(people * (0.15 + 0.25 * rng.NextDouble()));
            early = EarlyCards.Draw(ref rng, cards, earlyForm, names, weights);
            people -= cards;
        }
        var first = Alignments.Split(people, weights);
        var firstCounts = Counts(names, first);
        var inPerson = Tally.Create(first.Sum(), firstCounts, firstCounts) with { Early = early };
        var counted = rules.Count(delegates, inPerson).Tally;
        var threshold = rules.ViabilityThreshold(delegates, counted.Attendees);
        var viable = names.Select(n => counted.FirstOf(n) > 0 && counted.FirstOf(n) >= threshold).ToArray();
        var final = Alignments.Realign(ref rng, first, viable);
        return inPerson with { Final = Counts(names, final).ToImmutableSortedDictionary(StringComparer.Ordinal) };
    }

    private static List<KeyValuePair<string, int>> Counts(List<string> names, int[] counts) =>
        [.. names.Select((n, i) => KeyValuePair.Create(n, counts[i])).Where(c => c.Value > 0)];
}
