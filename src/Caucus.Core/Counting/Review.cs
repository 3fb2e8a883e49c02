using System.Collections.Immutable;
using System.Text.Json;

namespace Caucus.Core.Counting;

/// <summary>Why a report needs a human (kebab-case in JSON).</summary>
public enum ReviewReason
{
    /// <summary>The reported delegates do not follow from the alignments by the rules.</summary>
    RulesBroken,

    /// <summary>Two sources (captain, hotline, chair, official) gave different numbers.</summary>
    SourcesDisagree,

    /// <summary>A game of chance decides part of the allocation and its outcome is not recorded.</summary>
    PendingToss,

    /// <summary>Two hotline operators entered different numbers.</summary>
    DoubleEntryMismatch,

    /// <summary>More people in final alignment than in first: nobody may join between the two.</summary>
    FinalExceedsFirst,

    /// <summary>Exactly the same alignments as another precinct: a copy, or a report sent for the wrong precinct.</summary>
    SameNumbersAsAnotherPrecinct,

    /// <summary>More people than the precinct could hold: held out of every total until confirmed.</summary>
    Implausible,

    /// <summary>
    /// A hotline entry made after two operators agreed differs from their numbers, which still count: call the
    /// captain back; two operators agreeing on the new numbers (or an official correction) change the count.
    /// </summary>
    HotlineEntryDiffers,

    /// <summary>
    /// A photo of the precinct's worksheet arrived and no numbers did (the captain could send a picture and nothing
    /// else): enter them from the photo. Gone as soon as any report of the precinct is stored.
    /// </summary>
    PhotoWithoutNumbers,
}

/// <summary>Which review items stand between the results and certification.</summary>
public static class ReviewReasons
{
    /// <summary>
    /// Whether deciding an item of this reason could change a count: a held report (confirming it counts it), hotline
    /// entries that differ, a toss not held, sources that disagree. Certification waits for every such item, so a
    /// certified result never changes under its label. Broken math, final above first and copied numbers are
    /// reported as the party reported them: clearing them changes nothing.
    /// </summary>
    public static bool CanChangeCount(this ReviewReason reason) => reason is ReviewReason.Implausible or ReviewReason.DoubleEntryMismatch
        or ReviewReason.HotlineEntryDiffers or ReviewReason.PendingToss or ReviewReason.SourcesDisagree;
}

/// <summary>What an admin did with a review item (kebab-case in JSON).</summary>
public enum ReviewAction
{
    /// <summary>Looked at and accepted as it is (the reason is recorded).</summary>
    Clear,

    /// <summary>An implausible report confirmed as true: its hold is released and it counts.</summary>
    Confirm,
}

/// <summary>
/// One report that needs a human: why, in words, and the versions to compare (the counted report, and where there
/// are two — sources that disagree, two operators' entries, another precinct with the same numbers — both).
/// <see cref="Key"/> names this reason for this revision, so clearing it does not clear a later revision's problem.
/// </summary>
public sealed record ReviewItem(string Key, PrecinctId Precinct, ReviewReason Reason, string Detail, long RevisionSeq, ImmutableArray<SourceReport> Versions)
{
    public static string KeyOf(ReviewReason reason, string precinct, long revisionSeq) =>
        $"{JsonNamingPolicy.KebabCaseLower.ConvertName(reason.ToString())}:{precinct}:{revisionSeq}";
}

/// <summary>An admin's decision on a review item, committed at <see cref="Seq"/> (the results' commit sequence).</summary>
public sealed record ReviewDecision(long Seq, string ItemKey, PrecinctId Precinct, long RevisionSeq, ReviewAction Action, string Reason, string Actor);

/// <summary>The review queue: every report that needs a human, minus the items an admin has decided.</summary>
public static class ReviewQueue
{
    /// <summary>Alignments this small match by chance too often to be worth a human's look.</summary>
    private const int SameNumbersMinimumAttendees = 20;

    public static ImmutableArray<ReviewItem> Build(Tabulation tabulation)
    {
        ArgumentNullException.ThrowIfNull(tabulation);
        var items = ImmutableArray.CreateBuilder<ReviewItem>();
        var bySignature = new Dictionary<string, List<SourceReport>>(StringComparer.Ordinal);
        foreach (var (id, reports) in tabulation.AllReports.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            void Add(ReviewReason reason, string detail, SourceReport about, IEnumerable<SourceReport> versions)
            {
                var key = ReviewItem.KeyOf(reason, id, about.Seq);
                if (!tabulation.IsDecided(key)) items.Add(new ReviewItem(key, about.Precinct, reason, detail, about.Seq, [.. versions]));
            }

            foreach (var held in reports.Latest.Values.Concat(reports.HotlineByOperator).Where(r => r.IsHeld).DistinctBy(r => r.Seq))
            {
                Add(ReviewReason.Implausible, held.HoldReason!, held, [held]);
            }
            switch (reports.DoubleEntry)
            {
                case { Status: DoubleEntryStatus.Mismatch, DifferingEntry: { } newest } mismatch:
                    var entries = reports.HotlineByOperator.OrderByDescending(r => r.Revision).Take(2).ToList();
                    Add(ReviewReason.DoubleEntryMismatch, string.Join("; ", mismatch.Differences), newest, entries);
                    break;
                case { Status: DoubleEntryStatus.LaterEntryDiffers, DifferingEntry: { } later, Confirmed: { } confirmed } differs:
                    Add(ReviewReason.HotlineEntryDiffers, "a later hotline entry differs from the confirmed numbers, which still count: " +
                        string.Join("; ", differs.Differences), later, [later, confirmed]);
                    break;
            }
            // An official report entered after every other source's is headquarters' answer to the disagreement.
            var settledByHeadquarters = reports.Counted is { Source: ReportSource.Official } official && official.Revision == reports.LatestRevision;
            if (reports.SourcesDisagree && !settledByHeadquarters)
            {
                var versions = reports.Latest.Values.Reverse().ToList();
                Add(ReviewReason.SourcesDisagree, string.Join(", ", versions.Select(v => JsonNamingPolicy.KebabCaseLower.ConvertName(v.Source.ToString()))) +
                    " report different numbers", versions[0], versions);
            }
            if (reports.Counted is not { } counted) continue;
            var result = counted.Result;
            if (result.IsInconsistent)
            {
                Add(ReviewReason.RulesBroken, result.Allocation.Warnings.First(w => w.Code is Validation.WarningCode.ReportedDelegatesDiffer
                    or Validation.WarningCode.DelegatesUnbalanced).Message, counted, [counted]);
            }
            if (result.Allocation is { IsProvisional: true, Tie: { } tie }) Add(ReviewReason.PendingToss, tie.Describe(), counted, [counted]);
            if (result.Tally.FinalTotal > result.Tally.FirstTotal)
            {
                Add(ReviewReason.FinalExceedsFirst, $"final alignment totals {result.Tally.FinalTotal}, first {result.Tally.FirstTotal}", counted, [counted]);
            }
            if (result.Tally.Attendees >= SameNumbersMinimumAttendees)
            {
                var signature = Signature(result.Tally);
                if (!bySignature.TryGetValue(signature, out var same)) bySignature[signature] = same = [];
                same.Add(counted);
            }
        }

        foreach (var same in bySignature.Values.Where(s => s.Count > 1))
        {
            foreach (var report in same)
            {
                var others = same.Where(o => !ReferenceEquals(o, report)).ToList();
                var key = ReviewItem.KeyOf(ReviewReason.SameNumbersAsAnotherPrecinct, report.Precinct.Value, report.Seq);
                if (tabulation.IsDecided(key)) continue;
                items.Add(new ReviewItem(key, report.Precinct, ReviewReason.SameNumbersAsAnotherPrecinct,
                    $"the same alignments as {string.Join(", ", others.Select(o => o.Precinct.Value))}", report.Seq, [report, .. others]));
            }
        }
        return items.ToImmutable();
    }

    private static string Signature(Model.Tally tally) =>
        string.Join(",", tally.First.Where(g => g.Value != 0).Select(g => $"{g.Key}={g.Value}")) + "|" +
        string.Join(",", tally.Final.Where(g => g.Value != 0).Select(g => $"{g.Key}={g.Value}"));
}
