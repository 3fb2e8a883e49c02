using System.Collections.Immutable;
using Caucus.Core.Allocation;
using Caucus.Core.Arithmetic;
using Caucus.Core.Model;
using Caucus.Core.Rules.Iowa2020;
using Caucus.Core.Validation;
using Caucus.Core.Verification;

namespace Caucus.Core.Rules.Nevada2020;

/// <summary>
/// The Nevada State Democratic Party's 2020 caucus math, as shared/rules/nevada-2020.md states it: the caucus formula
/// on the participants of the first alignment (<c>N</c>, early voters included: <see cref="Tally.Attendees"/>), Iowa's
/// viability table on <c>N</c>, halves up, then one delegate at a time re-ranked after each, a viable group never
/// loses its only delegate (so a precinct may award more than <c>D</c>: Principle 2), ties compared on four decimals
/// and settled by a recorded card draw (<see cref="CardDraw"/>). The readings chosen are in this folder's README.
/// </summary>
public sealed class Nevada2020RuleSet : IRuleSet
{
    public const string RuleSetName = "nevada-2020";

    /// <summary>"the same table on N": Iowa's thresholds, one home for them.</summary>
    private static readonly Iowa2020RuleSet SameViabilityTable = new();

    public string Name => RuleSetName;

    /// <summary>Nevada 2020 had no satellite caucuses; the weighting is kept only because the interface asks for it.</summary>
    public SatelliteWeighting SatelliteWeighting => SatelliteWeighting.Attendance;

    public IRuleSet WithSatelliteWeighting(SatelliteWeighting weighting) => this;

    /// <summary>The memo's unit: county convention delegates, one per delegate (Nevada weights nothing).</summary>
    public HeadlineUnit Headline { get; } = new("County convention delegates", "CCD", WeightedByCounty: false);

    /// <summary>
    /// The precinct's in-person counts (participants at the first alignment, both alignments), the counts of each early-vote
    /// ranking cast for it (the engine, not the chair, merges them), and each tied group's card.
    /// </summary>
    public ReportForm Form { get; } = new("Attendance (in-person participants at the first alignment)", "First alignment (in person)",
        "Final alignment (in person)", new EarlyVoteForm(EarlyVote.FewestChoices, EarlyVote.MostChoices), TieMethod.CardDraw);

    /// <summary>The early vote merged into both alignments (<see cref="EarlyVote.Merge"/>); a report without one is counted as reported.</summary>
    public CountedTally Count(int delegates, Tally reported)
    {
        ArgumentNullException.ThrowIfNull(reported);
        if (!reported.HasEarlyVote) return new(reported, null);
        var merge = EarlyVote.Merge(delegates, reported, reported.EarlyOrEmpty);
        return new(merge.Merged, merge);
    }

    /// <summary>
    /// Measured on the party's published results (1,650 sites reporting anyone, 1,648 with an alignment) and its apportionment: the most
    /// participants anywhere was 262 (Washoe 100300, D = 15), the most per county delegate 36 at D = 1 (Lyon 20) and 31
    /// where D >= 3 (Washoe 826300, 92 at D = 3); the at-large casino sites, which the apportionment gives no D, held 95
    /// and 82. Attendance never exceeded a precinct's registered Democrats by more than 7 (Washoe 758500: 7 people, 0
    /// registered; people register at the door). 200 + 100 per delegate leaves every site far inside (95 of 300 at D = 1,
    /// 262 of 1,700), registered + 200 covers the 7, and no Nevada precinct comes near 10,000.
    /// Nevada2020PlausibilityTests checks these figures against the file.
    /// </summary>
    public static PlausibilityLimits Limits { get; } =
        new(AttendeesPerDelegate: 100, Allowance: 200, PastTurnoutMultiple: 3, HardCeiling: 10_000);

    public PlausibilityLimits Plausibility => Limits;

    /// <summary>"viability threshold: the same table on N" (Iowa's 15% / 1/6 / 25%, rounded up; none at D = 1).</summary>
    public int ViabilityThreshold(int delegates, int attendees) => SameViabilityTable.ViabilityThreshold(delegates, attendees);

    public IFastAllocator CreateFastAllocator() => new FastNevada2020Allocator();

    public PrecinctAllocation Allocate(int delegates, Tally tally)
    {
        ArgumentNullException.ThrowIfNull(tally);
        // A report with its early vote is allocated as counted: the cards merged into both alignments.
        if (tally.HasEarlyVote) tally = Count(delegates, tally).Tally;
        CheckCounts(tally);
        var participants = tally.Attendees;
        var threshold = ViabilityThreshold(delegates, participants);
        var groups = tally.Groups;
        var viable = groups.Where(g => tally.FinalOf(g) > 0 && tally.FinalOf(g) >= threshold)
            .ToImmutableSortedSet(StringComparer.Ordinal);
        var warnings = ImmutableArray.CreateBuilder<ReportWarning>();
        warnings.AddRange(AlignmentChecks.Check(delegates, threshold, tally));

        var award = groups.ToDictionary(g => g, _ => 0, StringComparer.Ordinal);
        var raw = new Dictionary<string, Rational>(StringComparer.Ordinal);
        PendingTie? tie = null;

        if (delegates > 0 && participants == 0)
        {
            warnings.Add(new(WarningCode.NoAttendees, "No participants in first alignment: no delegate can be awarded."));
        }
        else if (delegates > 0 && viable.IsEmpty)
        {
            warnings.Add(new(WarningCode.NoViableGroup, "No group is viable in final alignment: no delegate can be awarded."));
        }
        else if (delegates == 1)
        {
            // "D = 1: the largest final group takes the delegate (a tie is a card draw)."
            var most = viable.Max(tally.FinalOf);
            var leaders = viable.Where(g => tally.FinalOf(g) == most).ToImmutableArray();
            foreach (var g in viable) raw[g] = new Rational(tally.FinalOf(g), participants);
            if (leaders.Length == 1) award[leaders[0]] = 1;
            else tie = new PendingTie(TieKind.SingleDelegate, leaders, 1);
        }
        else if (delegates > 1)
        {
            long divisor = participants;
            if (OneAtATimeRounding.Unbalanced(delegates, viable.Select(tally.FinalOf), divisor))
            {
                // Only reachable when the final alignment outgrows N, which the rules rule out ("N is fixed"); the
                // as-written figures would award more than D plus one per group: Iowa's reading, and its flag.
                warnings.Add(new(WarningCode.DelegatesUnbalanced,
                    $"Final alignment ({tally.FinalTotal}) exceeds the first alignment's participants ({participants}) so far that the rules " +
                    "as written cannot balance; delegates are computed against the final-alignment total instead."));
                divisor = tally.FinalTotal;
            }
            foreach (var g in viable) raw[g] = new Rational((long)tally.FinalOf(g) * delegates, divisor);
            tie = OneAtATimeRounding.Allocate(delegates, [.. viable.Select(g => (g, tally.FinalOf(g)))], divisor, award);
        }

        var (status, applied) = TieSettlement.Settle(tally, tie, Form.Ties, award, warnings);
        var result = new PrecinctAllocation(delegates, participants, threshold,
            [.. groups.Select(g => new GroupAllocation(g, tally.FirstOf(g), tally.FinalOf(g), viable.Contains(g),
                raw.TryGetValue(g, out var r) ? r : null, award[g]))],
            status, tie, applied, warnings.ToImmutable());
        return tally.ReportedDelegates is null ? result : WithReportedCheck(delegates, tally, result);
    }

    private PrecinctAllocation WithReportedCheck(int delegates, Tally tally, PrecinctAllocation result)
    {
        var verdict = ConsistencyCheck.Compare(this, delegates, tally, result, tally.ReportedDelegates!);
        // Reported delegates that match one outcome of a pending draw are not wrong: the cards are just not recorded yet.
        var warning = verdict.Status switch
        {
            ConsistencyStatus.Inconsistent => new ReportWarning(WarningCode.ReportedDelegatesDiffer, verdict.Describe()),
            ConsistencyStatus.TieConsistent => new ReportWarning(WarningCode.TieBreakPending,
                $"The reported delegates are {verdict.Describe()}; record that card draw to settle the allocation."),
            _ => null,
        };
        return warning is null ? result : result with { Warnings = result.Warnings.Add(warning) };
    }

    private static void CheckCounts(Tally tally)
    {
        if (tally.Attendees < 0) throw new TallyException("attendees", "The number of participants cannot be negative.");
        foreach (var (name, counts) in new[] { ("first", tally.First), ("final", tally.Final) }
            .Concat(tally.ReportedDelegates is { } reported ? [("reportedDelegates", reported)] : []))
        {
            foreach (var (g, n) in counts)
                if (n < 0) throw new TallyException($"{name}.{g}", $"The {name} count for {g} cannot be negative.");
        }
    }
}
