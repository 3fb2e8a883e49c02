using System.Collections.Concurrent;
using Caucus.Core.Allocation;
using Caucus.Core.Model;
using Caucus.Core.Rules.Iowa2020;
using Caucus.Core.Rules;
using Caucus.Core.Validation;
using CsCheck;

namespace Caucus.Core.Tests;

/// <summary>
/// The projection's integer allocator against the exact Rational rule set: the same delegates, the same
/// provisional outcome, the same tie and the same result under every outcome of it.
/// </summary>
public class FastAllocatorPropertyTests
{
    private static readonly Iowa2020RuleSet Rules = new();

    /// <summary>Compares both on one precinct and returns the situation it exercised (for the coverage check).</summary>
    private static string Check(IFastAllocator fast, int delegates, Tally tally) =>
        FastAllocatorAgreement.Check(Rules, fast, delegates, tally, out var expected) ?? Situation(delegates, expected);

    private static string Situation(int delegates, PrecinctAllocation allocation)
    {
        if (allocation.HasWarning(WarningCode.DelegatesUnbalanced)) return "divided by the final total";
        var rounded = allocation.Groups.Where(g => g.Raw is not null).Sum(g => (long)g.Raw!.Value.RoundHalfUp());
        return delegates < 2 || rounded == delegates ? "rounding balanced" : rounded > delegates ? "too many" : "too few";
    }

    [Fact]
    public void The_fast_allocator_gives_every_well_formed_precinct_the_rule_sets_delegates_under_every_toss_outcome()
    {
        var seen = new ConcurrentDictionary<string, int>();
        PrecinctGenerators.Precinct.Sample(p =>
        {
            var situation = Check(Rules.CreateFastAllocator(), p.Delegates, p.ToTally());
            seen.AddOrUpdate(situation, 1, (_, n) => n + 1);
        }, iter: 50_000);
        // The generator must reach every branch of the adjustment, or this test proves nothing.
        foreach (var situation in new[] { "tie SingleDelegate", "tie TooMany", "tie TooFew", "too many", "too few", "rounding balanced" })
        {
            Assert.True(seen.GetValueOrDefault(situation) >= 20, $"{situation}: {seen.GetValueOrDefault(situation)} of 50,000 ({string.Join(", ", seen)})");
        }
    }

    [Fact]
    public void The_fast_allocator_agrees_on_malformed_tallies_too_final_above_attendance_and_huge_counts()
    {
        var seen = new ConcurrentDictionary<string, int>();
        PrecinctGenerators.AnyTally
            .Where(t => t.Delegates >= 0 && t.Tally.Attendees >= 0 && t.Tally.Final.Values.All(n => n >= 0) && t.Tally.First.Values.All(n => n >= 0))
            .Select(t => (t.Delegates, t.Tally with { ReportedDelegates = null }))
            .Sample(t =>
            {
                var situation = Check(Rules.CreateFastAllocator(), t.Delegates, t.Item2);
                seen.AddOrUpdate(situation, 1, (_, n) => n + 1);
            }, iter: 50_000);
        Assert.True(seen.GetValueOrDefault("divided by the final total") >= 20, string.Join(", ", seen));
    }

    [Fact]
    public void One_allocator_reused_across_precincts_keeps_nothing_from_the_last_one()
    {
        var fast = Rules.CreateFastAllocator();
        PrecinctGenerators.Precinct.Array[2, 20].Sample(ps =>
        {
            foreach (var p in ps) Check(fast, p.Delegates, p.ToTally());
        }, iter: 2_000, threads: 1);
    }
}
