using Caucus.Core.Aggregation;

namespace Caucus.Core.Counting;

/// <summary>Whether the results may be certified now, and if not, why (a sentence for the admin).</summary>
public sealed record CertificationCheck(bool Eligible, string? Reason)
{
    /// <summary>
    /// Certification needs every precinct and satellite counted and no game of chance pending: certifying a
    /// provisional result would publish a coin toss nobody held.
    /// </summary>
    public static CertificationCheck Of(ResultsTotals statewide)
    {
        ArgumentNullException.ThrowIfNull(statewide);
        var missing = statewide.Total - statewide.Reporting;
        return missing == 0 && statewide.PendingTieBreaks == 0
            ? new(true, null)
            : new(false, $"{missing} precincts have not reported and {statewide.PendingTieBreaks} ties await a game of chance.");
    }
}

/// <summary>The status rule: test mode first, then certification, then completeness.</summary>
public static class ResultsStatusRule
{
    /// <param name="test">The service runs a rehearsal.</param>
    /// <param name="certifiedSeq">The commit seq of the latest certification, if any.</param>
    /// <param name="lastRevisionSeq">The commit seq of the latest revision counted.</param>
    /// <param name="totals">The totals the document shows (statewide or a county).</param>
    public static ResultsStatus Of(bool test, long? certifiedSeq, long lastRevisionSeq, ResultsTotals totals)
    {
        ArgumentNullException.ThrowIfNull(totals);
        if (test) return ResultsStatus.Test;
        if (IsCertified(certifiedSeq, lastRevisionSeq)) return ResultsStatus.Certified;
        return totals.Reporting == totals.Total ? ResultsStatus.UnofficialComplete : ResultsStatus.UnofficialPartial;
    }

    /// <summary>
    /// A certification covers every revision committed before it; a later revision (a correction) starts a new
    /// unofficial period until an admin certifies again. (>= only for certifications stored before the shared
    /// sequence, which carry the seq they certified.)
    /// </summary>
    public static bool IsCertified(long? certifiedSeq, long lastRevisionSeq) => certifiedSeq is { } c && c >= lastRevisionSeq && c > 0;
}
