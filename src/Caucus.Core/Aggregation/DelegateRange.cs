using Caucus.Core.Ranges;
using Caucus.Core.Rules;

namespace Caucus.Core.Aggregation;

/// <summary>
/// Per candidate (in the election's candidate order) the fewest and the most county delegates a precinct's
/// pending games of chance can give; equal to its delegates when nothing is pending. Kept beside the counted
/// result so that removing it subtracts exactly what adding it added.
/// </summary>
internal sealed record DelegateRange(int[] Low, int[] High)
{
    public static DelegateRange Of(IRuleSet rules, IReadOnlyList<string> candidates, PrecinctResult result)
    {
        var low = new int[candidates.Count];
        var high = new int[candidates.Count];
        for (var i = 0; i < candidates.Count; i++) low[i] = high[i] = result.Allocation.DelegatesOf(candidates[i]);
        if (!result.Allocation.IsProvisional) return new(low, high);
        foreach (var outcome in TossOutcomes.Enumerate(rules, result.Precinct.Delegates, result.Tally, result.Allocation))
        {
            for (var i = 0; i < candidates.Count; i++)
            {
                var n = outcome.Allocation.DelegatesOf(candidates[i]);
                low[i] = Math.Min(low[i], n);
                high[i] = Math.Max(high[i], n);
            }
        }
        return new(low, high);
    }
}
