using System.Collections.Immutable;
using Caucus.Core.Allocation;
using Caucus.Core.Model;
using Caucus.Core.Rules;

namespace Caucus.Core.Verification;

/// <summary>
/// Compares the delegates a chair (or the party) reported with the ones the rules give, trying every
/// outcome of a pending game of chance, and names the reason when none matches.
/// </summary>
public static class ConsistencyCheck
{
    public static ConsistencyVerdict Compare(IRuleSet rules, int delegates, Tally tally,
        PrecinctAllocation computed, IReadOnlyDictionary<string, int> reported)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(tally);
        ArgumentNullException.ThrowIfNull(computed);
        ArgumentNullException.ThrowIfNull(reported);
        var plain = tally with { ReportedDelegates = null };
        if (computed.HasWarning(Validation.WarningCode.DelegatesUnbalanced))
        {
            // No allocation follows from numbers whose final alignment outgrows attendance this far.
            return new(ConsistencyStatus.Inconsistent, InconsistencyReason.FinalExceedsAttendance,
                Details: $"final {tally.FinalTotal}, attendance {tally.Attendees}");
        }
        if (computed.Status != AllocationStatus.PendingTieBreak && Matches(computed, reported))
        {
            return new(ConsistencyStatus.Consistent);
        }
        if (computed is { Status: AllocationStatus.PendingTieBreak, Tie: { } tie })
        {
            foreach (var outcome in Outcomes(tie))
            {
                if (Matches(rules.Allocate(delegates, plain.WithTieBreaks([outcome])), reported))
                {
                    return new(ConsistencyStatus.TieConsistent, TieOutcome: outcome);
                }
            }
        }
        return new(ConsistencyStatus.Inconsistent, ReasonFor(rules, delegates, plain, computed, reported),
            Details: Differences(computed, reported));
    }

    /// <summary>Every outcome of a tie: each way of choosing its winners.</summary>
    public static IEnumerable<TieBreak> Outcomes(PendingTie tie)
    {
        ArgumentNullException.ThrowIfNull(tie);
        return Choose(tie.Groups, tie.Delegates).Select(winners => TieBreak.Of(tie.Groups, winners));
    }

    private static InconsistencyReason ReasonFor(IRuleSet rules, int delegates, Tally tally,
        PrecinctAllocation computed, IReadOnlyDictionary<string, int> reported)
    {
        var finalTotal = tally.FinalTotal;
        if (finalTotal > 0 && finalTotal != tally.Attendees && finalTotal <= int.MaxValue
            && MatchesUnderAnyOutcome(rules, delegates, tally.WithAttendees((int)finalTotal), reported))
        {
            return InconsistencyReason.DividedByFinalTotal;
        }
        if (finalTotal > tally.Attendees)
        {
            return InconsistencyReason.FinalExceedsAttendance;
        }
        if (reported.Any(r => r.Value > 0 && computed.Groups.FirstOrDefault(g => g.Group == r.Key) is not { Viable: true }))
        {
            return InconsistencyReason.NonViableGroupAwarded;
        }
        var total = reported.Values.Sum(v => (long)v);
        return total > delegates ? InconsistencyReason.TooManyDelegates
            : total < delegates ? InconsistencyReason.TooFewDelegates
            : InconsistencyReason.WrongGroupRounded;
    }

    private static bool MatchesUnderAnyOutcome(IRuleSet rules, int delegates, Tally tally, IReadOnlyDictionary<string, int> reported)
    {
        var allocation = rules.Allocate(delegates, tally);
        return allocation.Tie is { } tie
            ? Outcomes(tie).Any(o => Matches(rules.Allocate(delegates, tally.WithTieBreaks([o])), reported))
            : Matches(allocation, reported);
    }

    private static bool Matches(PrecinctAllocation allocation, IReadOnlyDictionary<string, int> reported) =>
        allocation.Groups.All(g => g.Delegates == reported.GetValueOrDefault(g.Group))
        && reported.All(r => r.Value == allocation.DelegatesOf(r.Key));

    private static string Differences(PrecinctAllocation computed, IReadOnlyDictionary<string, int> reported) =>
        string.Join("; ", computed.Groups.Select(g => g.Group).Union(reported.Keys, StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .Where(g => computed.DelegatesOf(g) != reported.GetValueOrDefault(g))
            .Select(g => $"{g} reported {reported.GetValueOrDefault(g)}, rules give {computed.DelegatesOf(g)}{(computed.IsProvisional ? " provisionally" : "")}"));

    private static IEnumerable<ImmutableArray<string>> Choose(ImmutableArray<string> items, int k)
    {
        if (k == 0)
        {
            yield return [];
            yield break;
        }
        for (var i = 0; i <= items.Length - k; i++)
        {
            foreach (var rest in Choose(items[(i + 1)..], k - 1))
            {
                yield return rest.Insert(0, items[i]);
            }
        }
    }
}
