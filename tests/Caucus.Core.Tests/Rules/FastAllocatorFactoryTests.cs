using Caucus.Core.Rules.Iowa2020;
using Caucus.Core.Rules.Nevada2020;
using Caucus.Core.Rules;

namespace Caucus.Core.Tests.Rules;

/// <summary>
/// The projection takes its integer allocator from the election's rule set (IRuleSet.CreateFastAllocator): each rule
/// set hands out its own arithmetic, and a fresh instance per call, because an allocator's buffers serve one thread.
/// </summary>
public class FastAllocatorFactoryTests
{
    public static TheoryData<string> RuleSetNames => [Iowa2020RuleSet.RuleSetName, Nevada2020RuleSet.RuleSetName];

    private static IRuleSet For(string name) => name == Nevada2020RuleSet.RuleSetName ? new Nevada2020RuleSet() : new Iowa2020RuleSet();

    [Fact]
    public void Each_rule_set_hands_out_its_own_allocator()
    {
        Assert.IsType<FastIowa2020Allocator>(new Iowa2020RuleSet().CreateFastAllocator());
        Assert.IsType<FastNevada2020Allocator>(new Nevada2020RuleSet().CreateFastAllocator());
    }

    [Theory]
    [MemberData(nameof(RuleSetNames))]
    public void Every_call_is_a_fresh_allocator(string name)
    {
        var rules = For(name);
        Assert.NotSame(rules.CreateFastAllocator(), rules.CreateFastAllocator());
    }

    [Theory]
    [MemberData(nameof(RuleSetNames))]
    public void A_pending_tie_is_per_instance(string name)
    {
        // Two allocators on two threads must not see each other's ties: the first keeps its pending tie.
        var rules = For(name);
        var (a, b) = (rules.CreateFastAllocator(), rules.CreateFastAllocator());
        var award = new int[2];
        Assert.True(a.Allocate(1, 10, [5, 5], award));
        Assert.False(b.Allocate(1, 10, [6, 4], new int[2]));
        Assert.True(a.IsPending);
        Assert.Equal([0, 1], a.TiedGroups.ToArray());
        a.ApplyTieOutcome(award, 0b10);
        Assert.Equal([0, 1], award);
        Assert.Throws<InvalidOperationException>(() => b.ApplyTieOutcome(new int[2], 0b01));
    }
}
