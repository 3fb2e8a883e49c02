using Caucus.Core.Allocation;

namespace Caucus.Core.Rules.WalkingSubcaucus;

/// <summary>
/// <see cref="WalkingSubcaucusRuleSet"/>'s arithmetic on int spans for the projection. With V the viable members, a
/// subcaucus's quotient m ÷ (V ÷ D) is m·D ÷ V: its whole part and remainder are integer division and modulus by V, so
/// remainders compare exactly as integers. Checked against the rule set by a property test.
/// </summary>
public sealed class FastWalkingSubcaucusAllocator : IFastAllocator
{
    private readonly int[] _tied = new int[IFastAllocator.MaxGroups];
    private readonly long[] _remainder = new long[IFastAllocator.MaxGroups];
    private readonly bool[] _viable = new bool[IFastAllocator.MaxGroups];
    private int _tiedCount;
    private ulong _applied;

    public int Threshold { get; private set; }

    public bool IsPending => _tiedCount > 0;

    public TieKind TieKind => TieKind.TooFew;

    public int TieWinners { get; private set; }

    public ReadOnlySpan<int> TiedGroups => _tied.AsSpan(0, _tiedCount);

    public bool DividedByFinalTotal => false;

    public int ViabilityThreshold(int delegates, int attendees) =>
        delegates <= 0 ? 0 : (int)((attendees + (long)delegates - 1) / delegates);

    public bool Allocate(int delegates, int attendees, ReadOnlySpan<int> final, Span<int> award)
    {
        var k = final.Length;
        if (k > IFastAllocator.MaxGroups) throw new ArgumentOutOfRangeException(nameof(final), $"At most {IFastAllocator.MaxGroups} groups.");
        award[..k].Clear();
        _tiedCount = 0;
        _applied = 0;
        long total = 0;
        for (var i = 0; i < k; i++) total += final[i];
        Threshold = ViabilityThreshold(delegates, (int)total);
        if (delegates <= 0 || total == 0) return false;

        long viableMembers = 0;
        for (var i = 0; i < k; i++)
        {
            _viable[i] = final[i] > 0 && final[i] >= Threshold;
            if (_viable[i]) viableMembers += final[i];
        }
        if (viableMembers == 0) return false;

        var left = delegates;
        for (var i = 0; i < k; i++)
        {
            if (!_viable[i]) continue;
            var scaled = (long)final[i] * delegates;
            award[i] = (int)(scaled / viableMembers);
            _remainder[i] = scaled % viableMembers;
            left -= award[i];
        }
        // The delegates left, one each by largest remainder; a group of equal remainders that does not fit is the lot's.
        while (left > 0)
        {
            long best = -1;
            var count = 0;
            for (var i = 0; i < k; i++)
            {
                if (!_viable[i] || _remainder[i] < 0) continue;
                if (_remainder[i] > best)
                {
                    best = _remainder[i];
                    count = 0;
                }
                if (_remainder[i] == best) _tied[count++] = i;
            }
            if (count == 0) break;
            if (count <= left)
            {
                for (var j = 0; j < count; j++)
                {
                    award[_tied[j]] += 1;
                    _remainder[_tied[j]] = -1;
                }
                left -= count;
                continue;
            }
            // Provisional: the first tied groups (ordinal order of names = index order) win until the lot is recorded.
            _tiedCount = count;
            TieWinners = left;
            for (var j = 0; j < left; j++) award[_tied[j]] += 1;
            _applied = ProvisionalMask(left);
            return true;
        }
        return false;
    }

    public void ApplyTieOutcome(Span<int> award, ulong winners)
    {
        if (_tiedCount == 0) throw new InvalidOperationException("No drawing of lots is pending.");
        for (var j = 0; j < _tiedCount; j++)
        {
            var i = _tied[j];
            var was = (_applied >> i & 1) == 1;
            var now = (winners >> i & 1) == 1;
            if (was && !now) award[i] -= 1;
            if (!was && now) award[i] += 1;
        }
        _applied = winners;
    }

    private ulong ProvisionalMask(int winners)
    {
        ulong mask = 0;
        for (var j = 0; j < winners; j++) mask |= 1UL << _tied[j];
        return mask;
    }
}
