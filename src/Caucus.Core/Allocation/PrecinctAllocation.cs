using System.Collections.Immutable;
using Caucus.Core.Model;
using Caucus.Core.Validation;

namespace Caucus.Core.Allocation;

/// <summary>
/// The county delegates the rules give each group of one precinct, with the viability threshold,
/// any tie (and the tie-break applied to it) and the warnings the report raised.
/// Value equality ignores groups with nothing in them (no supporters in either alignment and no delegate).
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

    public bool Equals(PrecinctAllocation? other) =>
        other is not null
        && Delegates == other.Delegates
        && Attendees == other.Attendees
        && ViabilityThreshold == other.ViabilityThreshold
        && NonEmpty(Groups).SequenceEqual(NonEmpty(other.Groups))
        && Status == other.Status
        && Equals(Tie, other.Tie)
        && Equals(AppliedTieBreak, other.AppliedTieBreak)
        && Warnings.SequenceEqual(other.Warnings);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Delegates);
        hash.Add(Attendees);
        hash.Add(ViabilityThreshold);
        foreach (var g in NonEmpty(Groups)) hash.Add(g);
        hash.Add(Status);
        hash.Add(Tie);
        hash.Add(AppliedTieBreak);
        foreach (var w in Warnings) hash.Add(w);
        return hash.ToHashCode();
    }

    private static IEnumerable<GroupAllocation> NonEmpty(ImmutableArray<GroupAllocation> groups) =>
        groups.Where(g => g.First != 0 || g.Final != 0 || g.Delegates != 0);
}
