using Caucus.Core.Arithmetic;
using Caucus.Core.Rules.SecretBallot;
using Caucus.Core.Validation;

namespace Caucus.Core.Tests.Rules.SecretBallot;

/// <summary>The statewide allocation against the public record and the rules file's own cases.</summary>
public class StatewideAllocatorGoldenTests
{
    /// <summary>
    /// Iowa GOP 2024, the party's certified statewide count for the four candidates who took delegates; Binkley and
    /// Hutchinson as reported on the night (the certified minor counts were not at hand; at under 1% each they move
    /// no delegate, which the next test checks over a range).
    /// </summary>
    private static Dictionary<string, long> Iowa2024(long binkley = 774, long hutchinson = 191, long other = 90) => new(StringComparer.Ordinal)
    {
        ["Trump"] = 56_243, ["DeSantis"] = 23_491, ["Haley"] = 21_027, ["Ramaswamy"] = 8_430,
        ["Binkley"] = binkley, ["Hutchinson"] = hutchinson, ["Other"] = other,
    };

    [Fact]
    public void Iowa_gop_2024_gives_Trump_20_DeSantis_9_Haley_8_Ramaswamy_3_of_40()
    {
        var result = StatewideAllocator.Allocate(SecretBallotRules.IowaGop2024, Iowa2024());
        Assert.Equal(20, result.Delegates["Trump"]);
        Assert.Equal(9, result.Delegates["DeSantis"]);
        Assert.Equal(8, result.Delegates["Haley"]);
        Assert.Equal(3, result.Delegates["Ramaswamy"]);
        Assert.Equal(0, result.Delegates["Binkley"]);
        Assert.Equal(0, result.Delegates["Other"]);
        Assert.Equal(40, result.Given);
        Assert.Null(result.Lot);
        Assert.DoesNotContain("Other", result.Eligible);
    }

    [Theory]
    [InlineData(600, 100, 0)]
    [InlineData(900, 250, 300)]
    [InlineData(774, 191, 90)]
    public void Iowa_gop_2024_minor_counts_anywhere_near_the_record_move_no_delegate(long binkley, long hutchinson, long other)
    {
        var result = StatewideAllocator.Allocate(SecretBallotRules.IowaGop2024, Iowa2024(binkley, hutchinson, other));
        Assert.Equal([20, 9, 8, 3], (int[])[result.Delegates["Trump"], result.Delegates["DeSantis"], result.Delegates["Haley"], result.Delegates["Ramaswamy"]]);
    }

    /// <summary>
    /// Iowa GOP 2016, the party's certified count (total 186,932): 30 delegates by largest remainder. Fiorina (.559),
    /// Kasich (.558) and Huckabee (.537) took the last seats; Christie (.527) did not.
    /// </summary>
    [Fact]
    public void Iowa_gop_2016_fills_the_last_seats_by_largest_remainder()
    {
        var votes = new Dictionary<string, long>(StringComparer.Ordinal)
        {
            ["Cruz"] = 51_666, ["Trump"] = 45_429, ["Rubio"] = 43_228, ["Carson"] = 17_398, ["Paul"] = 8_481, ["Bush"] = 5_238,
            ["Fiorina"] = 3_485, ["Kasich"] = 3_474, ["Huckabee"] = 3_345, ["Christie"] = 3_284, ["Santorum"] = 1_779,
            ["Gilmore"] = 12, ["Other"] = 113,
        };
        var result = StatewideAllocator.Allocate(SecretBallotRules.IowaGop2016, votes);
        Assert.Equal(186_932, result.TotalVotes);
        var expected = new Dictionary<string, int>
        {
            ["Cruz"] = 8, ["Trump"] = 7, ["Rubio"] = 7, ["Carson"] = 3, ["Paul"] = 1, ["Bush"] = 1, ["Fiorina"] = 1, ["Kasich"] = 1,
            ["Huckabee"] = 1, ["Christie"] = 0, ["Santorum"] = 0, ["Gilmore"] = 0, ["Other"] = 0,
        };
        foreach (var (candidate, delegates) in expected) Assert.True(delegates == result.Delegates[candidate], $"{candidate}: {result.Delegates[candidate]}");
        Assert.Equal("0.527", result.Quotas["Christie"].FractionalPart.ToDecimalString(3));
        Assert.Equal("0.537", result.Quotas["Huckabee"].FractionalPart.ToDecimalString(3));
    }

    [Fact]
    public void More_than_half_takes_every_delegate_where_the_contest_says_so()
    {
        var votes = new Dictionary<string, long>(StringComparer.Ordinal) { ["Trump"] = 50_001, ["Haley"] = 30_000, ["DeSantis"] = 19_999 };
        var result = StatewideAllocator.Allocate(SecretBallotRules.IdahoGop2024, votes);
        Assert.Equal("Trump", result.MajorityWinner);
        Assert.Equal(32, result.Delegates["Trump"]);
        Assert.Equal(0, result.Delegates["Haley"]);

        // Exactly half is not more than half: proportional among those over 15%.
        votes["Trump"] = 50_000;
        votes["DeSantis"] = 20_000;
        var proportional = StatewideAllocator.Allocate(SecretBallotRules.IdahoGop2024, votes);
        Assert.Null(proportional.MajorityWinner);
        Assert.Equal(16, proportional.Delegates["Trump"]);
        Assert.Equal(10, proportional.Delegates["Haley"]);
        Assert.Equal(6, proportional.Delegates["DeSantis"]);
    }

    [Fact]
    public void Under_a_threshold_a_candidate_takes_nothing_and_the_quotas_are_shares_of_those_over_it()
    {
        var votes = new Dictionary<string, long>(StringComparer.Ordinal) { ["A"] = 45, ["B"] = 40, ["C"] = 15, };
        var rules = SecretBallotRules.IdahoGop2024 with { Delegates = 10 };
        var result = StatewideAllocator.Allocate(rules, votes);
        // C has exactly 15%: not over it.
        Assert.DoesNotContain("C", result.Eligible);
        Assert.Equal(0, result.Delegates["C"]);
        Assert.Equal(new Rational(450, 85), result.Quotas["A"]);
        Assert.Equal(5, result.Delegates["A"]);
        Assert.Equal(5, result.Delegates["B"]);
    }

    [Fact]
    public void Equal_remainders_for_the_last_delegate_wait_for_the_lot_and_follow_it_once_recorded()
    {
        var votes = new Dictionary<string, long>(StringComparer.Ordinal) { ["A"] = 10, ["B"] = 10, ["C"] = 10 };
        foreach (var rounding in (DelegateRounding[])[DelegateRounding.LargestRemainder, DelegateRounding.NearestWithAdjustment])
        {
            var rules = new SecretBallotRules(4, null, false, rounding);
            var pending = StatewideAllocator.Allocate(rules, votes);
            var lot = Assert.IsType<LotAtStake>(pending.Lot);
            Assert.Equal(["A", "B", "C"], lot.Candidates.Order(StringComparer.Ordinal));
            Assert.Equal(1, lot.Seats);
            Assert.Equal(3, pending.Given);

            var drawn = StatewideAllocator.Allocate(rules, votes, lot: ["B", "C", "A"]);
            Assert.Null(drawn.Lot);
            Assert.Equal(2, drawn.Delegates["B"]);
            Assert.Equal(1, drawn.Delegates["A"]);
            Assert.Equal(1, drawn.Delegates["C"]);
        }
    }

    [Fact]
    public void Bad_counts_are_refused_naming_the_field()
    {
        var negative = Assert.Throws<TallyException>(() => StatewideAllocator.Allocate(SecretBallotRules.IowaGop2024,
            new Dictionary<string, long> { ["Trump"] = -1 }));
        Assert.Equal("votes.Trump", negative.Field);
        var none = Assert.Throws<TallyException>(() => StatewideAllocator.Allocate(SecretBallotRules.IowaGop2024,
            new Dictionary<string, long> { ["Trump"] = 0 }));
        Assert.Equal("votes", none.Field);
        var delegates = Assert.Throws<TallyException>(() => StatewideAllocator.Allocate(SecretBallotRules.IowaGop2024 with { Delegates = 0 },
            new Dictionary<string, long> { ["Trump"] = 1 }));
        Assert.Equal("delegates", delegates.Field);
    }
}
