using Caucus.Core.Allocation;

namespace Caucus.Core.Rules.Nevada2020;

/// <summary>
/// The delegate arithmetic of <see cref="Nevada2020RuleSet"/> for the projection's inner loop, with the same surface as
/// <see cref="FastIowa2020Allocator"/>: int spans, no allocation per call, the same threshold, four-decimal rounding, one
/// delegate at a time, Principle 2, ties and provisional outcome. The four-decimal values are integers (units of
/// 1/10,000), so the rules need no fractions at all here. NevadaFastAllocatorPropertyTests checks it against the rule set
/// under every card-draw outcome. Groups are indexed in ordinal order of their names (the provisional order of a tie).
/// Not thread-safe: one instance per thread.
/// </summary>
public sealed class FastNevada2020Allocator
{
    /// <summary>Tie-break outcomes are bit masks over group indices.</summary>
    public const int MaxGroups = 64;

    private const long Scale = OneAtATimeRounding.Scale;

    private readonly long[] _units = new long[MaxGroups];
    private readonly long[] _current = new long[MaxGroups];
    private readonly bool[] _viable = new bool[MaxGroups];
    private readonly int[] _tied = new int[MaxGroups];
    private int _tiedCount;
    private ulong _appliedWinners;

    public int Threshold { get; private set; }

    public bool IsPending => _tiedCount > 0;

    public TieKind TieKind { get; private set; }

    public int TieWinners { get; private set; }

    public ReadOnlySpan<int> TiedGroups => _tied.AsSpan(0, _tiedCount);

    /// <summary>True when the final alignment outgrew N so far that the final-alignment total was the divisor (README).</summary>
    public bool DividedByFinalTotal { get; private set; }

    /// <summary>Fills <paramref name="award"/> (provisional when pending: the first tied groups win). Counts must be non-negative.</summary>
    /// <param name="attendees">N, the participants of the first alignment.</param>
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
        Threshold = FastIowa2020Allocator.ViabilityThreshold(delegates, attendees);

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
            long divisor = attendees;
            if (Round(delegates, final, divisor) - delegates > viableCount)
            {
                DividedByFinalTotal = true;
                divisor = finalTotal;
                Round(delegates, final, divisor);
            }
            Adjust(delegates, k, viableCount);
            for (var i = 0; i < k; i++) if (_viable[i]) award[i] = (int)_current[i];
        }
        if (_tiedCount == 0) return false;
        for (var j = 0; j < TieWinners; j++) _appliedWinners |= 1UL << _tied[j];
        Shift(award, _appliedWinners, +1);
        return true;
    }

    /// <summary>Replaces the provisional outcome by the one whose winners are <paramref name="winners"/> (bit i = group i).</summary>
    public void ApplyTieOutcome(Span<int> award, ulong winners)
    {
        if (_tiedCount == 0) throw new InvalidOperationException("No card draw is pending.");
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

    /// <summary>Step 1 on every viable group; returns the rounded total.</summary>
    private long Round(int delegates, ReadOnlySpan<int> final, long divisor)
    {
        long total = 0;
        for (var i = 0; i < final.Length; i++)
        {
            if (!_viable[i]) continue;
            // round(final·D·10,000 / divisor), halves up; Int128 because final·D·20,000 can pass a long.
            _units[i] = (long)(((Int128)final[i] * delegates * 2 * Scale + divisor) / (2 * (Int128)divisor));
            _current[i] = Math.Max(1, (_units[i] + (Scale / 2)) / Scale);
            total += _current[i];
        }
        return total;
    }

    private long Gap(int i) => ((_current[i] + 1) * Scale) - _units[i];

    /// <summary>Steps 2 to 4, as <see cref="OneAtATimeRounding.Allocate"/>.</summary>
    private void Adjust(int delegates, int k, int viableCount)
    {
        long total = 0;
        for (var i = 0; i < k; i++) if (_viable[i]) total += _current[i];

        var needed = delegates - total;
        while (needed > 0)
        {
            long min = long.MaxValue, max = long.MinValue;
            for (var i = 0; i < k; i++)
            {
                if (!_viable[i]) continue;
                min = Math.Min(min, Gap(i));
                max = Math.Max(max, Gap(i));
            }
            if (needed >= viableCount && max - min < Scale)
            {
                var rounds = needed / viableCount;
                for (var i = 0; i < k; i++) if (_viable[i]) _current[i] += rounds;
                needed -= rounds * viableCount;
                continue;
            }
            if (!Step(TieKind.TooFew, k, min, givers: false, +1, ref needed)) return;
        }

        var excess = total - delegates;
        while (excess > 0)
        {
            var max = long.MinValue;
            for (var i = 0; i < k; i++) if (_viable[i] && _current[i] > 1) max = Math.Max(max, Gap(i));
            if (max == long.MinValue) return; // Principle 2: no group can give.
            if (!Step(TieKind.TooMany, k, max, givers: true, -1, ref excess)) return;
        }
    }

    /// <summary>Steps every group at <paramref name="gap"/>, or records the tie when not all can; false when a tie ends the adjustment.</summary>
    private bool Step(TieKind kind, int k, long gap, bool givers, int step, ref long remaining)
    {
        var count = 0;
        for (var i = 0; i < k; i++)
            if (_viable[i] && (!givers || _current[i] > 1) && Gap(i) == gap) _tied[count++] = i;
        if (count <= remaining)
        {
            for (var j = 0; j < count; j++) _current[_tied[j]] += step;
            remaining -= count;
            return true;
        }
        _tiedCount = count;
        TieKind = kind;
        TieWinners = kind == TieKind.TooMany ? count - (int)remaining : (int)remaining;
        return false;
    }

    private void Shift(Span<int> award, ulong winners, int sign)
    {
        for (var j = 0; j < _tiedCount; j++)
        {
            var g = _tied[j];
            var won = (winners & (1UL << g)) != 0;
            if (TieKind == TieKind.TooMany ? !won : won) award[g] += TieKind == TieKind.TooMany ? -sign : sign;
        }
    }
}
