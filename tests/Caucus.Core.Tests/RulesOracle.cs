using System.Collections.Immutable;

namespace Caucus.Core.Tests;

/// <summary>
/// An independent, brute-force reading of RULES.md "Delegates per group": instead of sorting and
/// taking, it enumerates every set of groups the adjustment could touch and keeps the sets the rules
/// allow (no group outside the set has a stronger claim than one inside it). Every fraction here has
/// the denominator A, so fractions are compared as integer remainders of final·D by A.
/// </summary>
internal static class RulesOracle
{
    public sealed record Reading(
        int Threshold,
        ImmutableHashSet<string> Viable,
        ImmutableDictionary<string, long> Floor,
        ImmutableArray<ImmutableSortedDictionary<string, int>> Allowed);

    /// <summary>
    /// Every allocation the rules allow, or null where RULES.md does not say (the adjustment needs more
    /// groups than were rounded the needed way).
    /// </summary>
    public static Reading? Read(int d, int a, IReadOnlyDictionary<string, int> final)
    {
        var t = PrecinctGenerators.Threshold(d, a);
        var groups = final.Keys.Order(StringComparer.Ordinal).ToArray();
        var viable = groups.Where(g => final[g] > 0 && final[g] >= t).ToImmutableHashSet(StringComparer.Ordinal);
        var zero = groups.ToImmutableSortedDictionary(g => g, _ => 0, StringComparer.Ordinal);
        var floor = ImmutableDictionary<string, long>.Empty;
        if (d == 0 || a == 0 || viable.IsEmpty)
        {
            return new(t, viable, floor, [zero]);
        }
        if (d == 1)
        {
            var most = viable.Max(g => final[g]);
            return new(t, viable, groups.ToImmutableDictionary(g => g, _ => 0L),
                [.. viable.Where(g => final[g] == most).Order(StringComparer.Ordinal).Select(g => zero.SetItem(g, 1))]);
        }

        var numer = viable.ToDictionary(g => g, g => (long)final[g] * d);
        floor = viable.ToImmutableDictionary(g => g, g => numer[g] / a);
        var rem = viable.ToDictionary(g => g, g => numer[g] % a);
        var round = viable.ToDictionary(g => g, g => floor[g] + (2 * rem[g] >= a ? 1 : 0));
        var excess = round.Values.Sum() - d;
        var baseline = zero.SetItems(round.Select(r => KeyValuePair.Create(r.Key, (int)r.Value)));
        if (excess == 0) return new(t, viable, floor, [baseline]);

        string[] pool;
        Func<string, string, bool> strongerClaim; // (h, g): h should be adjusted before g
        int step;
        if (excess > 0)
        {
            // Rounded up: round > raw, i.e. 2·rem ≥ A (then rem > 0). Give first: not protected, then smallest fraction.
            pool = [.. viable.Where(g => 2 * rem[g] >= a)];
            (int, long) Key(string g) => (round[g] == 1 ? 1 : 0, rem[g]);
            strongerClaim = (h, g) => Key(h).CompareTo(Key(g)) < 0;
            step = -1;
        }
        else
        {
            pool = [.. viable.Where(g => rem[g] > 0 && 2 * rem[g] < a)];
            strongerClaim = (h, g) => rem[h] > rem[g];
            step = +1;
        }
        var needed = (int)Math.Abs(excess);
        if (needed > pool.Length) return null;

        var allowed = new List<ImmutableSortedDictionary<string, int>>();
        for (var mask = 0; mask < 1 << pool.Length; mask++)
        {
            if (System.Numerics.BitOperations.PopCount((uint)mask) != needed) continue;
            var chosen = pool.Where((_, i) => (mask & (1 << i)) != 0).ToArray();
            var others = pool.Where((_, i) => (mask & (1 << i)) == 0).ToArray();
            if (chosen.Any(g => others.Any(h => strongerClaim(h, g)))) continue;
            allowed.Add(baseline.SetItems(chosen.Select(g => KeyValuePair.Create(g, baseline[g] + step))));
        }
        return new(t, viable, floor, [.. allowed]);
    }

    public static string Show(IReadOnlyDictionary<string, int> allocation) =>
        string.Join(",", allocation.Where(x => x.Value != 0).OrderBy(x => x.Key, StringComparer.Ordinal).Select(x => $"{x.Key}={x.Value}"));
}
