using System.Collections.Immutable;
using Caucus.Core.Model;
using Caucus.Core.Validation;

namespace Caucus.Core.Allocation;

/// <summary>
/// The county delegates the rules give each group of one precinct, with the viability threshold,
/// any tie (and the tie-break applied to it) and the warnings the report raised.
/// </summary>
public sealed record PrecinctAllocation(
    int Delegates,
    int Attendees,
    int ViabilityThreshold,
    ImmutableArray<GroupAllocation> Groups,
    AllocationStatus Status,
    PendingTie? Tie,
    TieBreak? AppliedTieBreak,
    ImmutableArray<ReportWarning> Warnings)
{
    /// <summary>Shown as provisional everywhere while a tie-break is pending (RULES.md, "Ties").</summary>
    public bool IsProvisional => Status == AllocationStatus.PendingTieBreak;

    public int DelegatesOf(string group) => Groups.FirstOrDefault(g => g.Group == group)?.Delegates ?? 0;

    public int TotalDelegates => Groups.Sum(g => g.Delegates);

    public ImmutableSortedDictionary<string, int> DelegatesByGroup =>
        Groups.ToImmutableSortedDictionary(g => g.Group, g => g.Delegates, StringComparer.Ordinal);

    public bool HasWarning(WarningCode code) => Warnings.Any(w => w.Code == code);
}
