using Caucus.Core.Rules.SecretBallot;
using CsCheck;

namespace Caucus.Core.Tests.Rules.SecretBallot;

/// <summary>Invariants of the statewide allocation over generated counts and parameters.</summary>
public class StatewideAllocatorPropertyTests
{
    private static readonly Gen<Dictionary<string, long>> Votes =
        Gen.Long[0, 5_000].Array[1, 8].Where(v => v.Sum() > 0)
            .Select(v => v.Select((n, i) => (Name: ((char)('A' + i)).ToString(), n)).ToDictionary(x => x.Name, x => x.n, StringComparer.Ordinal));

    private static readonly Gen<SecretBallotRules> Rules =
        Gen.Select(Gen.Int[1, 60], Gen.Int[0, 30], Gen.Bool, Gen.Enum<DelegateRounding>())
            .Select((d, threshold, majority, rounding) => new SecretBallotRules(d, threshold == 0 ? null : new Caucus.Core.Arithmetic.Rational(threshold, 100), majority, rounding));

    [Fact]
    public void Every_delegate_is_given_or_held_by_a_lot_and_only_to_eligible_candidates()
    {
        Gen.Select(Rules, Votes).Sample((rules, votes) =>
        {
            var result = StatewideAllocator.Allocate(rules, votes);
            Assert.Equal(rules.Delegates, result.Given + (result.Lot?.Seats ?? 0));
            foreach (var (candidate, delegates) in result.Delegates)
            {
                Assert.True(delegates >= 0);
                if (delegates > 0) Assert.Contains(candidate, result.Eligible);
            }
        }, iter: 5_000);
    }

    [Fact]
    public void Without_a_majority_winner_each_candidate_gets_the_whole_part_of_its_quota_or_one_more()
    {
        Gen.Select(Rules, Votes).Sample((rules, votes) =>
        {
            var result = StatewideAllocator.Allocate(rules, votes, lot: [.. votes.Keys]);
            Assert.Null(result.Lot);
            if (result.MajorityWinner is not null) return;
            foreach (var (candidate, quota) in result.Quotas)
            {
                var delegates = result.Delegates[candidate];
                Assert.InRange(delegates, (int)quota.Floor(), (int)quota.Ceiling());
            }
        }, iter: 5_000);
    }

    [Fact]
    public void Nearest_with_adjustment_and_largest_remainder_agree_whenever_no_lot_is_drawn()
    {
        Gen.Select(Rules, Votes).Sample((rules, votes) =>
        {
            var nearest = StatewideAllocator.Allocate(rules with { Rounding = DelegateRounding.NearestWithAdjustment }, votes);
            var largest = StatewideAllocator.Allocate(rules with { Rounding = DelegateRounding.LargestRemainder }, votes);
            if (nearest.Lot is not null || largest.Lot is not null) return;
            Assert.Equal(largest.Delegates, nearest.Delegates);
        }, iter: 5_000);
    }

    [Fact]
    public void The_order_the_counts_arrive_in_changes_nothing()
    {
        Gen.Select(Rules, Votes, Gen.Int).Sample((rules, votes, seed) =>
        {
            var random = new Random(seed);
            var shuffled = votes.OrderBy(_ => random.Next()).ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal);
            var a = StatewideAllocator.Allocate(rules, votes);
            var b = StatewideAllocator.Allocate(rules, shuffled);
            Assert.Equal(a.Delegates, b.Delegates);
            Assert.Equal(a.Lot?.Seats, b.Lot?.Seats);
        }, iter: 2_000);
    }
}
