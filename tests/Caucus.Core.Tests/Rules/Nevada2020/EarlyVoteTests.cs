using Caucus.Core.Model;
using Caucus.Core.Rules.Nevada2020;
using Caucus.Core.Validation;

namespace Caucus.Core.Tests.Rules.Nevada2020;

/// <summary>The reading of shared/rules/nevada-2020.md, "Early vote", worked by hand.</summary>
public class EarlyVoteTests
{
    private static readonly Nevada2020RuleSet Rules = new();

    // D = 5. In person: 40 at first alignment: Biden 15, Sanders 14, Warren 6, Klobuchar 5; final: Biden 18, Sanders 16,
    // Warren 6 (Klobuchar's 5 went 3 to Biden, 2 to Sanders). Early: 10 cards Warren > Sanders > Biden, 8 cards
    // Klobuchar > Buttigieg > Steyer (no viable choice), 2 void cards (Biden, Biden, Sanders: two different choices).
    // N = 40 + 18 = 58, threshold ceil(15% of 58) = 9. First: Biden 15, Sanders 14, Warren 16, Klobuchar 13: all viable,
    // so every card stays with its first choice. Final: Biden 18, Sanders 16, Warren 16, Klobuchar 8 (only the cards).
    [Fact]
    public void Each_card_counts_for_its_first_choice_and_stays_there_when_it_is_viable()
    {
        var inPerson = Tallies.Of(40, ("Biden", 15, 18), ("Sanders", 14, 16), ("Warren", 6, 6), ("Klobuchar", 5, 0));
        var merge = EarlyVote.Merge(5, inPerson,
            [EarlyRanking.Of(10, "Warren", "Sanders", "Biden"), EarlyRanking.Of(8, "Klobuchar", "Buttigieg", "Steyer"),
             EarlyRanking.Of(2, "Biden", "Biden", "Sanders")]);
        Assert.Equal(58, merge.Merged.Attendees);
        Assert.Equal(2, merge.VoidCards);
        Assert.Equal(0, merge.LeftCards);
        Assert.Equal(Tallies.Delegates(("Biden", 15), ("Klobuchar", 13), ("Sanders", 14), ("Warren", 16)), merge.Merged.First);
        Assert.Equal(Tallies.Delegates(("Biden", 18), ("Klobuchar", 8), ("Sanders", 16), ("Warren", 16)), merge.Merged.Final);
        Assert.Equal(Tallies.Delegates(("Klobuchar", 8), ("Warren", 10)), merge.EarlyFirst);
        Assert.Equal(merge.EarlyFirst, merge.EarlyFinal);
    }

    // D = 4. In person 50: Biden 30, Sanders 14, Yang 6; final: Biden 33, Sanders 17. Early: 6 Yang > Warren > Sanders > Biden,
    // 4 Steyer > Yang > Gabbard. N = 60, threshold 9. First: Biden 30, Sanders 14, Yang 12, Steyer 4: Yang viable (12 with
    // its cards, 6 without), Steyer not. Final: the Yang cards stay with Yang (its first choice is viable); the Steyer cards
    // move to Yang, their highest-ranked choice viable in the first alignment. Yang: 0 in person + 6 + 4 = 10.
    [Fact]
    public void A_card_whose_first_choice_is_not_viable_moves_to_its_highest_ranked_viable_choice()
    {
        var inPerson = Tallies.Of(50, ("Biden", 30, 33), ("Sanders", 14, 17), ("Yang", 6, 0));
        var merge = EarlyVote.Merge(4, inPerson,
            [EarlyRanking.Of(6, "Yang", "Warren", "Sanders", "Biden"), EarlyRanking.Of(4, "Steyer", "Yang", "Gabbard")]);
        Assert.Equal(60, merge.Merged.Attendees);
        Assert.Equal(Tallies.Delegates(("Biden", 30), ("Sanders", 14), ("Steyer", 4), ("Yang", 12)), merge.Merged.First);
        Assert.Equal(Tallies.Delegates(("Biden", 33), ("Sanders", 17), ("Yang", 10)), merge.Merged.Final);

        // And the merged tally is what the rule set allocates: R = 33·4/60 = 2.2, 17·4/60 = 1.1333, 10·4/60 = 0.6667 → 2, 1, 1.
        var a = Rules.Allocate(4, merge.Merged);
        Assert.Equal(new[] { 2, 1, 1 }, new[] { a.DelegatesOf("Biden"), a.DelegatesOf("Sanders"), a.DelegatesOf("Yang") });
    }

    // D = 3, N = 40 + 3 = 43, threshold ceil(43/6) = 8. Three cards Gabbard > Steyer > Bennet: none of them viable, so
    // the cards leave the final alignment but stay in N (which sets the threshold and the formula's divisor).
    [Fact]
    public void A_card_with_no_viable_choice_leaves_but_still_counts_in_N()
    {
        var inPerson = Tallies.Of(40, ("Biden", 24, 24), ("Sanders", 16, 16));
        var merge = EarlyVote.Merge(3, inPerson, [EarlyRanking.Of(3, "Gabbard", "Steyer", "Bennet")]);
        Assert.Equal(43, merge.Merged.Attendees);
        Assert.Equal(3, merge.Merged.FirstOf("Gabbard"));
        Assert.Equal(0, merge.Merged.FinalOf("Gabbard"));
        Assert.Equal(3, merge.LeftCards);
        Assert.Equal(Tallies.Delegates(("Gabbard", 3)), merge.EarlyFirst);
        Assert.Empty(merge.EarlyFinal);
        Assert.Equal(8, Rules.ViabilityThreshold(3, merge.Merged.Attendees));
    }

    [Fact]
    public void Reported_delegates_and_card_draws_are_carried_into_the_merged_tally()
    {
        var inPerson = Tallies.Of(20, ("A", 10, 10), ("B", 10, 10)) with { ReportedDelegates = Tallies.Delegates(("A", 1)) };
        var merge = EarlyVote.Merge(1, inPerson.WithTieBreaks([TieBreak.Of(["A", "B"], ["A"])]), []);
        Assert.Equal(inPerson.ReportedDelegates, merge.Merged.ReportedDelegates);
        Assert.Single(merge.Merged.TieBreaksOrEmpty);
    }

    [Fact]
    public void Rankings_the_card_cannot_hold_are_refused_naming_the_field()
    {
        var inPerson = Tallies.Of(10, ("A", 10, 10));
        Assert.Equal("early[1].count", Assert.Throws<TallyException>(() =>
            EarlyVote.Merge(2, inPerson, [EarlyRanking.Of(1, "A", "B", "C"), EarlyRanking.Of(-1, "A", "B", "C")])).Field);
        Assert.Equal("early[0].choices", Assert.Throws<TallyException>(() =>
            EarlyVote.Merge(2, inPerson, [EarlyRanking.Of(1, "A", "B", "C", "D", "E", "F")])).Field);
        Assert.Equal("early[0].choices", Assert.Throws<TallyException>(() =>
            EarlyVote.Merge(2, inPerson, [EarlyRanking.Of(1, "A", " ", "C")])).Field);
    }
}
