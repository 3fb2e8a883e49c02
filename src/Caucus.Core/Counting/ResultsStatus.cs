namespace Caucus.Core.Counting;

/// <summary>
/// The status every results document carries, in the spirit of NIST SP 1500-100's ResultsStatus.
/// Serialised kebab-case: <c>test</c>, <c>unofficial-partial</c>, <c>unofficial-complete</c>, <c>certified</c>.
/// </summary>
public enum ResultsStatus
{
    /// <summary>A rehearsal: nothing here is a result.</summary>
    Test,

    /// <summary>Some precincts or satellites have not reported.</summary>
    UnofficialPartial,

    /// <summary>Every precinct and satellite has reported; not yet certified.</summary>
    UnofficialComplete,

    /// <summary>An admin certified the results and no revision has been counted since.</summary>
    Certified,
}
