using Caucus.Core.Allocation;
using Caucus.Core.Model;
using Caucus.Core.Rules.Iowa2020;
using Caucus.Core.Rules.Nevada2020;
using Caucus.Core.Rules;
using Caucus.Core.Validation;

namespace Caucus.Core.Tests.Rules.Nevada2020;

/// <summary>D = 1, halves up, four-decimal ties, order independence, inputs the rules cannot take, and the registry.</summary>
public class EdgeRuleTests
{
    private static readonly Nevada2020RuleSet Rules = new();

    [Fact]
    public void D_1_gives_the_delegate_to_the_largest_final_group_even_with_other_groups_viable()
    {
        var a = Rules.Allocate(1, Tallies.Same(30, ("A", 12), ("B", 10), ("C", 8)));
        Assert.Equal(0, a.ViabilityThreshold);
        Assert.Equal(1, a.TotalDelegates);
        Assert.Equal(1, a.DelegatesOf("A"));
    }

    [Fact]
    public void D_1_tie_is_a_card_draw_settled_by_suit_when_the_ranks_are_equal()
    {
        var tally = Tallies.Same(20, ("A", 10), ("B", 10));
        var a = Rules.Allocate(1, tally);
        Assert.Equal(new PendingTie(TieKind.SingleDelegate, ["A", "B"], 1), a.Tie);
        var draw = CardDraw.Decide(a.Tie!, [new("A", new(12, Suit.Hearts)), new("B", new(12, Suit.Spades))]);
        Assert.Equal(1, Rules.Allocate(1, tally.WithTieBreaks([draw])).DelegatesOf("B"));
    }

    // D = 3, N = 12, threshold 2: R = 1.5 each. Halves up: 2 + 2 = 4, one too many, a draw for who gives one back
    // (halves down would be 1 + 1, a draw for who gains one: a different tie).
    [Fact]
    public void A_half_rounds_up()
    {
        var a = Rules.Allocate(3, Tallies.Same(12, ("A", 6), ("B", 6)));
        Assert.Equal(new PendingTie(TieKind.TooMany, ["A", "B"], 1), a.Tie);
    }

    // N = 100,000, D = 5, threshold 15,000: A 1.50005 → 1.5001 → 2 (gap 1.4999), B 1.5 → 2 (gap 1.5), C 1.99995 → 2.0000
    // → 2 (gap 1): six, and B is furthest from its next whole number. With N = 1,000,000 A is 1.500005 → 1.5000, equal to
    // B to four decimals though its exact fraction is larger: a card draw, which exact fractions would not call.
    [Fact]
    public void Groups_equal_to_four_decimals_tie_even_when_their_exact_fractions_differ()
    {
        var apart = Rules.Allocate(5, Tallies.Same(100_000, ("A", 30_001), ("B", 30_000), ("C", 39_999)));
        Assert.Equal(new[] { 2, 1, 2 }, new[] { apart.DelegatesOf("A"), apart.DelegatesOf("B"), apart.DelegatesOf("C") });
        Assert.Null(apart.Tie);

        var tied = Rules.Allocate(5, Tallies.Same(1_000_000, ("A", 300_001), ("B", 300_000), ("C", 399_999)));
        Assert.Equal(new PendingTie(TieKind.TooMany, ["A", "B"], 1), tied.Tie);
    }

    [Fact]
    public void The_order_groups_are_given_in_does_not_change_the_allocation()
    {
        (string, int)[] groups = [("Warren", 9), ("Biden", 7), ("Sanders", 6), ("Buttigieg", 6), ("Klobuchar", 6)];
        var forward = Rules.Allocate(10, Tallies.Same(34, groups));
        var backward = Rules.Allocate(10, Tallies.Same(34, [.. groups.Reverse()]));
        Assert.Equal(forward, backward);
    }

    [Fact]
    public void A_negative_count_is_refused_naming_the_field()
    {
        var e = Assert.Throws<TallyException>(() => Rules.Allocate(4, Tallies.Of(10, ("A", 10, -1))));
        Assert.Equal("final.A", e.Field);
        Assert.Equal("attendees", Assert.Throws<TallyException>(() => Rules.Allocate(4, Tallies.Same(-1))).Field);
    }

    [Fact]
    public void Reported_delegates_above_D_that_Principle_2_gives_are_not_flagged()
    {
        var tally = Tallies.Same(76, ("A", 13), ("B", 13), ("C", 13), ("D", 13), ("E", 24)) with
        {
            ReportedDelegates = Tallies.Delegates(("A", 1), ("B", 1), ("C", 1), ("D", 1), ("E", 1)),
        };
        Assert.Empty(Rules.Allocate(4, tally).Warnings);
        var wrong = tally with { ReportedDelegates = Tallies.Delegates(("A", 1), ("B", 1), ("C", 1), ("E", 1)) };
        Assert.True(Rules.Allocate(4, wrong).HasWarning(WarningCode.ReportedDelegatesDiffer));
    }

    [Fact]
    public void The_registry_finds_nevada_2020_beside_iowa_2020_and_the_walking_subcaucus()
    {
        Assert.Equal(["iowa-2020", "nevada-2020", "walking-subcaucus", "secret-ballot"], RuleSets.Names);
        Assert.IsType<Nevada2020RuleSet>(RuleSets.Find("nevada-2020"));
        Assert.IsType<Iowa2020RuleSet>(RuleSets.Find("iowa-2020"));
        Assert.IsType<Caucus.Core.Rules.WalkingSubcaucus.WalkingSubcaucusRuleSet>(RuleSets.Find("walking-subcaucus"));
    }
}
