using Caucus.Core.Aggregation;
using Caucus.Core.Allocation;
using Caucus.Core.Definitions;
using Caucus.Core.Model;
using Caucus.Core.Rules;
using Caucus.Core.Rules.Iowa2020;
using Caucus.Core.Rules.Nevada2020;
using Caucus.Core.Tests.Rules.Nevada2020;
using Caucus.Core.Validation;

namespace Caucus.Core.Tests.Rules;

/// <summary>What each rule set says a precinct reports, how it counts it, and what a recorded card draw settles.</summary>
public class RuleSetReportTests
{
    private static readonly Nevada2020RuleSet Nevada = new();
    private static readonly Iowa2020RuleSet Iowa = new();

    [Fact]
    public void Each_rule_set_describes_its_form_and_headline_unit()
    {
        Assert.Null(Iowa.Form.EarlyVote);
        Assert.Equal(TieMethod.CoinToss, Iowa.Form.Ties);
        Assert.Equal(new HeadlineUnit("State delegate equivalents", "SDE", true), Iowa.Headline);
        Assert.Equal(new EarlyVoteForm(3, 5), Nevada.Form.EarlyVote);
        Assert.Equal(TieMethod.CardDraw, Nevada.Form.Ties);
        Assert.Equal(new HeadlineUnit("County convention delegates", "CCD", false), Nevada.Headline);
    }

    [Fact]
    public void A_report_with_early_vote_is_counted_merged_and_its_early_part_kept()
    {
        var inPerson = Tallies.Of(50, ("Biden", 30, 33), ("Sanders", 14, 17), ("Yang", 6, 0));
        var reported = inPerson with { Early = [EarlyRanking.Of(6, "Yang", "Warren", "Sanders", "Biden"), EarlyRanking.Of(4, "Steyer", "Yang", "Gabbard")] };
        var expected = EarlyVote.Merge(4, inPerson, reported.EarlyOrEmpty);

        var counted = Nevada.Count(4, reported);
        Assert.Equal(expected.Merged, counted.Tally);
        Assert.False(counted.Tally.HasEarlyVote);
        Assert.Equal(expected.EarlyFinal, counted.Early!.EarlyFinal);
        // Allocating the reported tally is allocating the counted one.
        Assert.Equal(Nevada.Allocate(4, counted.Tally).DelegatesByGroup, Nevada.Allocate(4, reported).DelegatesByGroup);
        Assert.Null(Nevada.Count(4, inPerson).Early);
    }

    [Fact]
    public void The_precinct_result_sums_the_merged_alignments()
    {
        var election = new Election("nv", "NV", Nevada, ["Biden", "Sanders", "Yang", "Steyer", "Warren", "Gabbard"],
            [new County("Clark", "CD1", 4, 4, false)], [new Precinct("clark/1", "Clark", "1", 4, PrecinctKind.Precinct)]);
        var reported = Tallies.Of(50, ("Biden", 30, 33), ("Sanders", 14, 17), ("Yang", 6, 0))
            with { Early = [EarlyRanking.Of(6, "Yang", "Warren", "Sanders", "Biden")] };
        var result = PrecinctResult.Compute(election, election.Precincts[0], reported);
        Assert.Equal(56, result.Tally.Attendees);
        Assert.Equal(12, result.Tally.FirstOf("Yang"));
        Assert.Equal(6, result.Early!.EarlyFinal["Yang"]);
    }

    [Fact]
    public void Early_vote_under_a_rule_set_without_one_is_refused_naming_the_field()
    {
        var reported = Tallies.Of(10, ("Biden", 10, 10)) with { Early = [EarlyRanking.Of(1, "Biden", "Sanders", "Warren")] };
        Assert.Equal("early", Assert.Throws<TallyException>(() => Iowa.Count(2, reported)).Field);
        Assert.Equal("early", Assert.Throws<TallyException>(() => Iowa.Allocate(2, reported)).Field);
    }

    [Fact]
    public void Two_reports_with_the_same_early_rankings_are_equal()
    {
        var a = Tallies.Of(10, ("Biden", 10, 10)) with { Early = [EarlyRanking.Of(2, "Biden", "Sanders", "Warren")] };
        var b = Tallies.Of(10, ("Biden", 10, 10)) with { Early = [EarlyRanking.Of(2, "Biden", "Sanders", "Warren")] };
        var c = Tallies.Of(10, ("Biden", 10, 10)) with { Early = [EarlyRanking.Of(2, "Biden", "Warren", "Sanders")] };
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, c);
    }

    // Principle 4 C of the memo: B, C and D tie for two keeps; C draws the ace, D the queen, B the two.
    [Fact]
    public void A_recorded_card_ranking_settles_the_draw_as_the_cards_decide()
    {
        var tally = Tallies.Same(100, ("A", 15), ("B", 45), ("C", 20), ("D", 20));
        DrawnCard[] cards = [new("B", new(2, Suit.Spades)), new("C", new(14, Suit.Clubs)), new("D", new(12, Suit.Hearts))];
        var ranking = DrawnCards.Ranking(cards);
        Assert.Equal(["C", "D", "B"], ranking.Ranking.ToArray());

        var settled = Nevada.Allocate(8, tally.WithTieBreaks([ranking]));
        Assert.Equal(AllocationStatus.TieBroken, settled.Status);
        var decided = CardDraw.Decide(Nevada.Allocate(8, tally).Tie!, cards);
        Assert.Equal(Nevada.Allocate(8, tally.WithTieBreaks([decided])).DelegatesByGroup, settled.DelegatesByGroup);
        Assert.Equal([1, 3, 2, 2], new[] { "A", "B", "C", "D" }.Select(settled.DelegatesOf).ToArray());
    }

    [Fact]
    public void A_ranking_of_other_groups_settles_nothing_and_is_flagged()
    {
        var tally = Tallies.Same(100, ("A", 15), ("B", 45), ("C", 20), ("D", 20));
        var other = TieBreak.Ranked(["A", "B"]);
        var a = Nevada.Allocate(8, tally.WithTieBreaks([other]));
        Assert.True(a.IsProvisional);
        Assert.True(a.HasWarning(WarningCode.TieBreakNotApplicable));
    }

    [Fact]
    public void Cards_that_cannot_be_are_refused_naming_the_card()
    {
        Assert.Equal("cards[1]", Assert.Throws<TallyException>(() =>
            DrawnCards.Ranking([new("B", new(2, Suit.Spades)), new("C", new(2, Suit.Spades))])).Field);
        Assert.Equal("cards[0].rank", Assert.Throws<TallyException>(() => DrawnCards.Ranking([new("B", new(1, Suit.Spades))])).Field);
        Assert.Equal("cards[1].group", Assert.Throws<TallyException>(() =>
            DrawnCards.Ranking([new("B", new(2, Suit.Spades)), new("B", new(3, Suit.Spades))])).Field);
    }

    [Fact]
    public void A_folder_weighting_county_delegates_under_an_unweighted_headline_is_refused()
    {
        var files = new Dictionary<string, string>
        {
            ["election.json"] = """{"id":"x","ruleSet":"nevada-2020","candidates":["A"]}""",
            ["counties.csv"] = "county,district,countyDelegates,stateDelegates\nClark,CD1,3,2\n",
            ["precincts.csv"] = "id,county,name,delegates,kind\nclark/1,Clark,1,3,precinct\n",
        };
        var e = Assert.Throws<ElectionDefinitionException>(() => ElectionDefinition.Load(files.GetValueOrDefault));
        Assert.Contains("stateDelegates must equal countyDelegates", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_entries_whose_card_draws_differ_are_read_back_by_the_order_the_cards_ranked()
    {
        var tally = Tallies.Same(14, ("Biden", 7), ("Sanders", 7));
        var a = tally.WithTieBreaks([TieBreak.Ranked(["Sanders", "Biden"])]);
        var b = tally.WithTieBreaks([TieBreak.Ranked(["Biden", "Sanders"])]);
        Assert.Equal(["tieBreaks: Sanders > Biden drawn among Biden/Sanders vs Biden > Sanders drawn among Biden/Sanders"],
            Caucus.Core.Counting.DoubleEntry.Differences(a, b).ToArray());
    }
}
