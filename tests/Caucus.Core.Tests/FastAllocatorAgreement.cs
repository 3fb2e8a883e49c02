using Caucus.Core.Allocation;
using Caucus.Core.Model;
using Caucus.Core.Rules;
using Caucus.Core.Validation;
using Caucus.Core.Verification;

namespace Caucus.Core.Tests;

/// <summary>
/// The check both rule sets' fast-allocator property tests run: a rule set's <see cref="IFastAllocator"/> against its
/// exact <see cref="IRuleSet.Allocate"/> on one precinct: the same threshold, delegates, provisional outcome, tie and
/// result under every outcome of the tie.
/// </summary>
internal static class FastAllocatorAgreement
{
    /// <returns>The tie's kind ("tie TooFew", …), or null when no tie is pending (the caller names the situation).</returns>
    public static string? Check(IRuleSet rules, IFastAllocator fast, int delegates, Tally tally, out PrecinctAllocation expected)
    {
        var names = tally.Groups;
        var final = names.Select(tally.FinalOf).ToArray();
        var award = new int[names.Length];
        expected = rules.Allocate(delegates, tally);

        var pending = fast.Allocate(delegates, tally.Attendees, final, award);
        Assert.Equal(expected.ViabilityThreshold, fast.Threshold);
        Assert.Equal(rules.ViabilityThreshold(delegates, tally.Attendees), fast.ViabilityThreshold(delegates, tally.Attendees));
        Assert.Equal(expected.IsProvisional, pending);
        Assert.Equal(expected.HasWarning(WarningCode.DelegatesUnbalanced), fast.DividedByFinalTotal);
        for (var i = 0; i < names.Length; i++) Assert.Equal(expected.DelegatesOf(names[i]), award[i]);
        if (expected.Tie is not { } tie) return null;

        Assert.Equal(tie.Kind, fast.TieKind);
        Assert.Equal(tie.Delegates, fast.TieWinners);
        Assert.Equal(tie.Groups, fast.TiedGroups.ToArray().Select(i => names[i]));
        foreach (var outcome in ConsistencyCheck.Outcomes(tie))
        {
            var settled = rules.Allocate(delegates, tally.WithTieBreaks([outcome]));
            Assert.Equal(AllocationStatus.TieBroken, settled.Status);
            var mask = outcome.Winners.Aggregate(0UL, (m, w) => m | (1UL << names.IndexOf(w)));
            fast.ApplyTieOutcome(award, mask);
            for (var i = 0; i < names.Length; i++) Assert.Equal(settled.DelegatesOf(names[i]), award[i]);
        }
        return $"tie {tie.Kind}";
    }
}
