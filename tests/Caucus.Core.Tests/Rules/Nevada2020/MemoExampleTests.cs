using Caucus.Core.Allocation;
using Caucus.Core.Arithmetic;
using Caucus.Core.Model;
using Caucus.Core.Rules;
using Caucus.Core.Rules.Nevada2020;
using Caucus.Core.Validation;

namespace Caucus.Core.Tests.Rules.Nevada2020;

/// <summary>
/// The worked examples of the party's memo ("Delegate Count Scenarios and Tie Breakers", 26 September 2019), the table
/// in shared/rules/nevada-2020.md, each worked by hand in its comment. Threshold at D >= 4 is ceil(15% of N).
/// </summary>
public class MemoExampleTests
{
    private static readonly Nevada2020RuleSet Rules = new();

    private static int[] Delegates(PrecinctAllocation a, params string[] groups) => [.. groups.Select(a.DelegatesOf)];

    // D = 7, N = 79, threshold 12: R = 1.2405, 1.6835, 1.5949, 1.0633, 1.4177 → 1, 2, 2, 1, 1 = 7.
    [Fact]
    public void Principle_1_A_rounds_to_exactly_seven()
    {
        var a = Rules.Allocate(7, Tallies.Same(79, ("A", 14), ("B", 19), ("C", 18), ("D", 12), ("E", 16)));
        Assert.Equal(12, a.ViabilityThreshold);
        Assert.Equal([1, 2, 2, 1, 1], Delegates(a, "A", "B", "C", "D", "E"));
        Assert.Equal(AllocationStatus.Decided, a.Status);
        Assert.Equal(new Rational(14 * 7, 79), a.Groups.Single(g => g.Group == "A").Raw);
    }

    // D = 6, N = 26, threshold 4: R = 1.8462, 0.9231, 1.1538, 1.1538, 0.9231 → 2, 1, 1, 1, 1 = 6.
    [Fact]
    public void Principle_1_B_rounds_to_exactly_six()
    {
        var a = Rules.Allocate(6, Tallies.Same(26, ("A", 8), ("B", 4), ("C", 5), ("D", 5), ("E", 4)));
        Assert.Equal([2, 1, 1, 1, 1], Delegates(a, "A", "B", "C", "D", "E"));
        Assert.Equal(6, a.TotalDelegates);
    }

    // D = 4, N = 76, threshold 12: R = 0.6842 (x4), 1.2632 → 1 each = 5, one too many, but every group holds its only
    // delegate: five delegates from a four-delegate precinct.
    [Fact]
    public void Principle_2_A_awards_five_delegates_in_a_four_delegate_precinct()
    {
        var a = Rules.Allocate(4, Tallies.Same(76, ("A", 13), ("B", 13), ("C", 13), ("D", 13), ("E", 24)));
        Assert.Equal([1, 1, 1, 1, 1], Delegates(a, "A", "B", "C", "D", "E"));
        Assert.Equal(5, a.TotalDelegates);
        Assert.Equal(AllocationStatus.Decided, a.Status);
        Assert.Empty(a.Warnings);
    }

    // D = 5, N = 73, threshold 11: R = 0.8219, 0.9589, 1.5068, 1.7123 → 1, 1, 2, 2 = 6. Givers C (gap 1.4932) and
    // D (1.2877): C is furthest from its next whole number and gives one.
    [Fact]
    public void Principle_2_B_takes_the_extra_delegate_from_the_group_furthest_from_its_next_whole_number()
    {
        var a = Rules.Allocate(5, Tallies.Same(73, ("A", 12), ("B", 14), ("C", 22), ("D", 25)));
        Assert.Equal([1, 1, 1, 2], Delegates(a, "A", "B", "C", "D"));
    }

    // D = 6, N = 100, threshold 15: R = 2.28, 1.44, 1.32, 0.96 → 2, 1, 1, 1 = 5. Gaps .72, .56, .68, 1.04: B is closest.
    [Fact]
    public void Principle_3_A_gives_the_missing_delegate_to_the_group_closest_to_its_next_whole_number()
    {
        var a = Rules.Allocate(6, Tallies.Same(100, ("A", 38), ("B", 24), ("C", 22), ("D", 16)));
        Assert.Equal([2, 2, 1, 1], Delegates(a, "A", "B", "C", "D"));
    }

    // D = 10, N = 75 (fixed though A, B, C left), threshold 12: R = 3.0667, 3.6 → 3, 4 = 7, three too few.
    // Gaps .9333 and 1.4: D gains (gap now 1.9333), then E (2.4), then D again → 5, 5.
    [Fact]
    public void Principle_3_B_gives_the_extra_delegates_to_D_E_D_in_turn_with_N_fixed_at_the_first_alignment()
    {
        var tally = Tallies.Of(75, ("A", 10, 0), ("B", 5, 0), ("C", 10, 0), ("D", 23, 23), ("E", 27, 27));
        var a = Rules.Allocate(10, tally);
        Assert.Equal([0, 0, 0, 5, 5], Delegates(a, "A", "B", "C", "D", "E"));
        Assert.Equal(new Rational(230, 75), a.Groups.Single(g => g.Group == "D").Raw);
        // Re-ranking after each is what makes it 5-5: a single pass ranked by fraction would not give D a second one.
        Assert.False(a.HasWarning(WarningCode.ViableGroupShrank));
    }

    // D = 5, N = 60: R = 1.6667 each → 2, 2, 2 = 6; all three are equally far from 3, so a card draw: the lowest card
    // loses its second delegate (two winners keep theirs).
    [Fact]
    public void Principle_4_A_is_a_card_draw_where_the_lowest_card_loses_its_second_delegate()
    {
        var tally = Tallies.Same(60, ("B", 20), ("C", 20), ("D", 20));
        var a = Rules.Allocate(5, tally);
        Assert.Equal(new PendingTie(TieKind.TooMany, ["B", "C", "D"], 2), a.Tie);
        Assert.True(a.IsProvisional);

        var draw = CardDraw.Decide(a.Tie!, [new("B", new(10, Suit.Hearts)), new("C", new(3, Suit.Spades)), new("D", new(13, Suit.Clubs))]);
        var settled = Rules.Allocate(5, tally.WithTieBreaks([draw]));
        Assert.Equal(AllocationStatus.TieBroken, settled.Status);
        Assert.Equal([2, 1, 2], Delegates(settled, "B", "C", "D"));
    }

    // D = 5, N = 14: R = 2.5 each → 3, 3 = 6, one too many; C and D tie: a card draw for the third delegate.
    [Fact]
    public void Principle_4_B_is_a_card_draw_between_C_and_D_for_the_third_delegate()
    {
        var tally = Tallies.Same(14, ("C", 7), ("D", 7));
        var a = Rules.Allocate(5, tally);
        Assert.Equal(new PendingTie(TieKind.TooMany, ["C", "D"], 1), a.Tie);
        Assert.Equal(5, a.TotalDelegates);

        var draw = CardDraw.Decide(a.Tie!, [new("C", new(9, Suit.Clubs)), new("D", new(9, Suit.Diamonds))]);
        Assert.Equal([2, 3], Delegates(Rules.Allocate(5, tally.WithTieBreaks([draw])), "C", "D"));
    }

    // D = 8, N = 100: R = 1.2, 3.6, 1.6, 1.6 → 1, 4, 2, 2 = 9. A holds its only delegate; B, C and D are all .6 (gap
    // 1.4): a card draw among them for one delegate. With C and D high, B gives one: 1, 3, 2, 2.
    [Fact]
    public void Principle_4_C_is_a_card_draw_among_B_C_and_D_and_with_C_and_D_high_gives_1_3_2_2()
    {
        var tally = Tallies.Same(100, ("A", 15), ("B", 45), ("C", 20), ("D", 20));
        var a = Rules.Allocate(8, tally);
        Assert.Equal(new PendingTie(TieKind.TooMany, ["B", "C", "D"], 2), a.Tie);

        var draw = CardDraw.Decide(a.Tie!, [new("B", new(2, Suit.Spades)), new("C", new(14, Suit.Clubs)), new("D", new(12, Suit.Hearts))]);
        Assert.Equal(TieBreak.Of(["B", "C", "D"], ["C", "D"]), draw);
        Assert.Equal([1, 3, 2, 2], Delegates(Rules.Allocate(8, tally.WithTieBreaks([draw])), "A", "B", "C", "D"));
    }
}
