using Caucus.Core.Allocation;
using Caucus.Core.Model;
using Caucus.Core.Validation;

namespace Caucus.Core.Aggregation;

/// <summary>The counted report of one precinct: what it reported and what the rules give it.</summary>
public sealed record PrecinctResult(Precinct Precinct, Tally Tally, PrecinctAllocation Allocation)
{
    /// <summary>The reported math does not match the rules (a flag for the war room).</summary>
    public bool IsInconsistent => Allocation.HasWarning(WarningCode.ReportedDelegatesDiffer)
        || (Tally.ReportedDelegates is not null && Allocation.HasWarning(WarningCode.DelegatesUnbalanced));

    public static PrecinctResult Compute(Election election, Precinct precinct, Tally tally)
    {
        ArgumentNullException.ThrowIfNull(election);
        ArgumentNullException.ThrowIfNull(precinct);
        return new(precinct, tally, election.RuleSet.Allocate(precinct.Delegates, tally));
    }
}
