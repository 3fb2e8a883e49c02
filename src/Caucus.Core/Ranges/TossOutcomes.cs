using System.Collections.Immutable;
using Caucus.Core.Allocation;
using Caucus.Core.Model;
using Caucus.Core.Rules;
using Caucus.Core.Verification;

namespace Caucus.Core.Ranges;

/// <summary>One way the pending games of chance of a precinct can fall: the tie-breaks and the allocation they give.</summary>
public sealed record TossOutcome(ImmutableArray<TieBreak> TieBreaks, PrecinctAllocation Allocation);

/// <summary>
/// Every outcome of a precinct's pending games of chance (RULES.md, "Ties": the engine never invents the
/// winner, so until one is recorded every outcome is possible). Each choice of the tie's winners is recorded as
/// a tie-break and the precinct re-allocated; should that leave another tie pending (a later round), its
/// outcomes are enumerated in turn. A precinct with nothing pending has exactly one outcome: its allocation.
/// </summary>
public static class TossOutcomes
{
    public static ImmutableArray<TossOutcome> Enumerate(IRuleSet rules, int delegates, Tally tally)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(tally);
        var outcomes = ImmutableArray.CreateBuilder<TossOutcome>();
        Expand(rules, delegates, tally, rules.Allocate(delegates, tally), [], outcomes);
        return outcomes.ToImmutable();
    }

    /// <summary>The same, for an allocation already computed from <paramref name="tally"/> (saves one allocation).</summary>
    public static ImmutableArray<TossOutcome> Enumerate(IRuleSet rules, int delegates, Tally tally, PrecinctAllocation allocation)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(tally);
        ArgumentNullException.ThrowIfNull(allocation);
        var outcomes = ImmutableArray.CreateBuilder<TossOutcome>();
        Expand(rules, delegates, tally, allocation, [], outcomes);
        return outcomes.ToImmutable();
    }

    private static void Expand(IRuleSet rules, int delegates, Tally tally, PrecinctAllocation allocation,
        ImmutableArray<TieBreak> added, ImmutableArray<TossOutcome>.Builder outcomes)
    {
        if (allocation is not { Status: AllocationStatus.PendingTieBreak, Tie: { } tie })
        {
            outcomes.Add(new TossOutcome(added, allocation));
            return;
        }
        // A recorded tie-break among the same groups that does not settle the tie (wrong number of winners)
        // is replaced: the rule set applies the first recorded one whose groups match.
        var kept = tally.TieBreaksOrEmpty.Where(t => !t.Groups.SequenceEqual(tie.Groups)).ToImmutableArray();
        foreach (var outcome in ConsistencyCheck.Outcomes(tie))
        {
            var next = tally.WithTieBreaks(kept.Add(outcome));
            var reallocated = rules.Allocate(delegates, next);
            // A rule set that left the very same tie pending would loop; count it as this outcome as it stands.
            if (reallocated is { Status: AllocationStatus.PendingTieBreak, Tie: { } again } && again.Equals(tie))
            {
                outcomes.Add(new TossOutcome(added.Add(outcome), reallocated));
                continue;
            }
            Expand(rules, delegates, next, reallocated, added.Add(outcome), outcomes);
        }
    }
}
