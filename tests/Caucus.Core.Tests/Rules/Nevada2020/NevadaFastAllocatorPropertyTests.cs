using System.Collections.Concurrent;
using Caucus.Core.Allocation;
using Caucus.Core.Model;
using Caucus.Core.Rules;
using Caucus.Core.Rules.Nevada2020;
using Caucus.Core.Validation;
using Caucus.Core.Verification;
using CsCheck;

namespace Caucus.Core.Tests.Rules.Nevada2020;

/// <summary>The projection's integer allocator against the exact rule set: the same delegates, tie and result under every card draw.</summary>
public class NevadaFastAllocatorPropertyTests
{
    private static readonly Nevada2020RuleSet Rules = new();

    private static string Check(IFastAllocator fast, int delegates, Tally tally)
    {
        var names = tally.Groups;
        var final = names.Select(tally.FinalOf).ToArray();
        var award = new int[names.Length];
        var expected = Rules.Allocate(delegates, tally);

        var pending = fast.Allocate(delegates, tally.Attendees, final, award);
        Assert.Equal(expected.ViabilityThreshold, fast.Threshold);
        Assert.Equal(Rules.ViabilityThreshold(delegates, tally.Attendees), fast.ViabilityThreshold(delegates, tally.Attendees));
        Assert.Equal(expected.IsProvisional, pending);
        Assert.Equal(expected.HasWarning(WarningCode.DelegatesUnbalanced), fast.DividedByFinalTotal);
        for (var i = 0; i < names.Length; i++) Assert.Equal(expected.DelegatesOf(names[i]), award[i]);
        if (expected.Tie is not { } tie)
        {
            return fast.DividedByFinalTotal ? "unbalanced" : expected.TotalDelegates > delegates ? "more than D" : "decided";
        }
        Assert.Equal(tie.Kind, fast.TieKind);
        Assert.Equal(tie.Delegates, fast.TieWinners);
        Assert.Equal(tie.Groups, fast.TiedGroups.ToArray().Select(i => names[i]));
        foreach (var outcome in ConsistencyCheck.Outcomes(tie))
        {
            var settled = Rules.Allocate(delegates, tally.WithTieBreaks([outcome]));
            var mask = outcome.Winners.Aggregate(0UL, (m, w) => m | (1UL << names.IndexOf(w)));
            fast.ApplyTieOutcome(award, mask);
            for (var i = 0; i < names.Length; i++) Assert.Equal(settled.DelegatesOf(names[i]), award[i]);
        }
        return $"tie {tie.Kind}";
    }

    [Fact]
    public void The_fast_allocator_gives_every_precinct_the_rule_sets_delegates_under_every_card_draw()
    {
        var seen = new ConcurrentDictionary<string, int>();
        var fast = new ThreadLocal<IFastAllocator>(Rules.CreateFastAllocator);
        NevadaPropertyTests.Precinct.Sample(p => { seen.TryAdd(Check(fast.Value!, p.Delegates, p.Tally), 1); }, iter: 10_000);
        var missing = new[] { "decided", "more than D", "tie TooMany", "tie TooFew", "tie SingleDelegate" }.Where(c => !seen.ContainsKey(c));
        Assert.True(!missing.Any(), $"The generator never reached: {string.Join(", ", missing)}");
    }

    [Fact]
    public void The_fast_allocator_agrees_on_the_published_record_and_the_memo()
    {
        var fast = new FastNevada2020Allocator();
        foreach (var site in NevadaRecord.Sites.Value.Where(s => s.Delegates is not null))
            Check(fast, site.Delegates!.Value, site.Tally with { ReportedDelegates = null });
        Assert.Equal("unbalanced", Check(fast, 4, Tallies.Same(10, ("A", 30), ("B", 30), ("C", 40))));
    }
}
