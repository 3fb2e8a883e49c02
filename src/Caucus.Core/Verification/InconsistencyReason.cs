namespace Caucus.Core.Verification;

/// <summary>Why reported delegates do not follow from a precinct's own alignment numbers.</summary>
public enum InconsistencyReason
{
    NotWholeDelegates,
    DividedByFinalTotal,
    FinalExceedsAttendance,
    NonViableGroupAwarded,
    TooManyDelegates,
    TooFewDelegates,
    WrongGroupRounded,
}

public static class InconsistencyReasonText
{
    /// <summary>A sentence a person understands, used in `caucus verify`, warnings and the war room.</summary>
    public static string Describe(this InconsistencyReason reason) => reason switch
    {
        InconsistencyReason.NotWholeDelegates => "the published SDEs are not a whole number of county delegates",
        InconsistencyReason.DividedByFinalTotal => "divided by the final-alignment total instead of attendance",
        InconsistencyReason.FinalExceedsAttendance => "final alignment is larger than attendance, so the delegate math cannot work out",
        InconsistencyReason.NonViableGroupAwarded => "a group below the viability threshold was awarded a delegate",
        InconsistencyReason.TooManyDelegates => "more delegates were awarded than the precinct elects",
        InconsistencyReason.TooFewDelegates => "fewer delegates were awarded than the precinct elects",
        InconsistencyReason.WrongGroupRounded => "the right number of delegates, but the rounding adjustment went to the wrong group",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, null),
    };
}
