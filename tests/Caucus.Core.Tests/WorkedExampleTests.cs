using Caucus.Core.Aggregation;
using Caucus.Core.Allocation;
using Caucus.Core.Model;
using Caucus.Core.Rules.Iowa2020;
using Caucus.Core.Rules;
using Caucus.Core.Validation;
using Caucus.Core.Verification;

namespace Caucus.Core.Tests;

/// <summary>The two worked examples of RULES.md, checked number by number.</summary>
public class WorkedExampleTests
{
    private static readonly Iowa2020RuleSet Rules = new();

    // Adair, 1NW ADAIR: D = 8, A = 40; threshold ceil(600/100) = 6, all viable.
    // Raw 6·8/40 = 1.2, 8·8/40 = 1.6 (×2), 9·8/40 = 1.8 (×2) → 1, 2, 2, 2, 2 = 9: one too many.
    // Rounded up: Buttigieg .6, Klobuchar .6, Sanders .8, Warren .8 → Buttigieg and Klobuchar tie for one delegate.
    private static Tally AdairNorthwest() =>
        Tallies.Same(40, ("Biden", 6), ("Buttigieg", 8), ("Klobuchar", 8), ("Sanders", 9), ("Warren", 9));

    // Adair, 4SE ORIENT: D = 10, A = 34; threshold ceil(510/100) = 6, all viable.
    // Raw 70/34 = 2.06, 60/34 = 1.76 (×3), 90/34 = 2.65 → 2, 2, 2, 2, 3 = 11: one too many.
    // Rounded up: the three .76 and Warren .65; Warren's is the smallest, so Warren gives one: 2 each.
    private static Tally AdairOrient() =>
        Tallies.Same(34, ("Biden", 7), ("Buttigieg", 6), ("Klobuchar", 6), ("Sanders", 6), ("Warren", 9));

    [Fact]
    public void Adair_1NW_ADAIR_ties_Buttigieg_and_Klobuchar_for_one_delegate()
    {
        var allocation = Rules.Allocate(8, AdairNorthwest());
        Assert.Equal(6, allocation.ViabilityThreshold);
        Assert.All(allocation.Groups, g => Assert.True(g.Viable));
        Assert.Equal(new Caucus.Core.Arithmetic.Rational(6, 5), allocation.Groups.Single(g => g.Group == "Biden").Raw);
        Assert.Equal(new PendingTie(TieKind.TooMany, ["Buttigieg", "Klobuchar"], 1), allocation.Tie);
    }

    [Fact]
    public void Adair_1NW_ADAIR_is_pending_until_the_toss_is_recorded()
    {
        var allocation = Rules.Allocate(8, AdairNorthwest());
        Assert.Equal(AllocationStatus.PendingTieBreak, allocation.Status);
        Assert.True(allocation.IsProvisional);
        Assert.True(allocation.HasWarning(WarningCode.TieBreakPending));
        Assert.Equal(8, allocation.TotalDelegates);
        // Outside the tie the rules decide: Biden 1, Sanders 2, Warren 2; the tied pair share 3.
        Assert.Equal(1, allocation.DelegatesOf("Biden"));
        Assert.Equal(2, allocation.DelegatesOf("Sanders"));
        Assert.Equal(2, allocation.DelegatesOf("Warren"));
        Assert.Equal(3, allocation.DelegatesOf("Buttigieg") + allocation.DelegatesOf("Klobuchar"));
    }

    [Fact]
    public void Adair_1NW_ADAIR_with_Klobuchar_winning_the_toss_gives_the_published_SDEs()
    {
        var election = IowaElection.Shipped;
        var precinct = election.FindPrecinct("adair/1nw-adair")!;
        Assert.Equal(8, precinct.Delegates);
        var tally = AdairNorthwest().WithTieBreaks([TieBreak.Of(["Buttigieg", "Klobuchar"], ["Klobuchar"])]);
        var result = PrecinctResult.Compute(election, precinct, tally);
        Assert.Equal(AllocationStatus.TieBroken, result.Allocation.Status);
        Assert.Equal("Biden=1,Buttigieg=1,Klobuchar=2,Sanders=2,Warren=2", result.Allocation.Awarded());

        var aggregate = new ResultsAggregate(election);
        aggregate.Apply(result);
        var sdes = aggregate.PrecinctSdes(result);
        // Adair: CD 51, SD 4 → one county delegate is 4/51 SDE.
        Assert.Equal(new Caucus.Core.Arithmetic.Rational(4, 51), sdes["Buttigieg"]);
        Assert.Equal(new Caucus.Core.Arithmetic.Rational(8, 51), sdes["Klobuchar"]);
        Assert.Equal("0.0784", sdes["Buttigieg"].ToDecimalString(4));
        Assert.Equal("0.1569", sdes["Klobuchar"].ToDecimalString(4));
    }

    [Fact]
    public void Adair_1NW_ADAIR_as_the_party_reported_it_is_consistent_with_Klobuchar_winning()
    {
        var reported = Tallies.Delegates(("Biden", 1), ("Buttigieg", 1), ("Klobuchar", 2), ("Sanders", 2), ("Warren", 2));
        var verdict = ConsistencyCheck.Compare(Rules, 8, AdairNorthwest(), Rules.Allocate(8, AdairNorthwest()), reported);
        Assert.Equal(ConsistencyStatus.TieConsistent, verdict.Status);
        Assert.Equal(TieBreak.Of(["Buttigieg", "Klobuchar"], ["Klobuchar"]), verdict.TieOutcome);

        // With the toss recorded, the report matches and is not flagged.
        var recorded = AdairNorthwest().WithTieBreaks([TieBreak.Of(["Buttigieg", "Klobuchar"], ["Klobuchar"])]) with { ReportedDelegates = reported };
        Assert.False(Rules.Allocate(8, recorded).HasWarning(WarningCode.ReportedDelegatesDiffer));
    }

    [Fact]
    public void Adair_4SE_ORIENT_gives_two_delegates_to_each_group()
    {
        var allocation = Rules.Allocate(10, AdairOrient());
        Assert.Equal(6, allocation.ViabilityThreshold);
        Assert.Equal(AllocationStatus.Decided, allocation.Status);
        Assert.Null(allocation.Tie);
        Assert.Equal("Biden=2,Buttigieg=2,Klobuchar=2,Sanders=2,Warren=2", allocation.Awarded());
        Assert.Empty(allocation.Warnings);
    }

    [Fact]
    public void Adair_4SE_ORIENT_as_reported_with_Warren_3_and_Sanders_1_is_flagged_inconsistent()
    {
        var reported = Tallies.Delegates(("Biden", 2), ("Buttigieg", 2), ("Klobuchar", 2), ("Sanders", 1), ("Warren", 3));
        var allocation = Rules.Allocate(10, AdairOrient() with { ReportedDelegates = reported });
        // The computed allocation is unchanged by the report, and the report is flagged beside it.
        Assert.Equal("Biden=2,Buttigieg=2,Klobuchar=2,Sanders=2,Warren=2", allocation.Awarded());
        var warning = Assert.Single(allocation.Warnings, w => w.Code == WarningCode.ReportedDelegatesDiffer);
        Assert.Contains("Sanders reported 1, rules give 2", warning.Message, StringComparison.Ordinal);
        Assert.Contains("Warren reported 3, rules give 2", warning.Message, StringComparison.Ordinal);

        var verdict = ConsistencyCheck.Compare(Rules, 10, AdairOrient(), Rules.Allocate(10, AdairOrient()), reported);
        Assert.Equal(ConsistencyStatus.Inconsistent, verdict.Status);
        Assert.Equal(InconsistencyReason.WrongGroupRounded, verdict.Reason);
    }

    [Fact]
    public void Reported_delegates_matching_one_toss_outcome_are_not_flagged_inconsistent_but_ask_for_the_toss()
    {
        // The party's published 1NW ADAIR numbers (Buttigieg 1, Klobuchar 2) follow if Klobuchar won the toss.
        var tally = AdairNorthwest() with
        {
            ReportedDelegates = System.Collections.Immutable.ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal,
                new Dictionary<string, int> { ["Biden"] = 1, ["Buttigieg"] = 1, ["Klobuchar"] = 2, ["Sanders"] = 2, ["Warren"] = 2 }),
        };
        var allocation = Rules.Allocate(8, tally);
        Assert.False(allocation.HasWarning(WarningCode.ReportedDelegatesDiffer));
        Assert.True(allocation.IsProvisional);
        Assert.Contains(allocation.Warnings, w => w.Code == WarningCode.TieBreakPending && w.Message.Contains("Klobuchar won", StringComparison.Ordinal));
    }
}
