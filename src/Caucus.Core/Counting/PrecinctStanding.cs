using Caucus.Core.Validation;

namespace Caucus.Core.Counting;

/// <summary>Where one precinct's counted report stands, as an export row states it.</summary>
public enum ReportStanding
{
    /// <summary>The counted report follows the rules (or reported no delegates to compare).</summary>
    Consistent,

    /// <summary>The reported delegates are not what the rules give (or the final alignment outgrows attendance).</summary>
    Inconsistent,

    /// <summary>A game of chance decides part of the allocation and its outcome is not recorded yet.</summary>
    PendingTieBreak,

    /// <summary>Nothing counts for the precinct yet (no report, or a hotline entry awaiting its second operator or mismatched).</summary>
    NotReported,
}

/// <summary>A precinct's standing and the sentence that explains it (the warning's message, the tie, or why nothing counts).</summary>
public sealed record PrecinctStanding(ReportStanding Standing, string Reason)
{
    /// <summary>
    /// Inconsistent first: a report whose numbers break the rules is the war room's problem whether or not a
    /// toss is pending ("a well-formed report whose math is inconsistent is accepted and flagged").
    /// </summary>
    public static PrecinctStanding Of(PrecinctReports reports)
    {
        ArgumentNullException.ThrowIfNull(reports);
        if (reports.Counted is not { } counted)
        {
            return new(ReportStanding.NotReported, reports.DoubleEntry switch
            {
                { Status: DoubleEntryStatus.Mismatch } m => $"hotline entries differ: {string.Join("; ", m.Differences)}",
                { Status: DoubleEntryStatus.AwaitingSecondEntry } => "a hotline entry awaits its second operator",
                _ => "",
            });
        }
        var result = counted.Result;
        var allocation = result.Allocation;
        if (result.IsInconsistent)
        {
            var warning = allocation.Warnings.FirstOrDefault(w => w.Code is WarningCode.ReportedDelegatesDiffer or WarningCode.DelegatesUnbalanced);
            return new(ReportStanding.Inconsistent, warning?.Message ?? "");
        }
        if (allocation is { IsProvisional: true, Tie: { } tie }) return new(ReportStanding.PendingTieBreak, tie.Describe());
        return new(ReportStanding.Consistent, "");
    }
}
