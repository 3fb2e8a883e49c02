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

    /// <summary>The latest entries of two operators differ: neither counts until a matching entry resolves it.</summary>
    Mismatch,
}

/// <summary>A precinct's double-entry state: the status, the differing fields on a mismatch, and the entry that counts once confirmed.</summary>
public sealed record DoubleEntryState(DoubleEntryStatus Status, ImmutableArray<string> Differences, SourceReport? Confirmed);

/// <summary>
/// The double-entry rule for phoned-in tallies: a hotline report counts only when a second hotline operator
/// (another credential) enters the same numbers for the precinct. A typo by one operator can then never
/// become a published number: it shows as a mismatch, naming the field, until someone enters it again.
/// </summary>
public static class DoubleEntry
{
    /// <summary>Judges each operator's latest entry: the newest entry is confirmed by any other operator's entry with the same numbers.</summary>
    public static DoubleEntryState Judge(IEnumerable<SourceReport> latestPerOperator)
    {
        ArgumentNullException.ThrowIfNull(latestPerOperator);
        var entries = latestPerOperator.OrderByDescending(e => e.Revision).ToList();
        if (entries.Count == 0) throw new ArgumentException("Double entry needs at least one entry.", nameof(latestPerOperator));
        var newest = entries[0];
        var others = entries.Skip(1).ToList();
        if (others.Count == 0) return new(DoubleEntryStatus.AwaitingSecondEntry, [], null);
        if (others.Any(o => Differences(newest.Result.Tally, o.Result.Tally).IsEmpty)) return new(DoubleEntryStatus.Confirmed, [], newest);
        return new(DoubleEntryStatus.Mismatch, Differences(newest.Result.Tally, others[0].Result.Tally), null);
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

    private static string Describe(ImmutableArray<TieBreak> tieBreaks) =>
        tieBreaks.IsEmpty ? "none" : string.Join("; ", tieBreaks.Select(t => $"{string.Join("/", t.Winners)} won among {string.Join("/", t.Groups)}"));
}
