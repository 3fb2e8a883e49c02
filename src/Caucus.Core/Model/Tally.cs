using System.Collections.Immutable;

namespace Caucus.Core.Model;

/// <summary>
/// What a precinct reports: eligible attendees (A), first- and final-alignment group sizes, and
/// optionally the delegates the chair reported and the recorded outcomes of games of chance.
/// Groups absent from a dictionary count as 0.
/// </summary>
public sealed record Tally(
    int Attendees,
    ImmutableSortedDictionary<string, int> First,
    ImmutableSortedDictionary<string, int> Final,
    ImmutableSortedDictionary<string, int>? ReportedDelegates = null,
    ImmutableArray<TieBreak> TieBreaks = default)
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

    public long FirstTotal => First.Values.Sum(v => (long)v);

    public long FinalTotal => Final.Values.Sum(v => (long)v);

    /// <summary>Every group named in either alignment, in ordinal order (the order never affects the result).</summary>
    public ImmutableArray<string> Groups =>
        [.. First.Keys.Union(Final.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    public int FirstOf(string group) => First.GetValueOrDefault(group);

    public int FinalOf(string group) => Final.GetValueOrDefault(group);

    public Tally WithTieBreaks(IEnumerable<TieBreak> tieBreaks) => this with { TieBreaks = [.. tieBreaks] };

    public Tally WithAttendees(int attendees) => this with { Attendees = attendees };
}
