using System.Collections.Immutable;
using Caucus.Core.Model;

namespace Caucus.Core.Counting;

/// <summary>Where a precinct's hotline entries stand (kebab-case in JSON: <c>awaiting-second-entry</c>, …).</summary>
public enum DoubleEntryStatus
{
    /// <summary>One operator's entry only: stored, not counted.</summary>
    AwaitingSecondEntry,

    /// <summary>Two operators (two credentials) entered the same numbers: the entry counts.</summary>
    Confirmed,

    /// <summary>Two operators' latest entries differ and no two have ever agreed: nothing from the hotline counts yet.</summary>
    Mismatch,

    /// <summary>
    /// Two operators agreed and those numbers still count, but a later entry differs from them: a review item, not an
    /// un-count, so one operator cannot take a confirmed precinct out of the totals.
    /// </summary>
    LaterEntryDiffers,
}

/// <summary>
/// A precinct's double-entry state: the status, the differing fields (on a mismatch, or between the counted numbers
/// and a later differing entry), the entry that counts once confirmed, and the later entry that differs from it.
/// <see cref="DifferingEntry"/> and <see cref="ComparedWith"/> are the two entries each difference compares, in its
/// order ("final.Warren: 9 vs 7": 9 is the differing entry's), so both operators can be named.
/// </summary>
public sealed record DoubleEntryState(DoubleEntryStatus Status, ImmutableArray<string> Differences, SourceReport? Confirmed,
    SourceReport? DifferingEntry = null)
{
    /// <summary>The entry the differing one is compared with: the other operator's on a mismatch, the confirmed one after.</summary>
    public SourceReport? ComparedWith { get; init; }

    /// <summary>Whether operators' entries differ: someone must call the captain back.</summary>
    public bool Differs => Status is DoubleEntryStatus.Mismatch or DoubleEntryStatus.LaterEntryDiffers;
}

/// <summary>
/// The double-entry rule for phoned-in tallies: a hotline report counts only when a second hotline operator
/// (another credential) enters the same numbers for the precinct. A typo by one operator can then never
/// become a published number: it shows as a mismatch, naming the field, until someone enters it again.
/// Once two operators have agreed, the precinct counts those numbers until two operators agree on other ones:
/// a lone differing entry is shown for review but cannot un-count the precinct.
/// </summary>
public static class DoubleEntry
{
    /// <summary>
    /// Judges every hotline entry of a precinct, in revision order (the same answer whatever order they arrived in):
    /// an entry is confirmed when, as it is entered, another operator's latest entry made after the entry that counts
    /// has the same numbers; the newest confirmed entry counts. Only a new agreement moves what counts.
    /// </summary>
    public static DoubleEntryState Judge(IEnumerable<SourceReport> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var ordered = entries.OrderBy(e => e.Revision).ToList();
        if (ordered.Count == 0) throw new ArgumentException("Double entry needs at least one entry.", nameof(entries));
        var latestByOperator = new Dictionary<string, SourceReport>(StringComparer.Ordinal);
        SourceReport? confirmed = null;
        var agreedAt = 0;
        foreach (var entry in ordered)
        {
            latestByOperator[entry.Actor] = entry;
            if (confirmed is not null && Differences(entry.Result.Tally, confirmed.Result.Tally).IsEmpty)
            {
                // The same numbers again: the newest entry of them counts, and the agreement stands where it was formed.
                confirmed = entry;
                continue;
            }
            // A new agreement needs two entries made after the last agreement: one credential repeating numbers an
            // operator entered before it cannot move the count back.
            if (latestByOperator.Values.Any(o => o.Actor != entry.Actor && o.Revision > agreedAt && Differences(entry.Result.Tally, o.Result.Tally).IsEmpty))
            {
                confirmed = entry;
                agreedAt = entry.Revision;
            }
        }
        var newest = ordered[^1];
        if (confirmed is null)
        {
            var other = latestByOperator.Values.Where(o => o.Actor != newest.Actor).MaxBy(o => o.Revision);
            return other is null
                ? new(DoubleEntryStatus.AwaitingSecondEntry, [], null)
                : new(DoubleEntryStatus.Mismatch, Differences(newest.Result.Tally, other.Result.Tally), null, newest) { ComparedWith = other };
        }
        // Only an operator's latest entry after the agreement can differ from it; an earlier typo was re-entered already.
        var differing = latestByOperator.Values.Where(e => e.Revision > confirmed.Revision && !Differences(e.Result.Tally, confirmed.Result.Tally).IsEmpty)
            .MaxBy(e => e.Revision);
        return differing is null
            ? new(DoubleEntryStatus.Confirmed, [], confirmed)
            : new(DoubleEntryStatus.LaterEntryDiffers, Differences(differing.Result.Tally, confirmed.Result.Tally), confirmed, differing) { ComparedWith = confirmed };
    }

    /// <summary>
    /// The fields in which two entries differ, as an operator reads them back: <c>attendees: 40 vs 41</c>,
    /// <c>final.Warren: 9 vs 7</c> (the first entry's value first). Zero and absent are the same count.
    /// </summary>
    public static ImmutableArray<string> Differences(Tally a, Tally b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var differences = ImmutableArray.CreateBuilder<string>();
        if (a.Attendees != b.Attendees) differences.Add($"attendees: {a.Attendees} vs {b.Attendees}");
        Compare("first", a.First, b.First);
        Compare("final", a.Final, b.Final);
        Compare("reportedDelegates", a.ReportedDelegates ?? ImmutableSortedDictionary<string, int>.Empty,
            b.ReportedDelegates ?? ImmutableSortedDictionary<string, int>.Empty);
        if (!a.TieBreaksOrEmpty.SequenceEqual(b.TieBreaksOrEmpty))
        {
            differences.Add($"tieBreaks: {Describe(a.TieBreaksOrEmpty)} vs {Describe(b.TieBreaksOrEmpty)}");
        }
        return differences.ToImmutable();

        void Compare(string field, ImmutableSortedDictionary<string, int> x, ImmutableSortedDictionary<string, int> y)
        {
            foreach (var group in x.Keys.Union(y.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal))
            {
                int p = x.GetValueOrDefault(group), q = y.GetValueOrDefault(group);
                if (p != q) differences.Add($"{field}.{group}: {p} vs {q}");
            }
        }
    }

    /// <summary>A recorded outcome as read back: the winners of a toss, or the order a card draw or lots ranked the groups in.</summary>
    private static string Describe(ImmutableArray<TieBreak> tieBreaks) =>
        tieBreaks.IsEmpty ? "none" : string.Join("; ", tieBreaks.Select(t => t.IsRanking
            ? $"{string.Join(" > ", t.Ranking)} drawn among {string.Join("/", t.Groups)}"
            : $"{string.Join("/", t.Winners)} won among {string.Join("/", t.Groups)}"));
}
