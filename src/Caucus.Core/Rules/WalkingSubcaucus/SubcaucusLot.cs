using System.Collections.Immutable;

namespace Caucus.Core.Rules.WalkingSubcaucus;

/// <summary>
/// How equal remainders are settled, recorded with the count: the order a lot was drawn in (first wins), or a seed from
/// which every subcaucus gets a reproducible random rank (SubCalc's way: the lower rank loses).
/// </summary>
public sealed record SubcaucusLot(ImmutableArray<string> Order, ulong? Seed)
{
    public static SubcaucusLot Drawn(params string[] order) => new([.. order], null);

    public static SubcaucusLot FromSeed(ulong seed) => new([], seed);

    /// <summary>The tied subcaucuses from winner to loser, or null when this lot does not rank all of them.</summary>
    internal List<string>? Rank(IReadOnlyCollection<string> tied)
    {
        if (Seed is { } seed) return [.. tied.OrderByDescending(name => RankOf(seed, name)).ThenBy(name => name, StringComparer.Ordinal)];
        if (tied.Any(name => !Order.Contains(name, StringComparer.Ordinal))) return null;
        return [.. tied.OrderBy(name => Order.IndexOf(name, 0, StringComparer.Ordinal))];
    }

    /// <summary>
    /// A subcaucus's rank under a seed: SplitMix64 of the seed mixed with the name's FNV-1a hash, so the rank depends on
    /// the seed and the name only (not on the order the subcaucuses were entered) and anyone can recompute it.
    /// </summary>
    public static ulong RankOf(ulong seed, string name)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in System.Text.Encoding.UTF8.GetBytes(name))
        {
            hash ^= b;
            hash *= 1099511628211UL;
        }
        var z = seed ^ hash;
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}

/// <summary>One lot as it fell: the subcaucuses with equal remainders, how many delegates were left for them, who won and lost.</summary>
public sealed record LotOutcome(ImmutableArray<string> Tied, int Seats, ImmutableArray<string> Won, ImmutableArray<string> Lost);
