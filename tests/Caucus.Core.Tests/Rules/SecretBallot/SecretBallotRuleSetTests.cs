using Caucus.Core.Aggregation;
using Caucus.Core.Allocation;
using Caucus.Core.Counting;
using Caucus.Core.Definitions;
using Caucus.Core.Model;
using Caucus.Core.Rules;
using Caucus.Core.Rules.SecretBallot;
using Caucus.Core.Validation;
using CsCheck;

namespace Caucus.Core.Tests.Rules.SecretBallot;

/// <summary>The secret ballot as a rule set the service loads: a unit reports votes and elects no one; the headline is statewide.</summary>
public class SecretBallotRuleSetTests
{
    private const string Json = """
        {"id":"sb","name":"A secret ballot","ruleSet":"secret-ballot","candidates":["A","B","C"],
         "secretBallot":{"delegates":10,"threshold":null,"majorityTakesAll":false,"rounding":"largest-remainder"}}
        """;

    private const string Counties = "county,district,countyDelegates,stateDelegates\nNorth,CD1,0,0\nSouth,CD2,0,0\n";

    private const string Precincts = "id,county,name,delegates,kind,registered\nn1,North,N1,0,precinct,500\nn2,North,N2,0,precinct,\ns1,South,S1,0,precinct,300\n";

    private static Election Load(string json = Json) => ElectionDefinition.Load(name => name switch
    {
        ElectionDefinition.ElectionFile => json,
        ElectionDefinition.CountiesFile => Counties,
        ElectionDefinition.PrecinctsFile => Precincts,
        _ => null,
    });

    private static Tally Votes(int ballots, params (string, int)[] votes) => Tallies.Same(ballots, votes);

    [Fact]
    public void A_folder_names_the_rule_set_and_its_parameters_and_one_without_them_is_refused_naming_the_block()
    {
        var election = Load();
        var rules = Assert.IsType<SecretBallotRuleSet>(election.RuleSet);
        Assert.Equal((10, DelegateRounding.LargestRemainder), (rules.Rules.Delegates, rules.Rules.Rounding));
        Assert.True(election.RuleSet.Form.OneRound);
        Assert.True(election.RuleSet.Headline.Statewide);
        Assert.NotNull(election.RuleSet.Statewide);
        Assert.Contains(SecretBallotRuleSet.RuleSetName, RuleSets.Names);

        var refused = Assert.Throws<ElectionDefinitionException>(() => Load(Json.Replace("\"secretBallot\"", "\"other\"", StringComparison.Ordinal)));
        Assert.Contains("\"secretBallot\"", refused.Message, StringComparison.Ordinal);
        var badLot = Assert.Throws<ElectionDefinitionException>(() => Load(Json.Replace("\"rounding\"", "\"lot\":[\"A\",\"A\"],\"rounding\"", StringComparison.Ordinal)));
        Assert.Contains("secretBallot.lot", badLot.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Election_new_refuses_a_secret_ballot_naming_the_block_it_cannot_write_and_still_reports_every_other_problem()
    {
        var problems = new List<DefinitionProblem>();
        var files = PartyPrecinctList.Build("p.csv", "county,precinct,delegates\nStory,Ames 1,0\n",
            new ElectionSettings("sb", "SB", SecretBallotRuleSet.RuleSetName, ["A", "A"], null), problems);
        Assert.Null(files);
        Assert.Contains(problems, p => p.ToString().Contains("\"secretBallot\"", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.ToString().Contains("listed twice", StringComparison.Ordinal));
    }

    [Fact]
    public void A_unit_carries_its_votes_and_no_delegate_and_more_votes_than_ballots_is_a_rule_set_check()
    {
        var election = Load();
        var allocation = election.RuleSet.Allocate(0, Votes(100, ("A", 60), ("B", 40)));
        Assert.Equal(0, allocation.TotalDelegates);
        Assert.Equal(AllocationStatus.Decided, allocation.Status);
        Assert.Equal(60, allocation.Groups.Single(g => g.Group == "A").Final);
        Assert.Empty(allocation.Warnings);

        var over = election.RuleSet.Allocate(0, Votes(90, ("A", 60), ("B", 40)));
        var warning = Assert.Single(over.Warnings);
        Assert.Equal(WarningCode.VotesExceedBallots, warning.Code);
        Assert.True(warning.Code.NeedsReview());
    }

    [Fact]
    public void Ballots_above_the_units_registered_voters_are_a_rule_set_check_only_where_the_folder_gives_them()
    {
        var election = Load();
        var above = PrecinctResult.Compute(election, election.FindPrecinct("s1")!, Votes(301, ("A", 301)));
        Assert.Contains(above.Allocation.Warnings, w => w.Code == WarningCode.BallotsAboveRegistered && w.Message.Contains("300", StringComparison.Ordinal));
        var noFigure = PrecinctResult.Compute(election, election.FindPrecinct("n2")!, Votes(5_000, ("A", 5_000)));
        Assert.Empty(noFigure.Allocation.Warnings);
    }

    [Fact]
    public void The_statewide_totals_are_the_allocation_of_the_summed_vote_and_a_county_carries_votes_only()
    {
        var election = Load();
        var aggregate = new ResultsAggregate(election);
        aggregate.Apply(PrecinctResult.Compute(election, election.FindPrecinct("n1")!, Votes(400, ("A", 250), ("B", 150))));
        aggregate.Apply(PrecinctResult.Compute(election, election.FindPrecinct("s1")!, Votes(300, ("B", 200), ("C", 100))));

        var statewide = aggregate.Statewide();
        // A 250, B 350, C 100 of 700, 10 delegates: quotas 3.57, 5, 1.43 → 3 + 5 + 1 = 9, the last to A's .57.
        var expected = StatewideAllocator.Allocate(((SecretBallotRuleSet)election.RuleSet).Rules,
            new Dictionary<string, long>(StringComparer.Ordinal) { ["A"] = 250, ["B"] = 350, ["C"] = 100 });
        Assert.Equal((4, 5, 1), (expected.Delegates["A"], expected.Delegates["B"], expected.Delegates["C"]));
        foreach (var c in statewide.Candidates) Assert.Equal(expected.Delegates[c.Name], (int)c.Sde.Floor());
        var headline = Assert.IsType<StatewideCount>(statewide.Headline);
        // n2 is out, without figures: the rule set's limit for a unit of no delegate, 200 + 20,000.
        Assert.Equal(20_200, headline.RemainingVotes);
        Assert.True(headline.RangesExact);
        Assert.Equal(headline.Candidates.Sum(c => c.Low), headline.Called);
        foreach (var c in statewide.Candidates) Assert.True(c.SdeLow <= c.Sde && c.Sde <= c.SdeHigh);

        var north = aggregate.County("North")!;
        Assert.Null(north.Headline);
        Assert.Equal(250, north.Candidates.Single(c => c.Name == "A").FinalAlignment);
        Assert.All(north.Candidates, c => Assert.Equal(0, (int)c.Sde.Floor()));

        // Every unit in: the count is the result, every delegate called.
        aggregate.Apply(PrecinctResult.Compute(election, election.FindPrecinct("n2")!, Votes(10, ("C", 10))));
        var final = aggregate.Statewide();
        Assert.Equal(0, final.Headline!.RemainingVotes);
        Assert.Equal(10, final.Headline.Called);
        Assert.All(final.Candidates, c => Assert.True(c.SdeLow == c.Sde && c.Sde == c.SdeHigh));
        // Removing a unit puts its limit back out: S1's 300 registered voters + 200.
        aggregate.Remove("s1");
        Assert.Equal(300 + 200, aggregate.Statewide().Headline!.RemainingVotes);
    }

    [Fact]
    public void A_lot_recorded_in_the_folder_settles_the_statewide_seats_it_holds_and_without_it_they_are_held()
    {
        // A 1, B 1 of 2 votes, 1 delegate: quotas .5 and .5, one seat for two equal remainders.
        var tied = Json.Replace("\"delegates\":10", "\"delegates\":1", StringComparison.Ordinal);
        Headline(Load(tied), out var pending);
        Assert.Equal(1, pending.LotSeats);
        Assert.All(pending.Candidates.Where(c => c.Name != "C"), c => Assert.Equal((0, 0, 1), (c.Delegates, c.Low, c.High)));

        Headline(Load(tied.Replace("\"rounding\"", "\"lot\":[\"B\",\"A\"],\"rounding\"", StringComparison.Ordinal)), out var drawn);
        Assert.Equal(0, drawn.LotSeats);
        Assert.Equal((1, 0), (drawn.Candidates.Single(c => c.Name == "B").Delegates, drawn.Candidates.Single(c => c.Name == "A").Delegates));
        Assert.Equal(1, drawn.Called);

        static void Headline(Election election, out StatewideCount count)
        {
            var aggregate = new ResultsAggregate(election);
            foreach (var (unit, votes) in new[] { ("n1", ("A", 1)), ("n2", ("B", 1)), ("s1", ("A", 0)) })
                aggregate.Apply(PrecinctResult.Compute(election, election.FindPrecinct(unit)!, Votes(votes.Item2, votes)));
            count = aggregate.Statewide().Headline!;
        }
    }

    [Fact]
    public void A_rule_set_check_is_named_rule_set_check_and_changes_no_count_so_it_does_not_hold_certification()
    {
        Assert.Equal("rule-set-check", System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(ReviewReason.RuleSetCheck.ToString()));
        Assert.False(ReviewReason.RuleSetCheck.CanChangeCount());
    }

    [Fact]
    public void The_fast_statewide_allocator_gives_what_the_exact_one_gives_whenever_no_lot_is_pending()
    {
        var gen = Gen.Select(Gen.Int[1, 50], Gen.Int[0, 3], Gen.Bool, Gen.Enum<DelegateRounding>(), Gen.OneOf(Gen.Long[0, 40], Gen.Long[0, 30_000]).Array[1, 7], Gen.Bool);
        var reachedLot = false;
        gen.Sample((d, threshold, majority, rounding, votes, other) =>
        {
            var names = votes.Select((_, i) => ((char)('A' + i)).ToString()).ToArray();
            var rules = new SecretBallotRules(d, threshold switch { 0 => null, 1 => new Arithmetic.Rational(15, 100), 2 => new Arithmetic.Rational(1, 4), _ => Arithmetic.Rational.Zero },
                majority, rounding, other ? new HashSet<string>(["A"], StringComparer.Ordinal) : new HashSet<string>(StringComparer.Ordinal));
            var byName = names.Select((n, i) => (n, votes[i])).ToDictionary(x => x.n, x => x.Item2, StringComparer.Ordinal);
            var seats = new double[names.Length];
            new SecretBallotRuleSet(rules).Statewide.CreateFastAllocator(names).Allocate([.. votes.Select(v => (double)v)], seats);
            SecretBallotAllocation exact;
            try
            {
                exact = StatewideAllocator.Allocate(rules, byName);
            }
            catch (TallyException)
            {
                Assert.All(seats, s => Assert.Equal(0, s));
                return;
            }
            if (exact.Lot is not null)
            {
                // The fast path gives the lot's seats to the earliest tied candidates: a fair lot's provisional outcome.
                reachedLot = true;
                Assert.Equal(rules.Delegates, (int)seats.Sum());
                return;
            }
            for (var i = 0; i < names.Length; i++) Assert.Equal(exact.Delegates[names[i]], (int)seats[i]);
        }, iter: 5_000);
        Assert.True(reachedLot, "the generator must reach a pending lot");
    }
}
