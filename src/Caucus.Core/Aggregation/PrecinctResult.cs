using Caucus.Core.Allocation;
using Caucus.Core.Model;
using Caucus.Core.Validation;

namespace Caucus.Core.Aggregation;

/// <summary>
/// The counted report of one precinct: its counts as the rule set counts them (<see cref="Tally"/>: early vote merged
/// in, where there is one; <see cref="Early"/> its part) and what the rules give it.
/// </summary>
public sealed record PrecinctResult(Precinct Precinct, Tally Tally, PrecinctAllocation Allocation, EarlyVoteMerge? Early = null)
{
    /// <summary>The reported math does not match the rules (a flag for the war room).</summary>
    public bool IsInconsistent => Allocation.HasWarning(WarningCode.ReportedDelegatesDiffer)
        || (Tally.ReportedDelegates is not null && Allocation.HasWarning(WarningCode.DelegatesUnbalanced));

    public static PrecinctResult Compute(Election election, Precinct precinct, Tally tally)
    {
        ArgumentNullException.ThrowIfNull(election);
        ArgumentNullException.ThrowIfNull(precinct);
        var counted = election.RuleSet.Count(precinct.Delegates, tally);
        var allocation = election.RuleSet.Allocate(precinct.Delegates, counted.Tally);
        var unitChecks = election.RuleSet.UnitChecks(precinct, counted.Tally).ToList();
        if (unitChecks.Count > 0) allocation = allocation with { Warnings = allocation.Warnings.AddRange(unitChecks) };
        return new(precinct, counted.Tally, allocation, counted.Early);
    }
}
