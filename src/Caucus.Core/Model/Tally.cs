using System.Collections.Immutable;

namespace Caucus.Core.Model;

/// <summary>
/// What a precinct reports: eligible attendees (A), first- and final-alignment group sizes, and
/// optionally the delegates the chair reported, the recorded outcomes of games of chance, and the early vote cast for
/// the precinct before the night (ranked preference cards, counted by ranking; only where the rule set's form has
/// them: the rule set merges them into the alignments, <see cref="Rules.IRuleSet.Count"/>).
/// Groups absent from a dictionary count as 0, so equality ignores zero entries: <c>{"Biden":0}</c>
/// and <c>{}</c> are the same alignment.
/// </summary>
public sealed record Tally(
    int Attendees,
    ImmutableSortedDictionary<string, int> First,
    ImmutableSortedDictionary<string, int> Final,
    ImmutableSortedDictionary<string, int>? ReportedDelegates = null,
    ImmutableArray<TieBreak> TieBreaks = default,
    ImmutableArray<EarlyRanking> Early = default)
{
    public static Tally Create(int attendees, IEnumerable<KeyValuePair<string, int>> first,
        IEnumerable<KeyValuePair<string, int>> final, IEnumerable<KeyValuePair<string, int>>? reportedDelegates = null,
        IEnumerable<TieBreak>? tieBreaks = null) =>
        new(attendees,
            first.ToImmutableSortedDictionary(StringComparer.Ordinal),
            final.ToImmutableSortedDictionary(StringComparer.Ordinal),
            reportedDelegates?.ToImmutableSortedDictionary(StringComparer.Ordinal),
            tieBreaks is null ? [] : [.. tieBreaks]);

    public ImmutableArray<TieBreak> TieBreaksOrEmpty => TieBreaks.IsDefault ? [] : TieBreaks;

    public ImmutableArray<EarlyRanking> EarlyOrEmpty => Early.IsDefault ? [] : Early;

    public bool HasEarlyVote => !EarlyOrEmpty.IsEmpty;

    public long FirstTotal => First.Values.Sum(v => (long)v);

    public long FinalTotal => Final.Values.Sum(v => (long)v);

    /// <summary>Every group named in either alignment, in ordinal order (the order never affects the result).</summary>
    public ImmutableArray<string> Groups =>
        [.. First.Keys.Union(Final.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    public int FirstOf(string group) => First.GetValueOrDefault(group);

    public int FinalOf(string group) => Final.GetValueOrDefault(group);

    public Tally WithTieBreaks(IEnumerable<TieBreak> tieBreaks) => this with { TieBreaks = [.. tieBreaks] };

    public Tally WithAttendees(int attendees) => this with { Attendees = attendees };

    /// <summary>
    /// Value equality: the same attendance, the same non-zero counts in each alignment, the same reported
    /// delegates (absent and empty differ: "reported none" is not "reported nothing"), the same tie-breaks in order.
    /// </summary>
    public bool Equals(Tally? other) =>
        other is not null
        && Attendees == other.Attendees
        && SameCounts(First, other.First)
        && SameCounts(Final, other.Final)
        && (ReportedDelegates is null ? other.ReportedDelegates is null
            : other.ReportedDelegates is not null && SameCounts(ReportedDelegates, other.ReportedDelegates))
        && TieBreaksOrEmpty.SequenceEqual(other.TieBreaksOrEmpty)
        && EarlyOrEmpty.SequenceEqual(other.EarlyOrEmpty);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Attendees);
        AddCounts(ref hash, First);
        AddCounts(ref hash, Final);
        hash.Add(ReportedDelegates is null);
        if (ReportedDelegates is not null) AddCounts(ref hash, ReportedDelegates);
        foreach (var t in TieBreaksOrEmpty) hash.Add(t);
        foreach (var e in EarlyOrEmpty) hash.Add(e);
        return hash.ToHashCode();
    }

    /// <summary>The same non-zero entries (both dictionaries are ordinally sorted, so this is one merge).</summary>
    public static bool SameCounts(IEnumerable<KeyValuePair<string, int>> a, IEnumerable<KeyValuePair<string, int>> b) =>
        a.Where(x => x.Value != 0).SequenceEqual(b.Where(x => x.Value != 0));

    private static void AddCounts(ref HashCode hash, ImmutableSortedDictionary<string, int> counts)
    {
        foreach (var (group, n) in counts)
        {
            if (n == 0) continue;
            hash.Add(group, StringComparer.Ordinal);
            hash.Add(n);
        }
        hash.Add('|');
    }
}
