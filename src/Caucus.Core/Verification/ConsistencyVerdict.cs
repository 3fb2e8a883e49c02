using Caucus.Core.Model;

namespace Caucus.Core.Verification;

/// <summary>
/// Whether reported delegates follow from the alignments: the status, the tie-break outcome under
/// which they do (for <see cref="ConsistencyStatus.TieConsistent"/>), or the reason they do not.
/// </summary>
public sealed record ConsistencyVerdict(
    ConsistencyStatus Status,
    InconsistencyReason? Reason = null,
    TieBreak? TieOutcome = null,
    string Details = "")
{
    public string Describe() => Status switch
    {
        ConsistencyStatus.Consistent => "the reported delegates follow from the alignments",
        ConsistencyStatus.TieConsistent =>
            $"consistent if {string.Join(" and ", TieOutcome!.Winners)} won the game of chance among {string.Join(", ", TieOutcome.Groups)}",
        _ => Details.Length == 0 ? Reason!.Value.Describe() : $"{Reason!.Value.Describe()} ({Details})",
    };
}
