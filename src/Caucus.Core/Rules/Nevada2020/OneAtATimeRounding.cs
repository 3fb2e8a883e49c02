using System.Collections.Immutable;
using System.Numerics;
using Caucus.Core.Allocation;

namespace Caucus.Core.Rules.Nevada2020;

/// <summary>
/// shared/rules/nevada-2020.md, "Delegates per group", steps 1 to 4, in exact integers. Every figure the rules compare is
/// the caucus formula's value to four decimals ("the formula's decimals compared to 4 decimal places"), so it is kept in
/// units of 1/10,000: <c>u = round(final · D · 10,000 / N)</c>, halves up. A group's distance to its next whole number is
/// then <c>(current + 1) · 10,000 − u</c>, and "re-ranked after each" is this distance moving by one whole unit.
/// </summary>
internal static class OneAtATimeRounding
{
    /// <summary>Four decimal places.</summary>
    public const long Scale = 10_000;

    /// <summary>final · D / divisor to four decimals, halves up, in units of 1/10,000.</summary>
    public static BigInteger Units(long final, int delegates, long divisor) =>
        (new BigInteger(final) * delegates * 2 * Scale + divisor) / (2 * (BigInteger)divisor);

    /// <summary>"decimal part ≥ 0.5 up, below 0.5 down; a viable group gets at least 1."</summary>
    public static BigInteger Rounded(BigInteger units) => BigInteger.Max(BigInteger.One, (units + Scale / 2) / Scale);

    /// <summary>
    /// True when rounding alone would give more than D plus one per viable group. With the final alignment within N the
    /// rounding adds under 1/2 a group, so this only happens when final outgrows N, where the as-written loop would run
    /// for as many delegates as the excess (the caller then divides by the final-alignment total, as Iowa's reading does).
    /// </summary>
    public static bool Unbalanced(int delegates, IEnumerable<int> viableFinals, long divisor)
    {
        BigInteger total = 0;
        var count = 0;
        foreach (var final in viableFinals)
        {
            total += Rounded(Units(final, delegates, divisor));
            count++;
        }
        return total - delegates > count;
    }

    /// <summary>
    /// Fills <paramref name="award"/> for the viable groups and returns the tie a card draw must settle, if any (its
    /// outcome is applied by the caller).
    /// </summary>
    public static PendingTie? Allocate(int delegates, IReadOnlyList<(string Group, int Final)> viable, long divisor,
        Dictionary<string, int> award)
    {
        var units = viable.Select(v => Units(v.Final, delegates, divisor)).ToArray();
        var current = units.Select(Rounded).ToArray();
        BigInteger Gap(int i) => (current[i] + 1) * Scale - units[i];
        var total = current.Aggregate(BigInteger.Zero, (a, b) => a + b);
        PendingTie? tie = null;

        // "Too few: give one delegate to the group whose R is closest to its next whole number (smallest current + 1 − R),
        // recompute, repeat until the total is D."
        var needed = delegates - total;
        while (needed > 0 && tie is null)
        {
            var gaps = Enumerable.Range(0, viable.Count).Select(Gap).ToArray();
            if (needed >= viable.Count && gaps.Max() - gaps.Min() < Scale)
            {
                // Distances within one whole: one at a time gives each group one before any gets a second, so whole rounds
                // can be given at once (a precinct with D in the thousands would otherwise loop that often).
                var rounds = needed / viable.Count;
                for (var i = 0; i < current.Length; i++) current[i] += rounds;
                needed -= rounds * viable.Count;
                continue;
            }
            var closest = gaps.Min();
            tie = Step(TieKind.TooFew, [.. Enumerable.Range(0, viable.Count).Where(i => gaps[i] == closest)], +1, ref needed);
        }

        // "Too many: take one delegate from the group furthest from its next whole number (largest current + 1 − R), never a
        // group's only delegate, recompute, repeat until the total is D or no group can give (then the precinct awards more
        // than D: Principle 2)."
        var excess = total - delegates;
        while (excess > 0 && tie is null)
        {
            var givers = Enumerable.Range(0, viable.Count).Where(i => current[i] > 1).ToArray();
            if (givers.Length == 0) break;
            var furthest = givers.Max(Gap);
            tie = Step(TieKind.TooMany, [.. givers.Where(i => Gap(i) == furthest)], -1, ref excess);
        }

        for (var i = 0; i < viable.Count; i++) award[viable[i].Group] = (int)current[i];
        return tie;

        // "Where groups tie on R's decimals for the gain or loss of a delegate and not all can have it, a card draw
        // decides." When all can, each takes its step: one at a time they would, as each step moves a group a whole away.
        PendingTie? Step(TieKind kind, int[] tied, int step, ref BigInteger remaining)
        {
            if (tied.Length <= remaining)
            {
                foreach (var i in tied) current[i] += step;
                remaining -= tied.Length;
                return null;
            }
            var groups = tied.Select(i => viable[i].Group).Order(StringComparer.Ordinal).ToImmutableArray();
            // The winners of a too-many draw are those that keep their delegate.
            return new PendingTie(kind, groups, kind == TieKind.TooMany ? tied.Length - (int)remaining : (int)remaining);
        }
    }
}
