using Caucus.Core.Rules.SecretBallot;
using CsCheck;

namespace Caucus.Core.Tests.Rules.SecretBallot;

/// <summary>The live ranges: every way the votes still out could fall ends inside them.</summary>
public class DelegateRangesTests
{
    [Fact]
    public void Iowa_gop_2024_with_nothing_out_is_called_exactly_and_with_votes_out_the_ranges_open()
    {
        var votes = new Dictionary<string, long>(StringComparer.Ordinal)
        {
            ["Trump"] = 56_243, ["DeSantis"] = 23_491, ["Haley"] = 21_027, ["Ramaswamy"] = 8_430, ["Binkley"] = 774, ["Hutchinson"] = 191, ["Other"] = 90,
        };
        var final = DelegateRanges.Of(SecretBallotRules.IowaGop2024, votes, 0).ToDictionary(r => r.Candidate);
        // With nothing out the range is the quota's floor and ceiling around the allocation (20.39 → 20–21).
        Assert.InRange(20, final["Trump"].Low, final["Trump"].High);
        Assert.Equal((20, 21), (final["Trump"].Low, final["Trump"].High));
        Assert.Equal((0, 0), (final["Other"].Low, final["Other"].High));

        var open = DelegateRanges.Of(SecretBallotRules.IowaGop2024, votes, 20_000).ToDictionary(r => r.Candidate);
        Assert.True(open["Trump"].High > final["Trump"].High && open["Trump"].Low < final["Trump"].Low);
        Assert.True(DelegateRanges.Called([.. open.Values]) < DelegateRanges.Called([.. final.Values]));
    }

    private static readonly Gen<(SecretBallotRules Rules, long[] Votes, int Out)> Cases =
        Gen.Select(Gen.Int[1, 6], Gen.Int[0, 40], Gen.Bool, Gen.Enum<DelegateRounding>(), Gen.Long[0, 12].Array[2, 3], Gen.Int[0, 5])
            .Select((d, threshold, majority, rounding, votes, remaining) =>
                (new SecretBallotRules(d, threshold == 0 ? null : new Caucus.Core.Arithmetic.Rational(threshold, 100), majority, rounding), votes, remaining))
            .Where(c => c.Item2.Sum() > 0);

    [Fact]
    public void Every_split_of_the_votes_still_out_ends_inside_every_candidates_range()
    {
        Cases.Sample(c =>
        {
            var names = c.Votes.Select((_, i) => ((char)('A' + i)).ToString()).ToArray();
            var now = names.Select((n, i) => (n, c.Votes[i])).ToDictionary(x => x.n, x => x.Item2, StringComparer.Ordinal);
            var ranges = DelegateRanges.Of(c.Rules, now, c.Out).ToDictionary(r => r.Candidate);
            foreach (var added in Splits(names.Length, c.Out))
            {
                var then = names.Select((n, i) => (n, c.Votes[i] + added[i])).ToDictionary(x => x.n, x => x.Item2, StringComparer.Ordinal);
                if (then.Values.Sum() == 0) continue;
                // Every order of a lot: whichever way it falls.
                foreach (var lot in Orders(names))
                {
                    var result = StatewideAllocator.Allocate(c.Rules, then, lot);
                    foreach (var n in names)
                        Assert.True(result.Delegates[n] >= ranges[n].Low && result.Delegates[n] <= ranges[n].High,
                            $"{n}: {result.Delegates[n]} outside {ranges[n].Low}–{ranges[n].High} (now {string.Join(",", c.Votes)}, +{string.Join(",", added)}, {c.Rules})");
                }
            }
        }, iter: 1_500);
    }

    private static IEnumerable<long[]> Splits(int k, int most)
    {
        if (k == 0)
        {
            yield return [];
            yield break;
        }
        for (var first = 0; first <= most; first++)
            foreach (var rest in Splits(k - 1, most - first))
                yield return [first, .. rest];
    }

    private static IEnumerable<string[]> Orders(string[] names) => names.Length <= 1 ? [names]
        : names.SelectMany((n, i) => Orders([.. names.Where((_, j) => j != i)]).Select(rest => (string[])[n, .. rest]));
}
