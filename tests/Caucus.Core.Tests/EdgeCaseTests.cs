using Caucus.Core.Allocation;
using Caucus.Core.Model;
using Caucus.Core.Rules.Iowa2020;
using Caucus.Core.Rules;
using Caucus.Core.Validation;

namespace Caucus.Core.Tests;

/// <summary>Corners of RULES.md, each worked out by hand in its comment.</summary>
public class EdgeCaseTests
{
    private static readonly Iowa2020RuleSet Rules = new();

    [Fact]
    public void A_precinct_electing_no_delegates_awards_none_and_decides()
    {
        var allocation = Rules.Allocate(0, Tallies.Same(10, ("Biden", 6), ("Sanders", 4)));
        Assert.Equal(0, allocation.TotalDelegates);
        Assert.Equal(AllocationStatus.Decided, allocation.Status);
        Assert.Null(allocation.Tie);
    }

    [Fact]
    public void A_single_delegate_tie_is_reported_and_provisional()
    {
        // D = 1: the most supporters win; 5 and 5 tie and a game of chance decides.
        var allocation = Rules.Allocate(1, Tallies.Same(10, ("Biden", 5), ("Sanders", 5)));
        Assert.Equal(new PendingTie(TieKind.SingleDelegate, ["Biden", "Sanders"], 1), allocation.Tie);
        Assert.Equal(AllocationStatus.PendingTieBreak, allocation.Status);
        Assert.True(allocation.IsProvisional);
        Assert.Equal(1, allocation.TotalDelegates);

        var settled = Rules.Allocate(1, Tallies.Same(10, ("Biden", 5), ("Sanders", 5))
            .WithTieBreaks([TieBreak.Of(["Biden", "Sanders"], ["Sanders"])]));
        Assert.Equal(AllocationStatus.TieBroken, settled.Status);
        Assert.Equal("Sanders=1", settled.Awarded());
    }

    [Fact]
    public void Tie_for_last_delegate_is_reported_not_guessed()
    {
        // D = 4, A = 20, threshold 3: raw 10·4/20 = 2 for both → no tie. With 3 groups 8/6/6:
        // raw 1.6, 1.2, 1.2 → 2, 1, 1 = 4: exact, no tie. With 7/7/6: 1.4, 1.4, 1.2 → 1, 1, 1 = 3,
        // one too few; rounded down: .4, .4, .2 → Biden and Sanders tie for one extra delegate.
        var allocation = Rules.Allocate(4, Tallies.Same(20, ("Biden", 7), ("Sanders", 7), ("Warren", 6)));
        Assert.Equal(new PendingTie(TieKind.TooFew, ["Biden", "Sanders"], 1), allocation.Tie);
        Assert.Equal(1, allocation.DelegatesOf("Warren"));
        Assert.Equal(3, allocation.DelegatesOf("Biden") + allocation.DelegatesOf("Sanders"));
    }

    [Fact]
    public void With_one_delegate_there_is_no_threshold_and_a_one_person_group_can_win()
    {
        // First: Biden 1, Sanders 19 (A = 20); Sanders' members leave before final alignment (flagged:
        // they were locked). D = 1 has no threshold: Biden's 1 is the most and takes the delegate.
        var tally = Tallies.Of(20, ("Biden", 1, 1), ("Sanders", 19, 0));
        var one = Rules.Allocate(1, tally);
        Assert.Equal(0, one.ViabilityThreshold);
        Assert.Equal("Biden=1", one.Awarded());
        Assert.True(one.Groups.Single(g => g.Group == "Biden").Viable);
        // The same tally with D = 4: threshold 3, Biden is not viable and no one gets a delegate.
        var four = Rules.Allocate(4, tally);
        Assert.Equal(0, four.TotalDelegates);
        Assert.True(four.HasWarning(WarningCode.NoViableGroup));
    }

    [Fact]
    public void Two_delegates_need_a_quarter_of_attendance()
    {
        // D = 2, A = 10: threshold ceil(10/4) = 3. Biden 3 is viable: raw 0.6 → 1, Sanders 1.4 → 1.
        Assert.Equal("Biden=1,Sanders=1", Rules.Allocate(2, Tallies.Same(10, ("Biden", 3), ("Sanders", 7))).Awarded());
        // Biden 2 is not (flagged in final alignment); Sanders 8 gets raw 1.6 → 2.
        var below = Rules.Allocate(2, Tallies.Same(10, ("Biden", 2), ("Sanders", 8)));
        Assert.Equal("Sanders=2", below.Awarded());
        Assert.Contains(below.Warnings, w => w.Code == WarningCode.NonViableGroupInFinal && w.Group == "Biden");
    }

    [Fact]
    public void Three_delegates_need_a_sixth_of_attendance()
    {
        // D = 3, A = 13: threshold ceil(13/6) = 3. Biden 3: raw 9/13 = 0.69 → 1; Sanders 10: 30/13 = 2.31 → 2.
        Assert.Equal("Biden=1,Sanders=2", Rules.Allocate(3, Tallies.Same(13, ("Biden", 3), ("Sanders", 10))).Awarded());
        // Biden 2 (< 3) is not viable: Sanders 11 gets 33/13 = 2.54 → 3.
        Assert.Equal("Sanders=3", Rules.Allocate(3, Tallies.Same(13, ("Biden", 2), ("Sanders", 11))).Awarded());
    }

    [Fact]
    public void When_no_group_is_viable_no_delegate_is_awarded()
    {
        // D = 5, A = 100, threshold 15; final Biden 10, Sanders 10 (the rest left).
        var allocation = Rules.Allocate(5, Tallies.Of(100, ("Biden", 50, 10), ("Sanders", 50, 10)));
        Assert.Equal(0, allocation.TotalDelegates);
        Assert.True(allocation.HasWarning(WarningCode.NoViableGroup));
        Assert.Null(allocation.Tie);
    }

    [Fact]
    public void A_single_group_takes_every_delegate()
    {
        Assert.Equal("Buttigieg=7", Rules.Allocate(7, Tallies.Same(20, ("Buttigieg", 20))).Awarded());
    }

    [Fact]
    public void A_single_attendee_takes_every_delegate()
    {
        // D = 5, A = 1: threshold ceil(0.15) = 1; raw 1·5/1 = 5.
        var allocation = Rules.Allocate(5, Tallies.Same(1, ("Yang", 1)));
        Assert.Equal(1, allocation.ViabilityThreshold);
        Assert.Equal("Yang=5", allocation.Awarded());
    }

    [Fact]
    public void Counts_near_int_max_do_not_overflow()
    {
        // A = 2,147,483,647 = 3·715,827,882 + 1; D = 40. Raw: each ≈ 13.33 → 13, 13, 13 = 39, one too few.
        // The extra person makes Biden's fraction the largest (715,827,909/A against 715,827,869/A): Biden 14.
        var allocation = Rules.Allocate(40, Tallies.Same(int.MaxValue, ("Biden", 715_827_883), ("Sanders", 715_827_882), ("Warren", 715_827_882)));
        Assert.Equal("Biden=14,Sanders=13,Warren=13", allocation.Awarded());
        Assert.Empty(allocation.Warnings);
    }

    [Fact]
    public void A_group_would_not_lose_its_only_delegate_while_another_rounded_up_group_can_give()
    {
        // D = 3, A = 30, threshold ceil(30/6) = 5; final Biden 5, Sanders 16, Warren 9.
        // Raw: 15/30 = 0.5 → 1 (up, fraction .5); 48/30 = 1.6 → 2 (up, .6); 27/30 = 0.9 → 1 (up, .9). Total 4: one too many.
        // The smallest rounded-up fraction is Biden's .5, but that is Biden's only delegate (and Warren's .9 too);
        // Sanders can give one, so Sanders does: 1, 1, 1.
        var allocation = Rules.Allocate(3, Tallies.Same(30, ("Biden", 5), ("Sanders", 16), ("Warren", 9)));
        Assert.Equal("Biden=1,Sanders=1,Warren=1", allocation.Awarded());
        Assert.Null(allocation.Tie);
    }

    [Fact]
    public void A_lone_delegate_is_taken_when_every_rounded_up_group_would_lose_its_only_one()
    {
        // D = 2, A = 20, threshold 5; final 6, 7, 7. Raw 0.6, 0.7, 0.7 → 1, 1, 1 = 3, one too many.
        // Every rounded-up group holds one delegate, so none is passed over: the smallest fraction (.6) gives.
        Assert.Equal("Sanders=1,Warren=1", Rules.Allocate(2, Tallies.Same(20, ("Biden", 6), ("Sanders", 7), ("Warren", 7))).Awarded());
    }

    [Fact]
    public void A_lone_viable_group_receives_every_delegate_after_the_others_leave()
    {
        // D = 25, A = 9, threshold ceil(135/100) = 2. First: Biden 1 (not viable), Buttigieg 8 (viable, locked).
        // Biden's supporter leaves (allowed). Final: Buttigieg 8 of 9. Raw 8·25/9 = 22.2 → 22: three too few.
        // "Give one delegate to the group with the largest fraction among the groups that were rounded down.
        // Repeat until the total is D": Buttigieg is the only such group, so it receives all 25.
        var allocation = Rules.Allocate(25, Tallies.Of(9, ("Biden", 1, 0), ("Buttigieg", 8, 8)));
        Assert.Empty(allocation.Warnings.Where(w => w.Code != WarningCode.DelegatesUnbalanced));
        Assert.Equal("Buttigieg=25", allocation.Awarded());
    }

    [Fact]
    public void A_first_alignment_that_does_not_add_up_to_attendance_is_flagged()
    {
        var allocation = Rules.Allocate(4, Tallies.Same(10, ("Biden", 6), ("Sanders", 3)));
        Assert.True(allocation.HasWarning(WarningCode.FirstTotalDiffersFromAttendees));
    }

    [Fact]
    public void A_final_alignment_larger_than_attendance_is_flagged()
    {
        var allocation = Rules.Allocate(4, Tallies.Of(10, ("Biden", 10, 12)));
        Assert.True(allocation.HasWarning(WarningCode.FinalExceedsAttendees));
        Assert.False(allocation.HasWarning(WarningCode.FirstTotalDiffersFromAttendees));
    }

    [Fact]
    public void A_viable_first_group_that_shrank_is_flagged_by_name()
    {
        // D = 4, A = 20, threshold 3: Biden 10 was viable and locked, yet has 8 in final alignment.
        var allocation = Rules.Allocate(4, Tallies.Of(20, ("Biden", 10, 8), ("Sanders", 10, 10)));
        var warning = Assert.Single(allocation.Warnings, w => w.Code == WarningCode.ViableGroupShrank);
        Assert.Equal("Biden", warning.Group);
    }

    [Fact]
    public void A_non_viable_group_left_in_final_alignment_is_flagged_and_gets_nothing()
    {
        var allocation = Rules.Allocate(4, Tallies.Same(20, ("Biden", 2), ("Sanders", 18)));
        var warning = Assert.Single(allocation.Warnings, w => w.Code == WarningCode.NonViableGroupInFinal);
        Assert.Equal("Biden", warning.Group);
        Assert.Equal("Sanders=4", allocation.Awarded());
    }

    [Fact]
    public void A_well_formed_report_raises_no_warning()
    {
        var allocation = Rules.Allocate(4, Tallies.Of(20, ("Biden", 10, 12), ("Sanders", 8, 8), ("Yang", 2, 0)));
        Assert.Empty(allocation.Warnings);
    }

    private static Tally AdairNorthwest() =>
        Tallies.Same(40, ("Biden", 6), ("Buttigieg", 8), ("Klobuchar", 8), ("Sanders", 9), ("Warren", 9));

    [Fact]
    public void A_tie_break_naming_the_wrong_number_of_winners_is_invalid_and_the_tie_stays_pending()
    {
        var allocation = Rules.Allocate(8, AdairNorthwest().WithTieBreaks([TieBreak.Of(["Buttigieg", "Klobuchar"], ["Buttigieg", "Klobuchar"])]));
        Assert.True(allocation.HasWarning(WarningCode.TieBreakInvalid));
        Assert.Equal(AllocationStatus.PendingTieBreak, allocation.Status);
        Assert.Null(allocation.AppliedTieBreak);
        Assert.Equal(8, allocation.TotalDelegates);
    }

    [Fact]
    public void A_tie_break_naming_a_winner_outside_the_tie_is_invalid()
    {
        var allocation = Rules.Allocate(8, AdairNorthwest().WithTieBreaks([TieBreak.Of(["Buttigieg", "Klobuchar"], ["Sanders"])]));
        Assert.True(allocation.HasWarning(WarningCode.TieBreakInvalid));
        Assert.Equal(AllocationStatus.PendingTieBreak, allocation.Status);
    }

    [Fact]
    public void A_tie_break_for_groups_that_do_not_tie_is_not_applicable()
    {
        var breaks = new[] { TieBreak.Of(["Sanders", "Warren"], ["Warren"]) };
        var tied = Rules.Allocate(8, AdairNorthwest().WithTieBreaks(breaks));
        Assert.True(tied.HasWarning(WarningCode.TieBreakNotApplicable));
        Assert.Equal(AllocationStatus.PendingTieBreak, tied.Status);
        Assert.Equal(2, tied.DelegatesOf("Warren"));

        // Adair 4SE ORIENT has no tie at all: the recorded toss changes nothing and is flagged.
        var orient = Tallies.Same(34, ("Biden", 7), ("Buttigieg", 6), ("Klobuchar", 6), ("Sanders", 6), ("Warren", 9));
        var decided = Rules.Allocate(10, orient.WithTieBreaks(breaks));
        Assert.True(decided.HasWarning(WarningCode.TieBreakNotApplicable));
        Assert.Equal(AllocationStatus.Decided, decided.Status);
        Assert.Equal("Biden=2,Buttigieg=2,Klobuchar=2,Sanders=2,Warren=2", decided.Awarded());
    }

    [Fact]
    public void Negative_counts_are_refused_with_the_field_named()
    {
        var e = Assert.Throws<TallyException>(() => Rules.Allocate(4, Tallies.Of(10, ("Biden", 10, -1))));
        Assert.Equal("final.Biden", e.Field);
        Assert.Equal("delegates", Assert.Throws<TallyException>(() => Rules.Allocate(-1, Tallies.Same(10, ("Biden", 10)))).Field);
    }

    [Fact]
    public void A_huge_final_alignment_against_a_small_attendance_is_flagged_not_thrown()
    {
        // Malformed on purpose: final 2,147,483,647 with A = 7 and D = 9. As written, raw 9·2,147,483,647/7 ≈ 2.76e9
        // delegates: no adjustment brings that back to 9, so the engine flags delegates-unbalanced and computes
        // against the final total (2,147,483,647): Biden, the only group, gets all 9.
        var allocation = Rules.Allocate(9, Tallies.Of(7, ("Biden", 7, int.MaxValue)));
        Assert.True(allocation.HasWarning(WarningCode.FinalExceedsAttendees));
        Assert.True(allocation.HasWarning(WarningCode.DelegatesUnbalanced));
        Assert.Equal(9, allocation.DelegatesOf("Biden"));
    }

    [Fact]
    public void Final_alignment_far_above_attendance_is_computed_against_the_final_total_and_never_exceeds_D()
    {
        // D = 10, A = 10, final Biden 20, Sanders 10: as written raw 20 and 10 → 30 delegates, 20 too many with
        // no rounded-up group to take from. Against the final total 30: raw 20/3 = 6.67 → 7 and 10/3 = 3.33 → 3 = 10.
        var tally = Tallies.Of(10, ("Biden", 6, 20), ("Sanders", 4, 10));
        var allocation = Rules.Allocate(10, tally);
        Assert.True(allocation.HasWarning(WarningCode.DelegatesUnbalanced));
        Assert.Equal(7, allocation.DelegatesOf("Biden"));
        Assert.Equal(3, allocation.DelegatesOf("Sanders"));
        // Whatever a chair reported for such a precinct, its own numbers are the reason it cannot be consistent.
        var verdict = Caucus.Core.Verification.ConsistencyCheck.Compare(Rules, 10, tally, allocation,
            new Dictionary<string, int> { ["Biden"] = 7, ["Sanders"] = 3 });
        Assert.Equal(Caucus.Core.Verification.InconsistencyReason.FinalExceedsAttendance, verdict.Reason);
    }
}
