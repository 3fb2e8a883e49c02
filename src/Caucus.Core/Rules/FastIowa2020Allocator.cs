using Caucus.Core.Allocation;

namespace Caucus.Core.Rules;

/// <summary>
/// The delegate arithmetic of <see cref="Iowa2020RuleSet"/> for the projection's inner loop: the same thresholds,
/// rounding, too-many / too-few adjustments, only-delegate protection and ties, on int spans with exact integer
/// arithmetic and no allocation per call. Every raw value final·D/A of one precinct has the same denominator, so
/// comparing fractions is comparing remainders (final·D mod A): no BigInteger and no cross-multiplication is needed.
/// A property test checks it against the Rational rule set (FastAllocatorPropertyTests).
/// Groups are indexed in ordinal order of their names, because that is the provisional order of a pending tie.
/// Not thread-safe: one instance per thread (it reuses its buffers).
/// </summary>
public sealed class FastIowa2020Allocator
{
    /// <summary>Tie-break outcomes are bit masks over group indices.</summary>
    public const int MaxGroups = 64;

    private readonly long[] _remainder = new long[MaxGroups];
    private readonly long[] _key = new long[MaxGroups];
    private readonly int[] _order = new int[MaxGroups];
    private readonly int[] _tied = new int[MaxGroups];
    private readonly bool[] _viable = new bool[MaxGroups];
    private int _tiedCount;
    private ulong _appliedWinners;

    /// <summary>The viability threshold of the last allocation.</summary>
    public int Threshold { get; private set; }

    /// <summary>True when the last allocation leaves a game of chance pending (its award is then the provisional one).</summary>
    public bool IsPending => _tiedCount > 0;

    public TieKind TieKind { get; private set; }

    /// <summary>How many of <see cref="TiedGroups"/> win the pending game of chance.</summary>
    public int TieWinners { get; private set; }

    /// <summary>The tied groups' indices, ascending (ordinal order of their names).</summary>
    public ReadOnlySpan<int> TiedGroups => _tied.AsSpan(0, _tiedCount);

    /// <summary>True when the last allocation had to divide by the final-alignment total (RULES.md reading in the README).</summary>
    public bool DividedByFinalTotal { get; private set; }

    /// <summary>
    /// Fills <paramref name="award"/> with the delegates of each group (provisional when <see cref="IsPending"/>:
    /// the first tied groups win, as in <see cref="Iowa2020RuleSet"/>). Counts must be non-negative.
    /// </summary>
    /// <returns>Whether a game of chance is pending.</returns>
    public bool Allocate(int delegates, int attendees, ReadOnlySpan<int> final, Span<int> award)
    {
        var k = final.Length;
        if (k > MaxGroups) throw new ArgumentOutOfRangeException(nameof(final), $"At most {MaxGroups} groups.");
        if (award.Length < k) throw new ArgumentException("The award span is shorter than the groups.", nameof(award));
        if (delegates < 0 || attendees < 0) throw new ArgumentOutOfRangeException(nameof(delegates), "Counts cannot be negative.");
        award[..k].Clear();
        _tiedCount = 0;
        _appliedWinners = 0;
        TieWinners = 0;
        DividedByFinalTotal = false;
        Threshold = ViabilityThreshold(delegates, attendees);

        var viableCount = 0;
        long finalTotal = 0;
        for (var i = 0; i < k; i++)
        {
            if (final[i] < 0) throw new ArgumentOutOfRangeException(nameof(final), "Counts cannot be negative.");
            finalTotal += final[i];
            _viable[i] = final[i] > 0 && final[i] >= Threshold;
            if (_viable[i]) viableCount++;
        }
        if (delegates == 0 || attendees == 0 || viableCount == 0) return false;

        if (delegates == 1)
        {
            // "D = 1: the single delegate goes to the group with the most supporters in final alignment."
            var most = 0;
            for (var i = 0; i < k; i++) if (_viable[i] && final[i] > most) most = final[i];
            for (var i = 0; i < k; i++) if (_viable[i] && final[i] == most) _tied[_tiedCount++] = i;
            if (_tiedCount == 1)
            {
                award[_tied[0]] = 1;
                _tiedCount = 0;
                return false;
            }
            TieKind = TieKind.SingleDelegate;
            TieWinners = 1;
        }
        else
        {
            AllocateByRounding(delegates, final, award, attendees, finalTotal);
        }
        if (_tiedCount == 0) return false;
        // Provisional order, as the rule set documents it: the first tied groups in ordinal order win.
        for (var j = 0; j < TieWinners; j++) _appliedWinners |= 1UL << _tied[j];
        Shift(award, _appliedWinners, +1);
        return true;
    }

    /// <summary>
    /// Replaces the provisional outcome of the pending tie by the one whose winners are the groups in
    /// <paramref name="winners"/> (bit i = group i); it must name exactly <see cref="TieWinners"/> of <see cref="TiedGroups"/>.
    /// </summary>
    public void ApplyTieOutcome(Span<int> award, ulong winners)
    {
        if (_tiedCount == 0) throw new InvalidOperationException("No game of chance is pending.");
        ulong tiedMask = 0;
        for (var j = 0; j < _tiedCount; j++) tiedMask |= 1UL << _tied[j];
        if ((winners & ~tiedMask) != 0 || System.Numerics.BitOperations.PopCount(winners) != TieWinners)
        {
            throw new ArgumentException($"The winners must be {TieWinners} of the tied groups.", nameof(winners));
        }
        Shift(award, _appliedWinners, -1);
        _appliedWinners = winners;
        Shift(award, winners, +1);
    }

    /// <summary>
    /// Applies (sign +1) or undoes (-1) an outcome: in a too-many tie the losers give a delegate back, otherwise
    /// the winners gain one.
    /// </summary>
    private void Shift(Span<int> award, ulong winners, int sign)
    {
        for (var j = 0; j < _tiedCount; j++)
        {
            var g = _tied[j];
            var won = (winners & (1UL << g)) != 0;
            if (TieKind == TieKind.TooMany ? !won : won) award[g] += TieKind == TieKind.TooMany ? -sign : sign;
        }
    }

    public static int ViabilityThreshold(int delegates, int attendees)
    {
        long a = attendees;
        return delegates switch
        {
            1 => 0,
            2 => (int)((a + 3) / 4),
            3 => (int)((a + 5) / 6),
            _ => (int)((15 * a + 99) / 100),
        };
    }

    /// <summary>"raw[c] = final[c]·D/A; round[c] = floor(raw[c] + 1/2)", then the adjustments; as the rule set's method of that name.</summary>
    private void AllocateByRounding(int delegates, ReadOnlySpan<int> final, Span<int> award, long divisor, long finalTotal)
    {
        var k = final.Length;
        long total = 0;
        for (var i = 0; i < k; i++)
        {
            if (!_viable[i]) continue;
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
                if (!_viable[i] || 2 * _remainder[i] < divisor) continue;
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
            if (!_viable[i] || _remainder[i] == 0 || 2 * _remainder[i] >= divisor) continue;
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
            if (!_viable[i]) continue;
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
        for (var j = decided; j < count && _key[_order[j]] == boundary; j++) _tied[_tiedCount++] = _order[j];
        _tied.AsSpan(0, _tiedCount).Sort();
        var stillNeeded = needed - decided;
        TieKind = kind;
        // The winners of a too-many toss are those that keep their delegate.
        TieWinners = kind == TieKind.TooMany ? _tiedCount - stillNeeded : stillNeeded;
    }
}
