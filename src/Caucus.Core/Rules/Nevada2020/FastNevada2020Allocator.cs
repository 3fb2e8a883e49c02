using Caucus.Core.Allocation;
using Caucus.Core.Rules.Iowa2020;

namespace Caucus.Core.Rules.Nevada2020;

/// <summary>
/// The delegate arithmetic of <see cref="Nevada2020RuleSet"/> for the projection's inner loop, with the same surface as
/// <see cref="FastIowa2020Allocator"/>: int spans, no allocation per call, the same threshold, four-decimal rounding, one
/// delegate at a time, Principle 2, ties and provisional outcome. The four-decimal values are integers (units of
/// 1/10,000), so the rules need no fractions at all here. NevadaFastAllocatorPropertyTests checks it against the rule set
/// under every card-draw outcome. Groups are indexed in ordinal order of their names (the provisional order of a tie).
/// The checks, D = 1 and the tie outcomes are <see cref="FastAllocatorBase"/>'s, shared with Iowa's.
/// Not thread-safe: one instance per thread.
/// </summary>
public sealed class FastNevada2020Allocator() : FastAllocatorBase("card draw")
{
    private const long Scale = OneAtATimeRounding.Scale;

    private readonly long[] _units = new long[MaxGroups];
    private readonly long[] _current = new long[MaxGroups];

    /// <summary>Nevada's table is Iowa's (<see cref="Nevada2020RuleSet.ViabilityThreshold"/>).</summary>
    public override int ViabilityThreshold(int delegates, int attendees) => Iowa2020RuleSet.Threshold(delegates, attendees);

    /// <param name="attendees">N, the participants of the first alignment.</param>
    protected override void AllocateSeveral(int delegates, int attendees, ReadOnlySpan<int> final, Span<int> award, long finalTotal, int viableCount)
    {
        var k = final.Length;
        long divisor = attendees;
        // The final alignment outgrew N so far that the final-alignment total is the divisor (README).
        if (Round(delegates, final, divisor) - delegates > viableCount)
        {
            DividedByFinalTotal = true;
            divisor = finalTotal;
            Round(delegates, final, divisor);
        }
        Adjust(delegates, k, viableCount);
        for (var i = 0; i < k; i++) if (Viable[i]) award[i] = (int)_current[i];
    }

    /// <summary>Step 1 on every viable group; returns the rounded total.</summary>
    private long Round(int delegates, ReadOnlySpan<int> final, long divisor)
    {
        long total = 0;
        for (var i = 0; i < final.Length; i++)
        {
            if (!Viable[i]) continue;
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
        for (var i = 0; i < k; i++) if (Viable[i]) total += _current[i];

        var needed = delegates - total;
        while (needed > 0)
        {
            long min = long.MaxValue, max = long.MinValue;
            for (var i = 0; i < k; i++)
            {
                if (!Viable[i]) continue;
                min = Math.Min(min, Gap(i));
                max = Math.Max(max, Gap(i));
            }
            if (needed >= viableCount && max - min < Scale)
            {
                var rounds = needed / viableCount;
                for (var i = 0; i < k; i++) if (Viable[i]) _current[i] += rounds;
                needed -= rounds * viableCount;
                continue;
            }
            if (!Step(TieKind.TooFew, k, min, givers: false, +1, ref needed)) return;
        }

        var excess = total - delegates;
        while (excess > 0)
        {
            var max = long.MinValue;
            for (var i = 0; i < k; i++) if (Viable[i] && _current[i] > 1) max = Math.Max(max, Gap(i));
            if (max == long.MinValue) return; // Principle 2: no group can give.
            if (!Step(TieKind.TooMany, k, max, givers: true, -1, ref excess)) return;
        }
    }

    /// <summary>Steps every group at <paramref name="gap"/>, or records the tie when not all can; false when a tie ends the adjustment.</summary>
    private bool Step(TieKind kind, int k, long gap, bool givers, int step, ref long remaining)
    {
        var count = 0;
        for (var i = 0; i < k; i++)
            if (Viable[i] && (!givers || _current[i] > 1) && Gap(i) == gap) Tied[count++] = i;
        if (count <= remaining)
        {
            for (var j = 0; j < count; j++) _current[Tied[j]] += step;
            remaining -= count;
            return true;
        }
        TiedCount = count;
        TieKind = kind;
        TieWinners = kind == TieKind.TooMany ? count - (int)remaining : (int)remaining;
        return false;
    }
}
