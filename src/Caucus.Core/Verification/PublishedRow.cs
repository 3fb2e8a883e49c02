using System.Collections.Immutable;
using Caucus.Core.Arithmetic;

namespace Caucus.Core.Verification;

/// <summary>
/// One precinct row of a published results file: alignments and the published headline units per group (Iowa: SDEs;
/// Nevada: county convention delegates). <paramref name="Attendees"/> is the file's head count where it has one.
/// </summary>
public sealed record PublishedRow(
    int Line,
    string County,
    string Precinct,
    ImmutableSortedDictionary<string, int> First,
    ImmutableSortedDictionary<string, int> Final,
    ImmutableSortedDictionary<string, Rational> Sde,
    int? Attendees = null)
{
    /// <summary>The file's head count; where it has none (Iowa's), the first-alignment total.</summary>
    public int Attendance => Attendees ?? First.Values.Sum();
}

/// <summary>A row that could not be read, with its line and the reason.</summary>
public sealed record PublishedRowError(int Line, string Reason);

