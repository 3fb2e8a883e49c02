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

    /// <summary>
    /// A walking subcaucus's count holds more people than signed in: people walk between subcaucuses or go home, they do
    /// not appear, so a count (a walk) that grew past the sign-in is a slip to look at in the review queue.
    /// </summary>
    CountExceedsSignIn,
}

public static class WarningCodeNames
{
    /// <summary>A rule set's own consistency check: the report goes to the review queue as the party reported it.</summary>
    public static bool NeedsReview(this WarningCode code) => code is WarningCode.VotesExceedBallots or WarningCode.BallotsAboveRegistered or WarningCode.CountExceedsSignIn;

    /// <summary>The stable kebab-case name used in JSON and CSV ("viable-group-shrank"): the same policy the API's enum converter uses.</summary>
    public static string Slug(this WarningCode code) => System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(code.ToString());
}
