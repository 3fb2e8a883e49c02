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

    /// <summary>One round of votes totals more than the ballots cast (secret ballot): a look in the review queue.</summary>
    VotesExceedBallots,

    /// <summary>More ballots cast than the unit's registered voters in the folder: a look in the review queue.</summary>
    BallotsAboveRegistered,
}

public static class WarningCodeNames
{
    /// <summary>A rule set's own consistency check: the report goes to the review queue as the party reported it.</summary>
    public static bool NeedsReview(this WarningCode code) => code is WarningCode.VotesExceedBallots or WarningCode.BallotsAboveRegistered;

    /// <summary>The stable kebab-case name used in JSON and CSV ("viable-group-shrank"): the same policy the API's enum converter uses.</summary>
    public static string Slug(this WarningCode code) => System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(code.ToString());
}
