using System.Collections.Immutable;
using System.Numerics;
using Caucus.Core.Arithmetic;
using Caucus.Core.Validation;

namespace Caucus.Core.Rules.SecretBallot;

/// <summary>Each candidate's delegates as they could still fall, and the delegates no count still out can move.</summary>
public sealed record DelegateRange(string Candidate, int Low, int High);

/// <summary>
/// Bounds on each candidate's statewide delegates while votes are still out: whatever the precincts not in add (at most
/// <c>remainingVotes</c> in all, split any way, to any candidate, a new one included), every candidate's delegates end
/// within its range. Both roundings give each candidate the whole part of its quota or one more, so the range runs from
/// the floor of its smallest quota (every remaining vote to the others, the eligible base as large as it can be) to the
/// ceiling of its largest (every remaining vote to it, against only the candidates sure to stay eligible); a threshold
/// it could fall under makes the low end 0, one it cannot reach makes the high end 0, and a majority someone could take
/// makes the others' low end 0 and that candidate's high end all of them. The ranges are sound, not always tight: where
/// the remainders could not all line up as the bound assumes, a range is wider than what can happen, never narrower
/// (a CsCheck property checks every split of small counts). Called delegates: the sum of the low ends.
/// </summary>
public static class DelegateRanges
{
    public static ImmutableArray<DelegateRange> Of(SecretBallotRules rules, IReadOnlyDictionary<string, long> votes, long remainingVotes)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(votes);
        rules.Validated();
        if (remainingVotes < 0) throw new TallyException("remainingVotes", "The votes still out are zero or more.");
        var d = rules.Delegates;
        var total = votes.Values.Sum();
        var allocatable = votes.Where(v => !rules.Unallocated.Contains(v.Key)).ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal);
        var m = remainingVotes;
        var most = total + m;

        // Shares of every vote counted, at the end: between v/(T+M) (nothing more for c) and (v+M)/(T+M).
        bool SureOver(long v) => rules.Threshold is not { } t || (most > 0 && new Rational(v, most) > t && v > 0);
        bool CanBeOver(long v) => rules.Threshold is not { } t || (most > 0 && new Rational(v + m, most) > t && v + m > 0);
        bool CanTakeMajority(long v) => rules.MajorityTakesAll && 2 * (v + m) > most;
        bool SureMajority(long v) => rules.MajorityTakesAll && 2 * v > most;

        var ranges = ImmutableArray.CreateBuilder<DelegateRange>();
        foreach (var (c, v) in votes.OrderBy(x => x.Key, StringComparer.Ordinal))
        {
            if (rules.Unallocated.Contains(c))
            {
                ranges.Add(new(c, 0, 0));
                continue;
            }
            var others = allocatable.Where(o => o.Key != c).ToList();
            if (SureMajority(v))
            {
                ranges.Add(new(c, d, d));
                continue;
            }
            var someoneElseMayTakeAll = others.Any(o => CanTakeMajority(o.Value)) || (rules.MajorityTakesAll && 2 * m > most);
            // High end: every remaining vote to c, against only the others sure to stay eligible.
            int high;
            if (others.Any(o => SureMajority(o.Value))) high = 0;
            else if (CanTakeMajority(v)) high = d;
            // Under a threshold it cannot reach, while another is sure to clear it (so "everyone takes part when no one
            // clears it" cannot happen): nothing.
            else if (!CanBeOver(v) && others.Any(o => SureOver(o.Value))) high = 0;
            else
            {
                var sure = others.Where(o => SureOver(o.Value)).Sum(o => o.Value);
                high = v + m == 0 ? 0 : (int)BigInteger.Min(d, new Rational((v + m) * (BigInteger)d, v + m + sure).Ceiling());
            }
            // Low end: nothing more for c, every other vote (and every remaining one) in the eligible base.
            int low;
            if (someoneElseMayTakeAll || !SureOver(v) || v == 0) low = 0;
            else
            {
                var baseMost = allocatable.Values.Sum() + m;
                low = (int)new Rational(v * (BigInteger)d, baseMost).Floor();
            }
            ranges.Add(new(c, Math.Min(low, high), high));
        }
        return ranges.ToImmutable();
    }

    /// <summary>Delegates no count still out can move: the sum of the low ends.</summary>
    public static int Called(ImmutableArray<DelegateRange> ranges) => ranges.Sum(r => r.Low);
}
