using Caucus.Core.Allocation;

namespace Caucus.Core.Rules.Iowa2020;

/// <summary>
/// The delegate arithmetic of <see cref="Iowa2020RuleSet"/> for the projection's inner loop: the same thresholds,
/// rounding, too-many / too-few adjustments, only-delegate protection and ties, on int spans with exact integer
/// arithmetic and no allocation per call. Every raw value final·D/A of one precinct has the same denominator, so
/// comparing fractions is comparing remainders (final·D mod A): no BigInteger and no cross-multiplication is needed.
/// A property test checks it against the Rational rule set (FastAllocatorPropertyTests).
/// The checks, D = 1 and the tie outcomes are <see cref="FastAllocatorBase"/>'s, shared with Nevada's.
/// </summary>
public sealed class FastIowa2020Allocator() : FastAllocatorBase("game of chance")
{
    private readonly long[] _remainder = new long[MaxGroups];
    private readonly long[] _key = new long[MaxGroups];
    private readonly int[] _order = new int[MaxGroups];

    public override int ViabilityThreshold(int delegates, int attendees) => Iowa2020RuleSet.Threshold(delegates, attendees);

    protected override void AllocateSeveral(int delegates, int attendees, ReadOnlySpan<int> final, Span<int> award, long finalTotal, int viableCount) =>
        AllocateByRounding(delegates, final, award, attendees, finalTotal);

    /// <summary>"raw[c] = final[c]·D/A; round[c] = floor(raw[c] + 1/2)", then the adjustments; as the rule set's method of that name.</summary>
    private void AllocateByRounding(int delegates, ReadOnlySpan<int> final, Span<int> award, long divisor, long finalTotal)
    {
        var k = final.Length;
        long total = 0;
        for (var i = 0; i < k; i++)
        {
            if (!Viable[i]) continue;
            var numerator = (long)final[i] * delegates;
            var quotient = numerator / divisor;
            var remainder = numerator % divisor;
            // floor(q + r/div + 1/2) = q + (2r ≥ div)
            var rounded = quotient + (2 * remainder >= divisor ? 1 : 0);
            if (rounded > int.MaxValue)
            {
                Unbalanced(delegates, final, award, finalTotal);
                return;
            }
            award[i] = (int)rounded;
            _remainder[i] = remainder;
            total += rounded;
        }
        if (total == delegates) return;

        if (total > delegates)
        {
            // Too many: rounded-up groups, unprotected before protected (would lose their only delegate), smallest fraction first.
            var count = 0;
            for (var i = 0; i < k; i++)
            {
                if (!Viable[i] || 2 * _remainder[i] < divisor) continue;
                _key[i] = (award[i] == 1 ? divisor : 0) + _remainder[i];
                _order[count++] = i;
            }
            var excess = total - delegates;
            if (excess > count)
            {
                Unbalanced(delegates, final, award, finalTotal);
                return;
            }
            Select(TieKind.TooMany, count, (int)excess, award, -1);
            return;
        }

        // Too few: rounded-down groups, largest fraction first.
        var needed = (int)(delegates - total);
        var down = 0;
        for (var i = 0; i < k; i++)
        {
            if (!Viable[i] || _remainder[i] == 0 || 2 * _remainder[i] >= divisor) continue;
            _key[i] = -_remainder[i];
            _order[down++] = i;
        }
        if (needed <= down)
        {
            Select(TieKind.TooFew, down, needed, award, +1);
            return;
        }
        for (var j = 0; j < down; j++) award[_order[j]] += 1;
        needed -= down;
        // README reading: the rest go round all viable groups again, largest fraction first.
        var every = 0;
        for (var i = 0; i < k; i++)
        {
            if (!Viable[i]) continue;
            _key[i] = -_remainder[i];
            _order[every++] = i;
        }
        var fullRounds = needed / every;
        for (var j = 0; j < every; j++) award[_order[j]] += fullRounds;
        needed %= every;
        if (needed != 0) Select(TieKind.TooFew, every, needed, award, +1);
    }

    /// <summary>Final alignment above attendance and the rules as written cannot reach D: divide by the final-alignment total.</summary>
    private void Unbalanced(int delegates, ReadOnlySpan<int> final, Span<int> award, long finalTotal)
    {
        // Against the final-alignment total the raw values sum to at most D, so this second reading balances.
        if (DividedByFinalTotal) throw new InvalidOperationException("The final-alignment total did not balance the delegates.");
        DividedByFinalTotal = true;
        AllocateByRounding(delegates, final, award, finalTotal, finalTotal);
    }

    /// <summary>
    /// Adjusts the first <paramref name="needed"/> of the <paramref name="count"/> candidates in <c>_order</c> (sorted here by
    /// <c>_key</c>) by <paramref name="step"/>, except where the boundary falls inside a class of equal keys: a tie.
    /// </summary>
    private void Select(TieKind kind, int count, int needed, Span<int> award, int step)
    {
        // Insertion sort: a precinct has a handful of groups.
        for (var a = 1; a < count; a++)
        {
            var g = _order[a];
            var b = a - 1;
            while (b >= 0 && _key[_order[b]] > _key[g])
            {
                _order[b + 1] = _order[b];
                b--;
            }
            _order[b + 1] = g;
        }
        var boundary = _key[_order[needed - 1]];
        var tie = needed < count && _key[_order[needed]] == boundary;
        var decided = 0;
        for (var j = 0; j < needed; j++)
        {
            if (tie && _key[_order[j]] == boundary) break;
            award[_order[j]] += step;
            decided++;
        }
        if (!tie) return;
        for (var j = decided; j < count && _key[_order[j]] == boundary; j++) Tied[TiedCount++] = _order[j];
        Tied.AsSpan(0, TiedCount).Sort();
        var stillNeeded = needed - decided;
        TieKind = kind;
        // The winners of a too-many toss are those that keep their delegate.
        TieWinners = kind == TieKind.TooMany ? TiedCount - stillNeeded : stillNeeded;
    }
}
