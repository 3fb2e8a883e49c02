using System.Collections.Immutable;
using Caucus.Core.Aggregation;
using Caucus.Core.Model;
using Caucus.Core.Rules.Iowa2020;
using Caucus.Core.Rules;
using Caucus.Core.Validation;
using Caucus.Core.Verification;
using CsCheck;

namespace Caucus.Core.Tests.Counting;

/// <summary>
/// A precinct whose final alignment outgrows attendance so far that the too-many adjustment cannot bring the total
/// back to D has its delegates computed against the final-alignment total (delegates-unbalanced). Reporting exactly
/// those delegates is not a second, false "reported delegates differ"; the precinct is inconsistent either way.
/// </summary>
public class FinalTotalWarningTests
{
    private static readonly Iowa2020RuleSet Rules = new();

    private static readonly Precinct Far = new("far/1", "Far", "1", 10, PrecinctKind.Precinct);
    private static readonly Precinct Near = new("far/2", "Far", "2", 10, PrecinctKind.Precinct);

    /// <summary>One county, CD 20 and SD 20: one county delegate is exactly one SDE.</summary>
    private static readonly Election Election = new("far", "Far", Rules, ["Biden", "Sanders"],
        [new County("Far", "CD1", 20, 20, false)], [Far, Near]);

    /// <summary>
    /// EdgeCaseTests' tally: D = 10, A = 10, final Biden 20, Sanders 10. As written raw 20 and 10 → 30 delegates, 20 too
    /// many with no rounded-up group to take from. Against the final total 30: 20/3 = 6.67 → 7 and 10/3 = 3.33 → 3.
    /// </summary>
    private static Tally Outgrown(params (string Group, int Delegates)[] reported) =>
        Tallies.Of(10, ("Biden", 6, 20), ("Sanders", 4, 10)) with { ReportedDelegates = Tallies.Delegates(reported) };

    private static PrecinctResult Compute(Tally tally) => PrecinctResult.Compute(Election, Far, tally);

    [Fact]
    public void Reporting_exactly_the_delegates_computed_against_the_final_total_is_unbalanced_but_not_a_reported_difference()
    {
        var result = Compute(Outgrown(("Biden", 7), ("Sanders", 3)));
        Assert.Equal("Biden=7,Sanders=3", result.Allocation.Awarded());
        Assert.True(result.Allocation.HasWarning(WarningCode.DelegatesUnbalanced));
        Assert.False(result.Allocation.HasWarning(WarningCode.ReportedDelegatesDiffer));
        Assert.True(result.IsInconsistent);
    }

    [Fact]
    public void A_zero_entry_in_the_reported_delegates_does_not_make_them_differ()
    {
        var result = Compute(Outgrown(("Biden", 7), ("Sanders", 3), ("Warren", 0)));
        Assert.False(result.Allocation.HasWarning(WarningCode.ReportedDelegatesDiffer));
        Assert.True(result.IsInconsistent);
    }

    [Fact]
    public void Reporting_other_delegates_for_such_a_precinct_is_also_a_reported_difference()
    {
        var result = Compute(Outgrown(("Biden", 6), ("Sanders", 4)));
        Assert.True(result.Allocation.HasWarning(WarningCode.DelegatesUnbalanced));
        Assert.True(result.Allocation.HasWarning(WarningCode.ReportedDelegatesDiffer));
        Assert.True(result.IsInconsistent);
    }

    [Fact]
    public void Without_reported_delegates_such_a_precinct_is_unbalanced_but_not_inconsistent()
    {
        var result = Compute(Outgrown() with { ReportedDelegates = null });
        Assert.True(result.Allocation.HasWarning(WarningCode.DelegatesUnbalanced));
        Assert.False(result.IsInconsistent);
    }

    [Fact]
    public void The_aggregate_counts_such_a_precinct_as_inconsistent_whatever_was_reported()
    {
        var aggregate = new ResultsAggregate(Election);
        aggregate.Apply(Compute(Outgrown(("Biden", 7), ("Sanders", 3))));
        aggregate.Apply(PrecinctResult.Compute(Election, Near, Tallies.Same(10, ("Biden", 6), ("Sanders", 4)) with { ReportedDelegates = Tallies.Delegates(("Biden", 6), ("Sanders", 4)) }));
        Assert.Equal(1, aggregate.Statewide().Inconsistent);
    }

    [Fact]
    public void Verify_calls_such_a_precinct_inconsistent_because_final_alignment_exceeds_attendance()
    {
        // The published file has no head count: attendance is the first-alignment total (10). One delegate is 1 SDE.
        const string published = """
            ,,First Expression,First Expression,Final Expression,Final Expression,SDE,SDE
            ,,Biden,Sanders,Biden,Sanders,Biden,Sanders
            County,Precinct,,,,,,
            Far,1,6,4,20,10,7.0000,3.0000
            Far,2,6,4,6,4,6.0000,4.0000
            """;
        var report = PublishedResultsVerifier.Verify(Election, published);
        Assert.Empty(report.Errors);
        var far = report.Precincts.Single(p => p.Precinct == Far).Verdict!;
        Assert.Equal(ConsistencyStatus.Inconsistent, far.Status);
        Assert.Equal(InconsistencyReason.FinalExceedsAttendance, far.Reason);
        // The well-formed precinct beside it is consistent: the verdict is about these numbers, not the file.
        Assert.Equal(ConsistencyStatus.Consistent, report.Precincts.Single(p => p.Precinct == Near).Verdict!.Status);
    }

    private sealed record Outgrowth(GeneratedPrecinct Precinct, int Factor, bool ReportComputed, int Take, int Give)
    {
        public Tally Tally(ImmutableSortedDictionary<string, int>? reported) =>
            Precinct.ToTally() is var t ? t with { Final = t.Final.ToImmutableSortedDictionary(x => x.Key, x => x.Value * Factor, StringComparer.Ordinal), ReportedDelegates = reported } : null!;

        public override string ToString() => $"{Precinct} ×{Factor} reportComputed={ReportComputed} take={Take} give={Give}";
    }

    [Fact]
    public void Whenever_delegates_are_computed_against_the_final_total_reporting_them_raises_no_difference_and_anything_else_does()
    {
        int unbalanced = 0, balanced = 0, matching = 0, moved = 0, provisional = 0;
        Gen.Select(PrecinctGenerators.ElectingPrecinct, Gen.Int[2, 12], Gen.Bool, Gen.Int[0, 7], Gen.Int[0, 7],
            (p, f, r, take, give) => new Outgrowth(p, f, r, take, give)).Sample(o =>
        {
            var d = o.Precinct.Delegates;
            var computed = Rules.Allocate(d, o.Tally(null));
            if (!computed.HasWarning(WarningCode.DelegatesUnbalanced))
            {
                Interlocked.Increment(ref balanced);
                return;
            }
            Interlocked.Increment(ref unbalanced);
            if (computed.IsProvisional) Interlocked.Increment(ref provisional);
            var precinct = new Precinct("far/x", "Far", "x", d, PrecinctKind.Precinct);
            if (o.ReportComputed)
            {
                Interlocked.Increment(ref matching);
                var result = PrecinctResult.Compute(Election, precinct, o.Tally(computed.DelegatesByGroup));
                Assert.True(result.Allocation.HasWarning(WarningCode.DelegatesUnbalanced));
                Assert.False(result.Allocation.HasWarning(WarningCode.ReportedDelegatesDiffer), string.Join("; ", result.Allocation.Warnings));
                Assert.True(result.IsInconsistent);
            }
            else
            {
                // One delegate moved from a group that has one to another group.
                var names = o.Precinct.Names;
                string from = names[o.Take % names.Length], to = names[o.Give % names.Length];
                if (from == to || computed.DelegatesOf(from) == 0) return;
                Interlocked.Increment(ref moved);
                var reported = computed.DelegatesByGroup.SetItem(from, computed.DelegatesOf(from) - 1).SetItem(to, computed.DelegatesOf(to) + 1);
                var result = PrecinctResult.Compute(Election, precinct, o.Tally(reported));
                Assert.True(result.IsInconsistent);
                // (With a toss pending, the moved delegate may be the toss's other outcome: only the settled case is certain.)
                if (!computed.IsProvisional) Assert.True(result.Allocation.HasWarning(WarningCode.ReportedDelegatesDiffer));
            }
        }, iter: 2_000);
        // The generator must reach both sides, or this test proves nothing.
        Assert.True(unbalanced > 0 && balanced > 0, $"unbalanced {unbalanced}, balanced {balanced}");
        Assert.True(matching > 0 && moved > 0, $"reported as computed {matching}, with a delegate moved {moved}");
        Assert.True(provisional > 0, "no unbalanced precinct with a pending toss");
    }
}
