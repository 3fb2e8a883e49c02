using System.Text.Json;
using Caucus.Core.Aggregation;

namespace Caucus.Core.Counting;

/// <summary>Whether the results may be certified now, and if not, why (a sentence for the admin).</summary>
public sealed record CertificationCheck(bool Eligible, string? Reason)
{
    /// <summary>
    /// Certification needs every precinct and satellite counted, no game of chance pending, and no open review item
    /// that could still change a count (<see cref="ReviewReasons.CanChangeCount"/>): certifying a provisional result
    /// would publish a coin toss nobody held, and certifying with a hold open would let its confirmation change a
    /// certified count.
    /// </summary>
    public static CertificationCheck Of(ResultsTotals statewide, IEnumerable<ReviewItem> openItems)
    {
        ArgumentNullException.ThrowIfNull(statewide);
        ArgumentNullException.ThrowIfNull(openItems);
        var missing = statewide.Total - statewide.Reporting;
        var blocking = openItems.Where(i => Blocks(i.Reason)).ToList();
        if (missing == 0 && statewide.PendingTieBreaks == 0 && blocking.Count == 0) return new(true, null);
        var reasons = new List<string>();
        if (missing > 0 || statewide.PendingTieBreaks > 0)
        {
            reasons.Add($"{missing} precincts have not reported and {statewide.PendingTieBreaks} ties await a game of chance");
        }
        if (blocking.Count > 0)
        {
            reasons.Add($"{blocking.Count} review items could still change a count (" + string.Join(", ", blocking.GroupBy(i => i.Reason)
                .OrderBy(g => g.Key).Select(g => $"{g.Count()} {JsonNamingPolicy.KebabCaseLower.ConvertName(g.Key.ToString())}")) +
                "): decide them in the review queue first");
        }
        return new(false, string.Join("; ", reasons) + ".");
    }

    /// <summary>
    /// Whether an open item of this reason stops certification: one that could still change a count. A pending toss is
    /// counted once, as a game of chance pending, not again as an item; broken math, final above first and copied numbers
    /// change no count.
    /// </summary>
    public static bool Blocks(ReviewReason reason) => reason.CanChangeCount() && reason != ReviewReason.PendingToss;
}

/// <summary>The status rule: test mode first, then certification, then completeness.</summary>
public static class ResultsStatusRule
{
    /// <param name="test">The service runs a rehearsal.</param>
    /// <param name="certifiedSeq">The commit seq of the latest certification, if any.</param>
    /// <param name="lastChangeSeq">The commit seq of the latest change that can move a count (a revision or a review decision).</param>
    /// <param name="totals">The totals the document shows (statewide or a county).</param>
    public static ResultsStatus Of(bool test, long? certifiedSeq, long lastChangeSeq, ResultsTotals totals)
    {
        ArgumentNullException.ThrowIfNull(totals);
        if (test) return ResultsStatus.Test;
        if (IsCertified(certifiedSeq, lastChangeSeq)) return ResultsStatus.Certified;
        return totals.Reporting == totals.Total ? ResultsStatus.UnofficialComplete : ResultsStatus.UnofficialPartial;
    }

    /// <summary>
    /// A certification covers every change committed before it; a later revision (a correction) or review decision
    /// starts a new unofficial period until an admin certifies again. Both come from the one commit sequence, so no
    /// stored change can leave the status saying certified. (>= only for certifications stored before the shared
    /// sequence, which carry the seq they certified.)
    /// </summary>
    public static bool IsCertified(long? certifiedSeq, long lastChangeSeq) => certifiedSeq is { } c && c >= lastChangeSeq && c > 0;
}
