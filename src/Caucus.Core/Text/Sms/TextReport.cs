using System.Collections.Immutable;
using Caucus.Core.Model;

namespace Caucus.Core.Text.Sms;

/// <summary>
/// A report as a captain texted it, read by <see cref="TextGrammar"/>: the precinct's code, attendance, the counts of
/// each alignment by group name (a one-round caucus's votes are <see cref="Final"/>), the delegates the captain reported,
/// the winners of the game of chance and the early-vote cards by ranking. Null counts: the section was not sent.
/// </summary>
public sealed record TextReport(
    string PrecinctCode,
    int? Attendees,
    ImmutableSortedDictionary<string, int>? First,
    ImmutableSortedDictionary<string, int>? Final,
    ImmutableSortedDictionary<string, int>? Delegates,
    ImmutableArray<string> TieWinners,
    ImmutableArray<EarlyRanking> Early)
{
    public bool Equals(TextReport? other) =>
        other is not null && PrecinctCode == other.PrecinctCode && Attendees == other.Attendees
        && Same(First, other.First) && Same(Final, other.Final) && Same(Delegates, other.Delegates)
        && TieWinners.SequenceEqual(other.TieWinners) && Early.SequenceEqual(other.Early);

    public override int GetHashCode() => HashCode.Combine(PrecinctCode, Attendees, First?.Count, Final?.Count, TieWinners.Length, Early.Length);

    private static bool Same(ImmutableSortedDictionary<string, int>? a, ImmutableSortedDictionary<string, int>? b) =>
        a is null ? b is null : b is not null && a.SequenceEqual(b);
}

/// <summary>What reading a text gave: the report, or the one thing wrong with it, said so a captain can fix it.</summary>
public sealed record TextReading(TextReport? Report, string? Error)
{
    public static TextReading Wrong(string error) => new(null, error);
}
