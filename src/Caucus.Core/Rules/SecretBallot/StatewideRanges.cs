using System.Collections.Immutable;
using Caucus.Core.Arithmetic;
using Caucus.Core.Validation;

namespace Caucus.Core.Rules.SecretBallot;

/// <summary>A candidate's statewide delegates as they could still fall, and whether each end is the exact extreme.</summary>
public sealed record CandidateRange(string Candidate, int Low, int High, bool LowExact, bool HighExact);

/// <summary>
/// Each candidate's range of statewide delegates while at most <c>remainingVotes</c> are still out, split any way among
/// the candidates counted (every way a lot could fall included). Without a threshold the ranges are the exact extremes:
/// <list type="bullet">
/// <item>Both roundings are Hamilton's (the whole part of the quota, then the largest remainders; without a lot they give
/// the same delegates), under which more votes for a candidate never cost it a delegate (its quota rises; any other whose
/// remainder overtakes its own has dropped a whole delegate, which frees a remainder seat). So the most it can take is
/// what every vote out given to it takes (all of them where that is a majority and a majority takes all), and the
/// fewest is reached with none given to it.</item>
/// <item>The fewest: the base as large as it can be gives the smallest quota, <c>q</c>, so never fewer than ⌊q⌋; it is
/// held to ⌊q⌋ exactly when some split, with base <c>u</c>, leaves at least as many others with a remainder at least
/// its own as there are remainder seats (a lot can then go against it). That is a sum of step functions of the others'
/// votes, one threshold per whole delegate: the fewest votes that buy enough steps is a small knapsack over the delegates
/// (<see cref="FewestVotesToHold"/>), decided base by base from the largest down. Only a few bases need trying: for any
/// fixed choice of steps the votes to spare (votes out given − votes the steps cost) fall by at least (2m + 1)/s per vote
/// of base less (each step's threshold moves by (t − m − 1)/s, and the steps above m + 1 add up to at most s − 2m − 1),
/// and rounding the thresholds up costs under one vote per other candidate, so once the base is more than
/// (spare at the largest base + others) × s/(2m + 1) below the largest, no choice of steps can hold c to m.</item>
/// </list>
/// With a threshold no vote out can move anyone across (<see cref="Settled"/>) the same holds, those under it counted as
/// unallocated. While someone could still cross, a candidate's quota can jump as others do, and more votes can cost a
/// delegate (Alabama's paradox, when the base shrinks): the ends are <see cref="DelegateRanges"/>' sound bounds, each
/// marked exact only when a split tried (nothing more, or every vote out to one candidate) reaches it. A CsCheck property checks both claims
/// against every split of small counts.
/// </summary>
public static class StatewideRanges
{
    public static ImmutableArray<CandidateRange> Of(SecretBallotRules rules, IReadOnlyDictionary<string, long> votes, long remainingVotes)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(votes);
        var bounds = DelegateRanges.Of(rules, votes, remainingVotes).ToDictionary(r => r.Candidate, StringComparer.Ordinal);
        var names = votes.Keys.Order(StringComparer.Ordinal).ToList();
        // A threshold no vote out can move anyone across is no threshold: those under it count like unallocated tallies.
        if (rules.Threshold is not null && Settled(rules, votes, remainingVotes) is { } settled) rules = settled;
        var witnesses = rules.Threshold is null ? [] : Witnesses(rules, votes, remainingVotes, names);
        var ranges = ImmutableArray.CreateBuilder<CandidateRange>();
        foreach (var c in names)
        {
            var bound = bounds[c];
            if (rules.Unallocated.Contains(c))
            {
                ranges.Add(new(c, 0, 0, true, true));
                continue;
            }
            if (rules.Threshold is not null)
            {
                var reached = witnesses.Where(w => w.ContainsKey(c)).Select(w => w[c]).ToList();
                ranges.Add(new(c, bound.Low, bound.High,
                    reached.Any(r => r.Low == bound.Low), reached.Any(r => r.High == bound.High)));
                continue;
            }
            var high = HighWithoutThreshold(rules, votes, remainingVotes, c);
            var (low, lowExact) = LowWithoutThreshold(rules, votes, remainingVotes, c);
            ranges.Add(new(c, Math.Min(low, high), high, lowExact, true));
        }
        return ranges.ToImmutable();
    }

    /// <summary>
    /// The same contest without its threshold when the votes out cannot change who clears it: every candidate is over
    /// it even with none of them (its share at its smallest, v ÷ (T + R)) or under it even with all of them
    /// ((v + R) ÷ (T + R)), at least one is over (so "everyone takes part when no one clears it" cannot happen), and none
    /// under it could take a majority; those under it then take no delegate on any split, as an unallocated tally.
    /// Null when some candidate could still cross.
    /// </summary>
    private static SecretBallotRules? Settled(SecretBallotRules rules, IReadOnlyDictionary<string, long> votes, long remaining)
    {
        var t = rules.Threshold!.Value;
        var most = votes.Values.Sum() + remaining;
        if (most == 0) return null;
        var under = new HashSet<string>(rules.Unallocated, StringComparer.Ordinal);
        var anyOver = false;
        foreach (var (c, v) in votes.Where(v => !rules.Unallocated.Contains(v.Key)))
        {
            if (v > 0 && new Rational(v, most) > t) anyOver = true;
            else if (new Rational(v + remaining, most) <= t && !(rules.MajorityTakesAll && 2 * (v + remaining) > most)) under.Add(c);
            else return null;
        }
        return anyOver ? rules with { Threshold = null, Unallocated = under } : null;
    }

    /// <summary>Each candidate's fewest and most on <paramref name="votes"/> (a lot still to draw could go either way), or null when nothing is allocated.</summary>
    private static Dictionary<string, (int Low, int High)>? Outcome(SecretBallotRules rules, IReadOnlyDictionary<string, long> votes)
    {
        SecretBallotAllocation allocation;
        try
        {
            allocation = StatewideAllocator.Allocate(rules, votes);
        }
        catch (TallyException)
        {
            return null; // no vote, or every vote for a tally that takes no delegate: no allocation to reach
        }
        return allocation.Delegates.ToDictionary(d => d.Key,
            d => (d.Value, d.Value + (allocation.Lot is { } lot && lot.Candidates.Contains(d.Key) ? 1 : 0)), StringComparer.Ordinal);
    }

    private static List<Dictionary<string, (int Low, int High)>> Witnesses(SecretBallotRules rules, IReadOnlyDictionary<string, long> votes,
        long remaining, List<string> names)
    {
        var splits = new List<Dictionary<string, (int, int)>>();
        if (Outcome(rules, votes) is { } now) splits.Add(now);
        if (remaining == 0) return splits;
        foreach (var to in names)
        {
            var then = votes.ToDictionary(v => v.Key, v => v.Value + (v.Key == to ? remaining : 0), StringComparer.Ordinal);
            if (Outcome(rules, then) is { } outcome) splits.Add(outcome);
        }
        return splits;
    }

    private static int HighWithoutThreshold(SecretBallotRules rules, IReadOnlyDictionary<string, long> votes, long remaining, string c)
    {
        var total = votes.Values.Sum();
        if (rules.MajorityTakesAll)
        {
            if (votes.Any(o => o.Key != c && !rules.Unallocated.Contains(o.Key) && 2 * o.Value > total + remaining)) return 0;
            if (2 * (votes[c] + remaining) > total + remaining) return rules.Delegates;
        }
        var toC = votes.ToDictionary(v => v.Key, v => v.Value + (v.Key == c ? remaining : 0), StringComparer.Ordinal);
        return Outcome(rules, toC) is { } outcome ? outcome[c].High : 0;
    }

    private static (int Low, bool Exact) LowWithoutThreshold(SecretBallotRules rules, IReadOnlyDictionary<string, long> votes, long remaining, string c)
    {
        var s = rules.Delegates;
        var total = votes.Values.Sum();
        var vc = votes[c];
        var others = votes.Where(o => o.Key != c && !rules.Unallocated.Contains(o.Key)).Select(o => o.Value).ToArray();
        var hasUnallocated = votes.Keys.Any(rules.Unallocated.Contains);
        if (rules.MajorityTakesAll)
        {
            if (2 * vc > total + remaining) return (s, true);
            if (others.Any(o => 2 * (o + remaining) > total + remaining)) return (0, true);
        }
        // None for c: it takes nothing when another can be counted, and everything when it alone can.
        if (vc == 0) return others.Any(o => o > 0) || (others.Length > 0 && remaining > 0) ? (0, true) : (s, true);
        var b0 = vc + others.Sum();
        var uHigh = b0 + (others.Length > 0 ? remaining : 0);
        // The smallest quota, with every vote out to the others: c never takes fewer than its whole part m.
        var m = (int)(vc * s / uHigh);
        if (vc * s % uHigh == 0) return (m, true);
        // Bases where c's quota stays under m + 1: u > vc·s/(m + 1).
        var uLow = Math.Max(b0, vc * s / (m + 1) + 1);
        // Past this base the spare votes cannot come back (the window argument above); null until the largest base is tried.
        long? lowest = null;
        for (var u = uHigh; u >= uLow && (lowest is null || u >= lowest); u--)
        {
            var given = u - b0;
            var cost = FewestVotesToHold(s, m, vc, u, given, others);
            // A majority for c (every vote counted, the unallocated ones included) would give it everything; more base
            // only makes that less likely, so the largest base decides the window either way.
            var most = total + given + (hasUnallocated ? remaining - given : 0);
            var majority = rules.MajorityTakesAll && 2 * vc > most;
            if (cost <= given && !majority) return (m, true);
            if (lowest is null)
            {
                var spare = cost == long.MaxValue ? -1 : given - cost; // negative here
                var reach = (spare + others.Length) * s / (2L * m + 1);
                if (reach < 0) break;
                lowest = u - reach;
            }
        }
        return (m + 1, true);
    }

    /// <summary>
    /// The fewest votes, added to the others (c's base then <paramref name="u"/>), that hold c to its whole part
    /// <paramref name="m"/>, or <see cref="long.MaxValue"/> when more than <paramref name="given"/> would be needed: c's
    /// remainder is f = vc·s/u − m, and a lot can go against it exactly when at least as many others have a remainder
    /// of f or more as there are remainder seats, that is when the others' ⌊q_j + 1 − f⌋ sum to s − m or more. Each is a
    /// step function of the other's votes, rising by one at w = ⌈((t − m − 1)·u + vc·s) ÷ s⌉ for its t-th step; the
    /// fewest votes that buy s − m steps is a knapsack over the steps (at most s − m of them), solved exactly.
    /// </summary>
    internal static long FewestVotesToHold(int s, int m, long vc, long u, long given, long[] others)
    {
        var need = s - m;
        var best = new long[need + 1];
        var next = new long[need + 1];
        Array.Fill(best, long.MaxValue);
        best[0] = 0;
        foreach (var v in others)
        {
            Array.Fill(next, long.MaxValue);
            var start = (int)Int128.Min(need, ((Int128)v * s + (Int128)(m + 1) * u - (Int128)vc * s) / u);
            for (var g = 0; g <= need; g++)
            {
                if (best[g] == long.MaxValue) continue;
                for (var t = start; t <= need; t++)
                {
                    var cost = t == start ? 0 : Math.Max(0, CeilDiv((Int128)(t - m - 1) * u + (Int128)vc * s, s) - v);
                    var total = best[g] + cost;
                    if (total > given) break;
                    var at = Math.Min(need, g + t);
                    if (total < next[at]) next[at] = total;
                }
            }
            (best, next) = (next, best);
        }
        return best[need];
    }

    private static long CeilDiv(Int128 a, long b) => (long)(a >= 0 ? (a + b - 1) / b : -(-a / b));
}
