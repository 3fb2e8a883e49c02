using System.Collections.Immutable;
using Caucus.Core.Allocation;
using Caucus.Core.Arithmetic;
using Caucus.Core.Model;
using Caucus.Core.Validation;
using Caucus.Core.Verification;

namespace Caucus.Core.Rules.Iowa2020;

/// <summary>
/// The 2020 Iowa Democratic Party caucus rules, exactly as shared/RULES.md states them.
/// Integer thresholds, exact fractions, halves up, the too-many / too-few adjustments with the
/// only-delegate protection, and ties reported (never guessed) unless a recorded outcome settles them.
/// </summary>
public sealed class Iowa2020RuleSet(SatelliteWeighting satelliteWeighting = SatelliteWeighting.Attendance) : IRuleSet
{
    public const string RuleSetName = "iowa-2020";

    public string Name => RuleSetName;

    public SatelliteWeighting SatelliteWeighting { get; } = satelliteWeighting;

    public IRuleSet WithSatelliteWeighting(SatelliteWeighting weighting) => new Iowa2020RuleSet(weighting);

    /// <summary>RULES.md, "State delegate equivalents": county delegates weighted by the county's state delegates.</summary>
    public HeadlineUnit Headline { get; } = new("State delegate equivalents", "SDE", WeightedByCounty: true);

    /// <summary>The 2020 Caucus Math Worksheet: eligible attendees, first and final expression; ties by coin toss; no early vote.</summary>
    public ReportForm Form { get; } = new("Attendance (eligible attendees at first count)", "First alignment", "Final alignment",
        EarlyVote: null, TieMethod.CoinToss);

    /// <summary>Iowa 2020 had no early vote: a report is counted as reported.</summary>
    public CountedTally Count(int delegates, Tally reported)
    {
        ArgumentNullException.ThrowIfNull(reported);
        if (reported.HasEarlyVote) throw new TallyException("early", "This election has no early vote.");
        return new(reported, null);
    }

    /// <summary>
    /// Measured on the party's 100% release (1,678 precincts, 87 satellites; people = the larger of attendance and
    /// either alignment total): the most attendees per county delegate anywhere was 183 (Des Moines Southside YMCA, a
    /// satellite whose SDEs allow D = 1), the most in a precinct 156 (University Heights, 312 at D = 2), at most 84
    /// where D >= 3 (Iowa City 05, 754 at D = 9); 99% of caucuses had at most 75, half at most 10. The largest precinct
    /// had 860 (Iowa City 17, D = 12). 200 per delegate is above 183 for every D, and the 300 on top leaves every real
    /// caucus well inside (183 of 500, 312 of 700, 860 of 2,700), while 2,500 in an eight-delegate precinct (limit
    /// 1,900) is held. Registered voters: in Nevada's 2020 caucuses no precinct's attendance exceeded its registered
    /// Democrats by more than 7. Three times past turnout is a judgment: the shared data hold no head counts of an
    /// earlier caucus (the 2016 file has delegates only). PlausibilityGoldenTests checks these figures.
    /// </summary>
    public static PlausibilityLimits Limits { get; } =
        new(AttendeesPerDelegate: 200, Allowance: 300, PastTurnoutMultiple: 3, HardCeiling: 20_000);

    public PlausibilityLimits Plausibility => Limits;

    /// <summary>
    /// "D = 1: no threshold (0 here); D = 2: ceil(A/4); D = 3: ceil(A/6); D >= 4: ceil(15·A/100)", in integers.
    /// (ceil(A/6.67) for 15% is the public calculator's bug: A = 667 needs 101, not 100.)
    /// D = 0 elects nobody; groups still form by the general 15% rule.
    /// </summary>
    public int ViabilityThreshold(int delegates, int attendees)
    {
        if (delegates < 0) throw new TallyException("delegates", "The number of delegates cannot be negative.");
        if (attendees < 0) throw new TallyException("attendees", "The number of attendees cannot be negative.");
        return Threshold(delegates, attendees);
    }

    /// <summary>The table of <see cref="ViabilityThreshold"/> without the checks, for the fast allocators' inner loop.</summary>
    internal static int Threshold(int delegates, int attendees)
    {
        long a = attendees;
        return delegates switch
        {
            1 => 0,
            2 => (int)((a + 3) / 4),
            3 => (int)((a + 5) / 6),
            _ => (int)((15 * a + 99) / 100),
        };
    }

    public IFastAllocator CreateFastAllocator() => new FastIowa2020Allocator();

    public PrecinctAllocation Allocate(int delegates, Tally tally)
    {
        ArgumentNullException.ThrowIfNull(tally);
        if (tally.HasEarlyVote) throw new TallyException("early", "This election has no early vote.");
        ArgumentNullException.ThrowIfNull(tally);
        CheckCounts(tally);
        var threshold = ViabilityThreshold(delegates, tally.Attendees);
        var groups = tally.Groups;
        var viable = groups.Where(g => IsViable(tally.FinalOf(g), threshold)).ToImmutableHashSet(StringComparer.Ordinal);
        var warnings = ImmutableArray.CreateBuilder<ReportWarning>();
        warnings.AddRange(AlignmentChecks.Check(delegates, threshold, tally));

        var award = groups.ToDictionary(g => g, _ => 0, StringComparer.Ordinal);
        var raw = new Dictionary<string, Rational>(StringComparer.Ordinal);
        PendingTie? tie = null;

        if (delegates > 0 && tally.Attendees == 0)
        {
            warnings.Add(new(WarningCode.NoAttendees, "No eligible attendees: no delegate can be awarded."));
        }
        else if (delegates > 0 && viable.Count == 0)
        {
            warnings.Add(new(WarningCode.NoViableGroup, "No group is viable in final alignment: no delegate can be awarded."));
        }
        else if (delegates == 1)
        {
            // "D = 1: the single delegate goes to the group with the most supporters in final alignment."
            var most = viable.Max(tally.FinalOf);
            var leaders = viable.Where(g => tally.FinalOf(g) == most).Order(StringComparer.Ordinal).ToImmutableArray();
            foreach (var g in viable) raw[g] = new Rational(tally.FinalOf(g), tally.Attendees);
            if (leaders.Length == 1) award[leaders[0]] = 1;
            else tie = new PendingTie(TieKind.SingleDelegate, leaders, 1);
        }
        else if (delegates > 1)
        {
            tie = AllocateByRounding(delegates, tally, viable, award, raw, warnings, tally.Attendees);
        }

        var (status, applied) = TieSettlement.Settle(tally, tie, Form.Ties, award, warnings);

        var result = new PrecinctAllocation(delegates, tally.Attendees, threshold,
            [.. groups.Select(g => new GroupAllocation(g, tally.FirstOf(g), tally.FinalOf(g), viable.Contains(g),
                raw.TryGetValue(g, out var r) ? r : null, award[g]))],
            status, tie, applied, warnings.ToImmutable());

        if (tally.ReportedDelegates is not null)
        {
            var verdict = ConsistencyCheck.Compare(this, delegates, tally, result, tally.ReportedDelegates);
            // Reported delegates that match one outcome of a pending toss are not wrong: the toss is just not recorded yet.
            var warning = verdict.Status switch
            {
                // Computed against the final total and reported the same: delegates-unbalanced already says what is
                // wrong with these numbers; "reported delegates differ" would be false.
                ConsistencyStatus.Inconsistent when result.HasWarning(WarningCode.DelegatesUnbalanced)
                    && Tally.SameCounts(result.DelegatesByGroup, tally.ReportedDelegates) => null,
                ConsistencyStatus.Inconsistent => new ReportWarning(WarningCode.ReportedDelegatesDiffer, verdict.Describe()),
                ConsistencyStatus.TieConsistent => new ReportWarning(WarningCode.TieBreakPending,
                    $"The reported delegates are {verdict.Describe()}; record that tie-break to settle the allocation."),
                _ => null,
            };
            if (warning is not null) result = result with { Warnings = result.Warnings.Add(warning) };
        }
        return result;
    }

    private static bool IsViable(int final, int threshold) => final > 0 && final >= threshold;

    /// <summary>
    /// "raw[c] = final[c] · D / A; round[c] = floor(raw[c] + 1/2)", then the too-many / too-few adjustment.
    /// Returns the tie the adjustment leaves to chance, if any (its outcome is applied by the caller).
    /// Two readings where RULES.md is silent, both documented in the README:
    /// - When people left before final alignment, giving one delegate to every rounded-down group may not
    ///   reach D ("Repeat until the total is D"): the remaining delegates go round all viable groups again,
    ///   largest fraction first (a lone viable group gets every delegate).
    /// - When the final alignment is larger than A (flagged: final-exceeds-attendees) the rules are applied
    ///   as written, as the party did in 2020. Only if the too-many adjustment then cannot bring the total back
    ///   to D are the delegates computed against the final-alignment total instead, flagged delegates-unbalanced:
    ///   the precinct's own numbers cannot both be right, and a result above D would inflate every total.
    /// </summary>
    private static PendingTie? AllocateByRounding(int delegates, Tally tally, ImmutableHashSet<string> viable,
        Dictionary<string, int> award, Dictionary<string, Rational> raw, ImmutableArray<ReportWarning>.Builder warnings, long divisor)
    {
        foreach (var g in viable)
        {
            raw[g] = new Rational((long)tally.FinalOf(g) * delegates, divisor);
            var rounded = raw[g].RoundHalfUp();
            if (rounded > int.MaxValue) return Unbalanced(rounded);
            award[g] = (int)rounded;
        }
        long total = viable.Sum(g => (long)award[g]);
        if (total == delegates) return null;

        if (total > delegates)
        {
            // Too many: take from the rounded-up group with the smallest fraction; a group that would lose
            // its only delegate is passed over while any other rounded-up group can give one. The rounding
            // adds at most 1/2 per rounded-up group, so one pass always suffices.
            List<Candidate> roundedUp = [.. viable.Where(g => award[g] > raw[g])
                .Select(g => new Candidate(g, award[g] == 1 ? 1 : 0, raw[g].FractionalPart))
                .OrderBy(c => c.Protected).ThenBy(c => c.Fraction)];
            var excess = total - delegates;
            if (excess > roundedUp.Count) return Unbalanced(total);
            return Select(TieKind.TooMany, roundedUp, (int)excess, award, -1);
        }

        // Too few: give to the rounded-down group with the largest fraction.
        var needed = (int)(delegates - total);
        List<Candidate> roundedDown = [.. viable.Where(g => award[g] < raw[g])
            .Select(g => new Candidate(g, 0, raw[g].FractionalPart)).OrderByDescending(c => c.Fraction)];
        if (needed <= roundedDown.Count) return Select(TieKind.TooFew, roundedDown, needed, award, +1);

        foreach (var c in roundedDown) award[c.Group] += 1;
        needed -= roundedDown.Count;
        List<Candidate> everyViable = [.. viable.Select(g => new Candidate(g, 0, raw[g].FractionalPart))
            .OrderByDescending(c => c.Fraction)];
        var fullRounds = needed / everyViable.Count;
        foreach (var c in everyViable) award[c.Group] += fullRounds;
        needed %= everyViable.Count;
        return needed == 0 ? null : Select(TieKind.TooFew, everyViable, needed, award, +1);

        // Only reachable with the final alignment above attendance (raw then sums to more than D); against the
        // final total raw sums to at most D, so the second reading always balances.
        PendingTie? Unbalanced(System.Numerics.BigInteger asWritten)
        {
            warnings.Add(new(WarningCode.DelegatesUnbalanced,
                $"The rules as written give at least {asWritten} delegates where the precinct elects {delegates}, because final alignment " +
                $"({tally.FinalTotal}) exceeds attendance ({tally.Attendees}); delegates are computed against the final-alignment total instead."));
            return AllocateByRounding(delegates, tally, viable, award, raw, warnings, tally.FinalTotal);
        }
    }

    /// <summary>
    /// Adjusts the first <paramref name="needed"/> candidates (already in rule order) by <paramref name="step"/>,
    /// except where the boundary falls inside a group of equal rank: that is a tie, left to a game of chance.
    /// </summary>
    private static PendingTie? Select(TieKind kind, List<Candidate> candidates, int needed, Dictionary<string, int> award, int step)
    {
        var boundary = candidates[needed - 1];
        var tiedClass = needed < candidates.Count && candidates[needed].SameRankAs(boundary)
            ? candidates.Where(c => c.SameRankAs(boundary)).ToList()
            : [];
        var decided = candidates.Take(needed).Where(c => !tiedClass.Contains(c)).ToList();
        foreach (var c in decided) award[c.Group] += step;
        if (tiedClass.Count == 0) return null;

        var stillNeeded = needed - decided.Count;
        // The winners of a too-many toss are those that keep their delegate.
        var winners = kind == TieKind.TooMany ? tiedClass.Count - stillNeeded : stillNeeded;
        return new PendingTie(kind, [.. tiedClass.Select(c => c.Group).Order(StringComparer.Ordinal)], winners);
    }

    private static void CheckCounts(Tally tally)
    {
        if (tally.Attendees < 0) throw new TallyException("attendees", "The number of attendees cannot be negative.");
        foreach (var (g, n) in tally.First)
            if (n < 0) throw new TallyException($"first.{g}", $"First-alignment count for {g} cannot be negative.");
        foreach (var (g, n) in tally.Final)
            if (n < 0) throw new TallyException($"final.{g}", $"Final-alignment count for {g} cannot be negative.");
        foreach (var (g, n) in tally.ReportedDelegates ?? ImmutableSortedDictionary<string, int>.Empty)
            if (n < 0) throw new TallyException($"reportedDelegates.{g}", $"Reported delegates for {g} cannot be negative.");
    }

    private sealed record Candidate(string Group, int Protected, Rational Fraction)
    {
        public bool SameRankAs(Candidate other) => Protected == other.Protected && Fraction == other.Fraction;
    }
}
