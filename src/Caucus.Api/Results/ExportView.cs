using System.Collections.Immutable;
using Caucus.Core.Aggregation;
using Caucus.Core.Arithmetic;
using Caucus.Core.Counting;
using Caucus.Core.Model;

namespace Caucus.Api.Results;

/// <summary>
/// Everything the exports show, read under the state's lock in one go, so that the precinct rows, the county,
/// district and statewide totals and the status all belong to the same version.
/// </summary>
/// <param name="Status">The status the results documents carry (<c>test</c> in a rehearsal).</param>
/// <param name="CountStatus">The status the counting alone gives, ignoring the rehearsal flag (NIST's ResultsStatus has no "test").</param>
public sealed record ExportView(
    Election Election,
    long Version,
    DateTimeOffset AsOf,
    ResultsStatus Status,
    ResultsStatus CountStatus,
    bool Test,
    ResultsTotals Statewide,
    ImmutableDictionary<string, ResultsTotals> Districts,
    ImmutableDictionary<string, ResultsTotals> Counties,
    ImmutableArray<ExportedPrecinct> Precincts)
{
    public string ETag => $"\"{Version}\"";

    /// <summary>
    /// The group each reported spelling adds up under in the totals (where groups are open: case folded, headquarters'
    /// merges applied); a spelling not listed is its own group.
    /// </summary>
    public ImmutableDictionary<string, string> GroupOf { get; init; } = ImmutableDictionary<string, string>.Empty;
}

/// <summary>
/// One precinct in the election's order: its counted report (null when nothing counts), the exact SDEs of that
/// report's groups (for a satellite, its share of its satellite county as it stands) and its standing.
/// </summary>
public sealed record ExportedPrecinct(Precinct Precinct, SourceReport? Counted, ImmutableSortedDictionary<string, Rational> Sde, PrecinctStanding Standing);
