namespace Caucus.Core.Rules.SecretBallot;

/// <summary>
/// <see cref="StatewideAllocator"/>'s arithmetic on a draw's votes for the projection: whole votes as longs, each quota
/// votes × delegates ÷ the eligible base as an integer quotient and remainder, so remainders compare exactly. Both
/// roundings give each candidate the whole part of its quota or one more, to the largest remainders (nearest with
/// adjustment reaches the same award one step at a time; the rule set's README); equal remainders go to the earlier
/// candidate (a fair lot's provisional outcome). Checked against <see cref="StatewideAllocator"/> by a property test.
/// </summary>
internal sealed class FastStatewideAllocator : IFastStatewideAllocator
{
    private readonly int _seats;
    private readonly bool _majority;
    private readonly long _thresholdNumerator, _thresholdDenominator;
    private readonly bool _hasThreshold;
    private readonly bool[] _allocatable;
    private readonly long[] _votes;
    private readonly long[] _remainder;
    private readonly bool[] _eligible;

    public FastStatewideAllocator(SecretBallotRules rules, IReadOnlyList<string> candidates)
    {
        _seats = rules.Delegates;
        _majority = rules.MajorityTakesAll;
        if (rules.Threshold is { } t)
        {
            _hasThreshold = true;
            // A share such as 0.15 is a small fraction: 3/20.
            _thresholdNumerator = (long)t.Numerator;
            _thresholdDenominator = (long)t.Denominator;
        }
        _allocatable = [.. candidates.Select(c => !rules.Unallocated.Contains(c))];
        _votes = new long[candidates.Count];
        _remainder = new long[candidates.Count];
        _eligible = new bool[candidates.Count];
    }

    public void Allocate(ReadOnlySpan<double> votes, Span<double> seats)
    {
        var k = _votes.Length;
        long total = 0;
        for (var c = 0; c < k; c++) total += _votes[c] = (long)Math.Round(votes[c]);
        seats[..k].Clear();
        if (total == 0) return;
        for (var c = 0; c < k; c++)
        {
            if (_majority && _allocatable[c] && 2 * _votes[c] > total)
            {
                seats[c] = _seats;
                return;
            }
        }
        long base_ = 0;
        var any = false;
        for (var c = 0; c < k; c++)
        {
            _eligible[c] = _allocatable[c] && _votes[c] > 0
                && (!_hasThreshold || _votes[c] * _thresholdDenominator > _thresholdNumerator * total);
            any |= _eligible[c];
        }
        // When no one clears the threshold, every candidate with votes takes part.
        for (var c = 0; c < k; c++)
        {
            if (!any) _eligible[c] = _allocatable[c] && _votes[c] > 0;
            if (_eligible[c]) base_ += _votes[c];
        }
        if (base_ == 0) return;
        var left = _seats;
        for (var c = 0; c < k; c++)
        {
            if (!_eligible[c]) continue;
            var whole = Math.DivRem(_votes[c] * (long)_seats, base_, out _remainder[c]);
            seats[c] = whole;
            left -= (int)whole;
        }
        for (; left > 0; left--)
        {
            var best = -1;
            for (var c = 0; c < k; c++)
                if (_eligible[c] && _remainder[c] >= 0 && (best < 0 || _remainder[c] > _remainder[best])) best = c;
            if (best < 0) return;
            seats[best] += 1;
            _remainder[best] = -1;
        }
    }
}
