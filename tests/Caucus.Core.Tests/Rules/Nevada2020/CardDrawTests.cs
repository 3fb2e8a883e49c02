using Caucus.Core.Allocation;
using Caucus.Core.Model;
using Caucus.Core.Rules;
using Caucus.Core.Rules.Nevada2020;
using Caucus.Core.Validation;

namespace Caucus.Core.Tests.Rules.Nevada2020;

/// <summary>"high card wins, aces high; equal rank: spades > hearts > diamonds > clubs", and the draws that cannot be.</summary>
public class CardDrawTests
{
    private static readonly PendingTie ThreeForOne = new(TieKind.TooFew, ["A", "B", "C"], 1);

    [Fact]
    public void Aces_are_high_and_suits_rank_spades_hearts_diamonds_clubs()
    {
        Assert.True(new Card(14, Suit.Clubs) > new Card(13, Suit.Spades));
        Assert.True(new Card(7, Suit.Spades) > new Card(7, Suit.Hearts));
        Assert.True(new Card(7, Suit.Hearts) > new Card(7, Suit.Diamonds));
        Assert.True(new Card(7, Suit.Diamonds) > new Card(7, Suit.Clubs));
        Assert.True(new Card(3, Suit.Clubs) > new Card(2, Suit.Spades));
    }

    [Fact]
    public void The_highest_cards_win_as_many_as_the_tie_is_for()
    {
        DrawnCard[] cards = [new("A", new(5, Suit.Spades)), new("B", new(14, Suit.Clubs)), new("C", new(5, Suit.Hearts))];
        Assert.Equal(TieBreak.Of(["A", "B", "C"], ["B"]), CardDraw.Decide(ThreeForOne, cards));
        Assert.Equal(TieBreak.Of(["A", "B", "C"], ["A", "B"]), CardDraw.Decide(ThreeForOne with { Delegates = 2 }, cards));
    }

    [Fact]
    public void In_a_too_many_draw_the_lowest_card_is_the_one_that_gives_a_delegate_back()
    {
        var tie = new PendingTie(TieKind.TooMany, ["B", "C", "D"], 2);
        var draw = CardDraw.Decide(tie, [new("B", new(4, Suit.Clubs)), new("C", new(4, Suit.Diamonds)), new("D", new(2, Suit.Spades))]);
        Assert.Equal(TieBreak.Of(["B", "C", "D"], ["B", "C"]), draw);
        Assert.True(draw.Settles(tie));
    }

    [Theory]
    [InlineData(1, Suit.Spades, "A", "cards[0].rank")]
    [InlineData(15, Suit.Spades, "A", "cards[0].rank")]
    [InlineData(9, (Suit)7, "A", "cards[0].suit")]
    [InlineData(9, Suit.Spades, "Z", "cards[0].group")]
    public void A_card_that_cannot_be_is_refused_naming_it(int rank, Suit suit, string group, string field)
    {
        DrawnCard[] cards = [new(group, new(rank, suit)), new("B", new(3, Suit.Clubs)), new("C", new(4, Suit.Clubs))];
        Assert.Equal(field, Assert.Throws<TallyException>(() => CardDraw.Decide(ThreeForOne, cards)).Field);
    }

    [Fact]
    public void A_draw_missing_a_group_or_repeating_a_card_or_a_group_is_refused()
    {
        Assert.Equal("cards", Assert.Throws<TallyException>(() =>
            CardDraw.Decide(ThreeForOne, [new("A", new(3, Suit.Clubs)), new("B", new(4, Suit.Clubs))])).Field);
        Assert.Equal("cards[1]", Assert.Throws<TallyException>(() =>
            CardDraw.Decide(ThreeForOne, [new("A", new(3, Suit.Clubs)), new("B", new(3, Suit.Clubs)), new("C", new(4, Suit.Clubs))])).Field);
        Assert.Equal("cards[1].group", Assert.Throws<TallyException>(() =>
            CardDraw.Decide(ThreeForOne, [new("A", new(3, Suit.Clubs)), new("A", new(5, Suit.Clubs)), new("C", new(4, Suit.Clubs))])).Field);
    }
}
