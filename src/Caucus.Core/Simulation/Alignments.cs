using Caucus.Core.Projection;

namespace Caucus.Core.Simulation;

/// <summary>
/// How a synthetic precinct's people split into groups and walk between alignments: the one place the synthetic night
/// and the core tests' synthetic elections (<c>SyntheticElections</c>) draw a precinct's counts, so both are the same model.
/// </summary>
public static class Alignments
{

    /// <summary>
    /// <paramref name="people"/> split by <paramref name="weights"/> (each group's count rounded to nearest, so the
    /// total may differ from <paramref name="people"/> by a few, as counts do). Never all zero: when rounding leaves no
    /// one, the first group has one.
    /// </summary>
    public static int[] Split(int people, ReadOnlySpan<double> weights)
    {
        var total = 0.0;
        foreach (var w in weights) total += w;
        var counts = new int[weights.Length];
        for (var c = 0; c < counts.Length; c++) counts[c] = total > 0 ? (int)Math.Round(people * weights[c] / total) : 0;
        if (counts.Length > 0 && counts.Sum() == 0) counts[0] = 1;
        return counts;
    }

    /// <summary>
    /// The final alignment after realignment: groups with at least <paramref name="threshold"/> in the first alignment
    /// keep their members; nine in ten of a non-viable group's members (rounded down; the rest go home) join one viable group (the first in
    /// a random rotation); when no one is in a viable group, everyone joins the largest viable group, or the largest group when none is.
    /// </summary>
    public static int[] Realign(ref Xoshiro256 rng, int[] first, int threshold)
    {
        ArgumentNullException.ThrowIfNull(first);
        return Realign(ref rng, first, [.. first.Select(n => n > 0 && n >= threshold)]);
    }

    /// <summary>As <see cref="Realign(ref Xoshiro256, int[], int)"/>, with viability decided by the caller (e.g. on the count with the early vote merged in).</summary>
    public static int[] Realign(ref Xoshiro256 rng, int[] first, bool[] viable)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(viable);
        var final = first.Select((n, c) => viable[c] ? n : 0).ToArray();
        if (final.Sum() == 0)
        {
            // No one in person is in a viable group: all join the largest viable group (viable on the early vote alone), or
            // when none is, the largest group (they combine until one is).
            var largest = Enumerable.Range(0, first.Length).Where(c => viable[c]).DefaultIfEmpty(Array.IndexOf(first, first.Max()))
                .MaxBy(c => first[c]);
            final[largest] = first.Sum();
            return final;
        }
        for (var c = 0; c < first.Length; c++)
        {
            if (final[c] > 0 || first[c] == 0) continue;
            var start = rng.NextInt(first.Length);
            for (var j = 0; j < first.Length; j++)
            {
                var target = (start + j) % first.Length;
                if (final[target] == 0) continue;
                final[target] += first[c] * 9 / 10;
                break;
            }
        }
        return final;
    }
}
