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
    /// <summary>The stable kebab-case name used in JSON and CSV ("viable-group-shrank"): the same policy the API's enum converter uses.</summary>
    public static string Slug(this WarningCode code) => System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(code.ToString());
}
