namespace Caucus.Core.Validation;

/// <summary>Named problems a report can have. A warning never changes the computed result: it flags it.</summary>
public enum WarningCode
{
    FirstTotalDiffersFromAttendees,
    FinalExceedsAttendees,
    ViableGroupShrank,
    NonViableGroupInFinal,
    ReportedDelegatesDiffer,
    NoAttendees,
    NoViableGroup,
    DelegatesUnbalanced,
    TieBreakPending,
    TieBreakInvalid,
    TieBreakNotApplicable,
}

public static class WarningCodeNames
{
    /// <summary>The stable kebab-case name used in JSON and CSV ("viable-group-shrank").</summary>
    public static string Slug(this WarningCode code) => code switch
    {
        WarningCode.FirstTotalDiffersFromAttendees => "first-total-differs-from-attendees",
        WarningCode.FinalExceedsAttendees => "final-exceeds-attendees",
        WarningCode.ViableGroupShrank => "viable-group-shrank",
        WarningCode.NonViableGroupInFinal => "non-viable-group-in-final",
        WarningCode.ReportedDelegatesDiffer => "reported-delegates-differ",
        WarningCode.NoAttendees => "no-attendees",
        WarningCode.NoViableGroup => "no-viable-group",
        WarningCode.DelegatesUnbalanced => "delegates-unbalanced",
        WarningCode.TieBreakPending => "tie-break-pending",
        WarningCode.TieBreakInvalid => "tie-break-invalid",
        WarningCode.TieBreakNotApplicable => "tie-break-not-applicable",
        _ => throw new ArgumentOutOfRangeException(nameof(code), code, null),
    };
}
