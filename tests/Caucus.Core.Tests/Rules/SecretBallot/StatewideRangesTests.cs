using Caucus.Core.Arithmetic;
using Caucus.Core.Rules.SecretBallot;
using Caucus.Core.Validation;
using CsCheck;

namespace Caucus.Core.Tests.Rules.SecretBallot;

/// <summary>
/// The live ranges against brute force: every split of the votes still out (and every way a lot falls) ends inside each
/// candidate's range, and an end marked exact is reached by some split. Without a threshold every end is exact.
/// </summary>
public class StatewideRangesTests
{
    private static readonly Gen<(SecretBallotRules Rules, long[] Votes, int Out, bool Other)> Cases =
        Gen.Select(Gen.Int[1, 7], Gen.Int[0, 3], Gen.Bool, Gen.Enum<DelegateRounding>(), Gen.Long[0, 14].Array[2, 3], Gen.Int[0, 7], Gen.Bool)
            .Select((d, threshold, majority, rounding, votes, remaining, other) =>
                (new SecretBallotRules(d, threshold switch { 0 => null, 1 => new Rational(15, 100), 2 => new Rational(1, 3), _ => Rational.Zero },
                    majority, rounding, other ? new HashSet<string>(["Z"], StringComparer.Ordinal) : new HashSet<string>(StringComparer.Ordinal)),
                    votes, remaining, other));

    [Fact]
    public void Every_split_ends_inside_the_ranges_and_every_end_marked_exact_is_reached()
    {
        var withoutThreshold = 0;
        var settledThreshold = 0;
        var open = 0;
        Cases.Sample(c =>
        {
            var names = c.Votes.Select((_, i) => ((char)('A' + i)).ToString()).Concat(c.Other ? ["Z"] : []).ToArray();
            var now = names.Select((n, i) => (n, i < c.Votes.Length ? c.Votes[i] : 1L)).ToDictionary(x => x.n, x => x.Item2, StringComparer.Ordinal);
            var ranges = StatewideRanges.Of(c.Rules, now, c.Out).ToDictionary(r => r.Candidate);
            var seenLow = names.ToDictionary(n => n, _ => int.MaxValue);
            var seenHigh = names.ToDictionary(n => n, _ => int.MinValue);
            foreach (var added in Splits(names.Length, c.Out))
            {
                var then = names.Select((n, i) => (n, now[n] + added[i])).ToDictionary(x => x.n, x => x.Item2, StringComparer.Ordinal);
                foreach (var lot in Orders(names))
                {
                    SecretBallotAllocation result;
                    try
                    {
                        result = StatewideAllocator.Allocate(c.Rules, then, lot);
                    }
                    catch (TallyException)
                    {
                        break; // nothing to allocate on this split
                    }
                    foreach (var n in names)
                    {
                        var got = result.Delegates[n];
                        Assert.True(got >= ranges[n].Low && got <= ranges[n].High,
                            $"{n}: {got} outside {ranges[n].Low}–{ranges[n].High} (now {string.Join(",", now.Values)}, +{string.Join(",", added)}, {Describe(c.Rules)})");
                        seenLow[n] = Math.Min(seenLow[n], got);
                        seenHigh[n] = Math.Max(seenHigh[n], got);
                    }
                }
            }
            foreach (var n in names.Where(n => seenLow[n] != int.MaxValue))
            {
                var r = ranges[n];
                var where = $"{n} (now {string.Join(",", now.Values)}, {c.Out} out, {Describe(c.Rules)})";
                if (r.LowExact) Assert.True(seenLow[n] == r.Low, $"{where}: low {r.Low} marked exact, fewest reached {seenLow[n]}");
                if (r.HighExact) Assert.True(seenHigh[n] == r.High, $"{where}: high {r.High} marked exact, most reached {seenHigh[n]}");
                if (c.Rules.Threshold is null)
                {
                    Assert.True(r.LowExact && r.HighExact, $"{where}: without a threshold both ends are exact");
                    withoutThreshold++;
                    if (r.Low < r.High && c.Out > 0) open++;
                }
                else if (r.LowExact && r.HighExact && r.Low < r.High && c.Out > 0) settledThreshold++;
            }
        }, iter: 800);
        // The generator must reach cases without a threshold, with ranges open, or the exactness claim is untested.
        Assert.True(withoutThreshold > 400 && open > 100 && settledThreshold > 20,
            $"{withoutThreshold} candidates without a threshold, {open} open, {settledThreshold} open and exact under a settled threshold");
    }

    [Fact]
    public void A_base_where_three_remainders_tie_holds_a_candidate_to_its_whole_part_though_every_vote_out_to_the_others_would_not()
    {
        // Brute force's own counterexample to "give every vote out to the others": 5, 7, 2 with 5 out and 6 delegates.
        // With 4 more for B (5, 11, 2 of 18) the three quotas are 1.667, 3.667 and 0.667: equal remainders for 2 seats,
        // and a lot can leave C with none; with all 5 out given away (base 19) C's remainder .632 always wins a seat.
        var rules = new SecretBallotRules(6, null, false, DelegateRounding.LargestRemainder);
        var now = new Dictionary<string, long>(StringComparer.Ordinal) { ["A"] = 5, ["B"] = 7, ["C"] = 2 };
        var c = StatewideRanges.Of(rules, now, 5).Single(r => r.Candidate == "C");
        Assert.Equal((0, true), (c.Low, c.LowExact));
    }

    [Fact]
    public void Iowa_gop_2024_with_a_tenth_of_the_vote_out_gives_exact_ranges_around_the_count()
    {
        var votes = new Dictionary<string, long>(StringComparer.Ordinal)
        {
            ["Trump"] = 56_243, ["DeSantis"] = 23_491, ["Haley"] = 21_027, ["Ramaswamy"] = 8_430, ["Binkley"] = 774, ["Hutchinson"] = 191, ["Other"] = 90,
        };
        var ranges = StatewideRanges.Of(SecretBallotRules.IowaGop2024, votes, 11_000).ToDictionary(r => r.Candidate);
        // Every vote out to Trump: 67,243 of 121,156 → quota 22.20, whose remainder .20 wins no seat: 22 at most.
        // None to Trump: 56,243 of 121,156 → 18.57, so never fewer than 18.
        Assert.Equal(22, ranges["Trump"].High);
        Assert.InRange(ranges["Trump"].Low, 18, 19);
        Assert.True(ranges["Trump"].LowExact, $"Trump low {ranges["Trump"].Low}");
        Assert.True(ranges.Values.All(r => r.HighExact));
        Assert.Equal((0, 0), (ranges["Other"].Low, ranges["Other"].High));
    }

    private static string Describe(SecretBallotRules r) =>
        $"{r.Delegates} delegates, threshold {r.Threshold?.ToDecimalString(3) ?? "none"}, majority {r.MajorityTakesAll}, {r.Rounding}, unallocated {string.Join(",", r.Unallocated)}";

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
