using System.Collections.Immutable;
using Caucus.Core.Allocation;
using Caucus.Core.Model;
using Caucus.Core.Validation;

namespace Caucus.Core.Rules.WalkingSubcaucus;

/// <summary>
/// The Minnesota DFL walking subcaucus as a precinct rule set: a report's first alignment is the first count, its final
/// alignment the final count (each walk in between is a revision), its groups the subcaucuses. The arithmetic is
/// <see cref="SubcaucusAllocator"/>'s; equal remainders for the last delegates are a drawing of lots, recorded as its
/// winners like any game of chance. Readings: this folder's README.
/// </summary>
public sealed class WalkingSubcaucusRuleSet : IRuleSet
{
    public const string RuleSetName = "walking-subcaucus";

    public string Name => RuleSetName;

    /// <summary>The DFL has no satellite caucuses; kept only because the interface asks for it.</summary>
    public SatelliteWeighting SatelliteWeighting => SatelliteWeighting.Attendance;

    public IRuleSet WithSatelliteWeighting(SatelliteWeighting weighting) => this;

    /// <summary>Delegates to the next convention, one unit each.</summary>
    public HeadlineUnit Headline { get; } = new("Delegates", "delegates", WeightedByCounty: false);

    public ReportForm Form { get; } = new("Attendance (people signed in)", "First count (members of each subcaucus)",
        "Final count (members of each subcaucus)", null, TieMethod.DrawnLot, OpenGroups: true);

    /// <summary>
    /// Not measured on a public record (no precinct-level DFL caucus results were at hand): Nevada's generous limits,
    /// which hold every Nevada site with room to spare; a precinct caucus of thousands is held for review.
    /// </summary>
    public PlausibilityLimits Plausibility { get; } = new(AttendeesPerDelegate: 100, Allowance: 200, PastTurnoutMultiple: 3, HardCeiling: 10_000);

    /// <summary>
    /// The viability number: <paramref name="attendees"/> ÷ delegates, rounded up, where the attendees are everyone in a
    /// subcaucus on the count (<see cref="Allocate"/> passes the final count's total, not the sign-in count).
    /// </summary>
    public int ViabilityThreshold(int delegates, int attendees) =>
        delegates <= 0 ? 0 : (int)((attendees + (long)delegates - 1) / delegates);

    /// <summary>
    /// Each count is a revision of the report: one sent after the first count, before anyone has walked (its final count
    /// empty: nobody counted in it), is counted with the first count standing as the final, so the viability number and
    /// who is viable show at once ("if every subcaucus is viable at the first count there is no second count").
    /// </summary>
    public CountedTally Count(int delegates, Tally reported)
    {
        ArgumentNullException.ThrowIfNull(reported);
        if (reported.HasEarlyVote) throw new TallyException("early", "A walking subcaucus has no early vote.");
        return reported.FinalTotal == 0 && reported.FirstTotal > 0
            ? new(reported with { Final = reported.First.RemoveRange(reported.First.Where(g => g.Value == 0).Select(g => g.Key)) }, null)
            : new(reported, null);
    }

    public IFastAllocator CreateFastAllocator() => new FastWalkingSubcaucusAllocator();

    public PrecinctAllocation Allocate(int delegates, Tally tally)
    {
        ArgumentNullException.ThrowIfNull(tally);
        Count(delegates, tally);
        CheckCounts(tally);
        var groups = tally.Groups;
        var warnings = ImmutableArray.CreateBuilder<ReportWarning>();
        var threshold = ViabilityThreshold(delegates, (int)Math.Min(tally.FinalTotal, int.MaxValue));
        var award = groups.ToDictionary(g => g, _ => 0, StringComparer.Ordinal);
        var raw = new Dictionary<string, Arithmetic.Rational>(StringComparer.Ordinal);
        var viable = ImmutableSortedSet<string>.Empty.WithComparer(StringComparer.Ordinal);
        PendingTie? tie = null;

        if (delegates > 0 && tally.FinalTotal == 0)
        {
            warnings.Add(new(WarningCode.NoAttendees, "No one is counted in any subcaucus: no delegate can be elected."));
        }
        else if (delegates > 0)
        {
            // Only the final count elects; a subcaucus with no one in it was not formed.
            var count = groups.Where(g => tally.FinalOf(g) > 0).Select(g => (g, tally.FinalOf(g))).ToList();
            var result = SubcaucusAllocator.Allocate(delegates, count);
            if (result.NoneViable)
            {
                warnings.Add(new(WarningCode.NoViableGroup,
                    $"No subcaucus reached the viability number of {result.ViabilityNumber}: no delegate can be elected until they combine."));
            }
            foreach (var s in result.Subcaucuses.Where(s => s.Viable))
            {
                viable = viable.Add(s.Name);
                raw[s.Name] = s.Quotient;
                award[s.Name] = s.Delegates;
            }
            if (result.PendingLot is { } lot)
            {
                tie = new PendingTie(TieKind.TooFew, [.. lot.Tied.Order(StringComparer.Ordinal)], lot.Seats);
            }
        }
        warnings.AddRange(Checks(delegates, threshold, tally));

        var (status, applied) = TieSettlement.Settle(tally, tie, Form.Ties, award, warnings);
        return new PrecinctAllocation(delegates, tally.Attendees, threshold,
            [.. groups.Select(g => new GroupAllocation(g, tally.FirstOf(g), tally.FinalOf(g), viable.Contains(g),
                raw.TryGetValue(g, out var r) ? r : null, award[g]))],
            status, tie, applied, warnings.ToImmutable());
    }

    /// <summary>
    /// What the counts must make sense of: no more people in the subcaucuses than signed in, at either count (people walk
    /// between subcaucuses and go home, they do not appear), and a subcaucus below the number at the final count is told
    /// so. Members are not locked, unlike Iowa's viable groups: a viable subcaucus may shrink.
    /// </summary>
    private static IEnumerable<ReportWarning> Checks(int delegates, int threshold, Tally tally)
    {
        if (tally.FirstTotal > tally.Attendees)
        {
            yield return new(WarningCode.CountExceedsSignIn,
                $"The first count totals {tally.FirstTotal}, more than the {tally.Attendees} people signed in.");
        }
        if (tally.FinalTotal > tally.Attendees)
        {
            yield return new(WarningCode.CountExceedsSignIn,
                $"The final count totals {tally.FinalTotal}, more than the {tally.Attendees} people signed in.");
        }
        foreach (var group in tally.Groups)
        {
            var final = tally.FinalOf(group);
            if (delegates > 0 && final > 0 && final < threshold)
            {
                yield return new(WarningCode.NonViableGroupInFinal,
                    $"{group} has {final} at the final count, below the viability number of {threshold}: it elects no one.", group);
            }
        }
    }

    private static void CheckCounts(Tally tally)
    {
        if (tally.Attendees < 0) throw new TallyException("attendees", "The number of people signed in cannot be negative.");
        foreach (var (name, counts) in new[] { ("first", tally.First), ("final", tally.Final) })
        {
            foreach (var (g, n) in counts)
                if (n < 0) throw new TallyException($"{name}.{g}", $"The {name} count for {g} cannot be negative.");
        }
    }
}
