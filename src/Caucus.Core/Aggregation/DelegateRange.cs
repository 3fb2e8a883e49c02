using Caucus.Core.Ranges;
using Caucus.Core.Rules;

namespace Caucus.Core.Aggregation;

/// <summary>
/// Per column of the war room (<see cref="GroupColumns"/>: a candidate, or a group a report named) the county delegates
/// a precinct's result gives as computed, and the fewest and the most its pending games of chance can give; equal to its
/// delegates when nothing is pending. Kept beside the counted result so that removing it subtracts exactly what adding it
/// added. Two of a precinct's groups in one column (spellings headquarters merged) add up.
/// </summary>
internal sealed record DelegateRange(int[] Delegates, int[] Low, int[] High)
{
    public static DelegateRange Of(IRuleSet rules, Func<string, int> column, int columns, PrecinctResult result)
    {
        var delegates = Sum(result.Allocation, column, columns);
        if (!result.Allocation.IsProvisional) return new(delegates, delegates, delegates);
        var low = (int[])delegates.Clone();
        var high = (int[])delegates.Clone();
        foreach (var outcome in TossOutcomes.Enumerate(rules, result.Precinct.Delegates, result.Tally, result.Allocation))
        {
            var n = Sum(outcome.Allocation, column, columns);
            for (var i = 0; i < columns; i++)
            {
                low[i] = Math.Min(low[i], n[i]);
                high[i] = Math.Max(high[i], n[i]);
            }
        }
        return new(delegates, low, high);
    }

    private static int[] Sum(Allocation.PrecinctAllocation allocation, Func<string, int> column, int columns)
    {
        var sums = new int[columns];
        foreach (var g in allocation.Groups) sums[column(g.Group)] += g.Delegates;
        return sums;
    }
}
