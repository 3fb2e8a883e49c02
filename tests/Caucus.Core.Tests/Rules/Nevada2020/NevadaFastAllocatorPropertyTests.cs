using System.Collections.Concurrent;
using Caucus.Core.Model;
using Caucus.Core.Rules;
using Caucus.Core.Rules.Nevada2020;
using CsCheck;

namespace Caucus.Core.Tests.Rules.Nevada2020;

/// <summary>The projection's integer allocator against the exact rule set: the same delegates, tie and result under every card draw.</summary>
public class NevadaFastAllocatorPropertyTests
{
    private static readonly Nevada2020RuleSet Rules = new();

    private static string Check(IFastAllocator fast, int delegates, Tally tally) =>
        FastAllocatorAgreement.Check(Rules, fast, delegates, tally, out var expected)
        ?? (fast.DividedByFinalTotal ? "unbalanced" : expected.TotalDelegates > delegates ? "more than D" : "decided");

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
