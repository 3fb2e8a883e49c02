using System.Collections.Immutable;
using System.Numerics;
using Caucus.Core.Arithmetic;
using Caucus.Core.Validation;

namespace Caucus.Core.Rules.SecretBallot;

/// <summary>
/// The statewide allocation of a secret-ballot contest's national delegates from the summed vote, in exact arithmetic
/// (shared/rules/secret-ballot.md). Pure and total: an allocation, or a <see cref="TallyException"/> naming the field.
/// Equal claims on the last delegates are settled by a recorded lot (<c>lot</c>: candidates in the order the lot
/// ranked them, first wins); without one the allocation says which seats and candidates are at stake.
/// </summary>
public static class StatewideAllocator
{
    public static SecretBallotAllocation Allocate(SecretBallotRules rules, IReadOnlyDictionary<string, long> votes,
        IReadOnlyList<string>? lot = null)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(votes);
        rules.Validated();
        foreach (var (candidate, count) in votes)
        {
            if (string.IsNullOrWhiteSpace(candidate)) throw new TallyException("votes", "A vote count has no candidate name.");
            if (count < 0) throw new TallyException($"votes.{candidate}", $"{candidate}: {count} votes; a count is zero or more.");
        }
        var total = votes.Values.Sum();
        if (total == 0) throw new TallyException("votes", "No votes are counted yet: there is nothing to allocate.");

        var allocatable = votes.Where(v => !rules.Unallocated.Contains(v.Key)).ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal);
        var delegates = votes.Keys.ToImmutableSortedDictionary(k => k, _ => 0, StringComparer.Ordinal).ToBuilder();
        var quotas = ImmutableSortedDictionary.CreateBuilder<string, Rational>(StringComparer.Ordinal);

        // More than half of every vote counted takes every delegate, where the contest says so.
        if (rules.MajorityTakesAll && allocatable.FirstOrDefault(v => 2 * v.Value > total) is { Key: { } winner })
        {
            delegates[winner] = rules.Delegates;
            quotas[winner] = rules.Delegates;
            return new(delegates.ToImmutable(), quotas.ToImmutable(), [winner], winner, null, total);
        }

        // The threshold is a share of every vote counted; when no one clears it, every candidate with votes takes part.
        var eligible = allocatable.Where(v => v.Value > 0 && (rules.Threshold is not { } t || new Rational(v.Value, total) > t))
            .Select(v => v.Key).ToList();
        if (eligible.Count == 0) eligible = [.. allocatable.Where(v => v.Value > 0).Select(v => v.Key)];
        if (eligible.Count == 0) throw new TallyException("votes", "Every vote counted is for a tally that cannot take a delegate.");
        eligible.Sort(StringComparer.Ordinal);

        var base_ = eligible.Sum(c => allocatable[c]);
        foreach (var c in eligible) quotas[c] = new Rational(allocatable[c] * (BigInteger)rules.Delegates, base_);

        var award = eligible.ToDictionary(c => c, c => 0, StringComparer.Ordinal);
        var lotAtStake = rules.Rounding switch
        {
            DelegateRounding.NearestWithAdjustment => NearestWithAdjustment(rules.Delegates, eligible, quotas, award, lot),
            DelegateRounding.LargestRemainder => LargestRemainder(rules.Delegates, eligible, quotas, award, lot),
            _ => throw new TallyException("rounding", $"Unknown rounding {rules.Rounding}."),
        };
        foreach (var (c, n) in award) delegates[c] = n;
        return new(delegates.ToImmutable(), quotas.ToImmutable(), [.. eligible], null, lotAtStake, total);
    }

    /// <summary>Iowa GOP 2024's reading: round each quota to nearest (halves up), then one at a time up or down.</summary>
    private static LotAtStake? NearestWithAdjustment(int seats, List<string> eligible,
        ImmutableSortedDictionary<string, Rational>.Builder quotas, Dictionary<string, int> award, IReadOnlyList<string>? lot)
    {
        foreach (var c in eligible) award[c] = (int)quotas[c].RoundHalfUp();
        // The candidate nearest to rounding up has the largest quota − award; the one furthest from it the smallest
        // (only a candidate with a delegate can give one back). Each step moves one candidate's gap by a whole delegate.
        while (award.Values.Sum() != seats)
        {
            var tooFew = award.Values.Sum() < seats;
            var candidates = eligible.Where(c => tooFew || award[c] > 0).ToList();
            var gaps = candidates.ToDictionary(c => c, c => quotas[c] - award[c], StringComparer.Ordinal);
            var best = tooFew ? gaps.Values.Max() : gaps.Values.Min();
            var tied = candidates.Where(c => gaps[c] == best).ToList();
            var step = tooFew ? 1 : -1;
            var moves = Math.Abs(seats - award.Values.Sum());
            if (tied.Count <= moves)
            {
                // Every one of the equal claims moves: no lot is needed.
                foreach (var c in tied) award[c] += step;
                continue;
            }
            // More equal claims than moves: the lot decides; without one, those seats are at stake.
            var ranked = Ranked(tied, lot);
            if (ranked is null)
            {
                if (tooFew) return new LotAtStake([.. tied], moves);
                // Too many: every tied candidate gives one back, and the lot returns the seats the others keep.
                foreach (var c in tied) award[c] -= 1;
                return new LotAtStake([.. tied], tied.Count - moves);
            }
            foreach (var c in tooFew ? ranked.Take(moves) : ranked.TakeLast(moves)) award[c] += step;
        }
        return null;
    }

    /// <summary>Iowa GOP 2016's: each quota's whole part, then the delegates left by largest remainder.</summary>
    private static LotAtStake? LargestRemainder(int seats, List<string> eligible,
        ImmutableSortedDictionary<string, Rational>.Builder quotas, Dictionary<string, int> award, IReadOnlyList<string>? lot)
    {
        foreach (var c in eligible) award[c] = (int)quotas[c].Floor();
        var left = seats - award.Values.Sum();
        // Remainders from largest down; a group of equal remainders that does not fit whole goes to the lot.
        foreach (var group in eligible.GroupBy(c => quotas[c].FractionalPart).OrderByDescending(g => g.Key))
        {
            if (left == 0) break;
            var members = group.ToList();
            if (members.Count <= left)
            {
                foreach (var c in members) award[c] += 1;
                left -= members.Count;
                continue;
            }
            var ranked = Ranked(members, lot);
            if (ranked is null) return new LotAtStake([.. members], left);
            foreach (var c in ranked.Take(left)) award[c] += 1;
            left = 0;
        }
        return null;
    }

    /// <summary>The tied candidates in the recorded lot's order, or null when the lot does not rank every one of them.</summary>
    private static List<string>? Ranked(List<string> tied, IReadOnlyList<string>? lot)
    {
        if (lot is null || tied.Any(c => !lot.Contains(c))) return null;
        return [.. tied.OrderBy(c => lot.IndexOf(c))];
    }

    private static int IndexOf(this IReadOnlyList<string> list, string item)
    {
        for (var i = 0; i < list.Count; i++)
            if (string.Equals(list[i], item, StringComparison.Ordinal)) return i;
        return -1;
    }
}
