using Caucus.Core.Aggregation;
using Caucus.Core.Counting;

namespace Caucus.Api.Results;

/// <summary>GET /api/v1/results (and per county): the contract's shape, SDEs as 4-place decimal strings.</summary>
public sealed record ResultsDocument(
    long Version,
    DateTimeOffset AsOf,
    ResultsStatus Status,
    bool Test,
    string Scope,
    PrecinctCounts Precincts,
    IReadOnlyList<CandidateDocument> Candidates,
    ResultsFlags Flags,
    OtherReadingDocument OtherReading)
{
    /// <summary>Statewide only: whether what is still open (tosses, flagged precincts) could change the SDE leader.</summary>
    public LeaderAlert? LeaderAlert { get; init; }

    /// <summary>
    /// Statewide, under a rule set whose headline is allocated statewide (the election document's <c>headline.statewide</c>):
    /// what the candidates' headline fields cannot say alone. Null otherwise.
    /// </summary>
    public StatewideHeadlineDocument? StatewideHeadline { get; init; }
}

/// <summary>
/// The statewide headline's own figures: the delegates no vote still out can move (<see cref="Called"/>, each
/// candidate's <c>sdeRange.low</c> summed), the most votes still assumed out (the units not in, each at its plausibility
/// limit), whether the ranges are the exact extremes or sound bounds, and the delegates a lot still holds.
/// </summary>
public sealed record StatewideHeadlineDocument(int Called, long VotesOut, string? VotesOutBasis, bool RangesExact, int LotSeats)
{
    public static StatewideHeadlineDocument From(Core.Rules.StatewideCount count) =>
        new(count.Called, count.RemainingVotes, count.RemainingVotesBasis, count.RangesExact, count.LotSeats);
}

/// <summary>Precincts reporting of all; <see cref="Satellites"/> (statewide, where the election has them) is the satellites' part of both.</summary>
public sealed record PrecinctCounts(int Reporting, int Total)
{
    public SatelliteCounts? Satellites { get; init; }
}

/// <summary>The satellites' part of a reporting count (no nested part of its own).</summary>
public sealed record SatelliteCounts(int Reporting, int Total);

/// <summary>
/// One candidate's line. <see cref="SdeRange"/> spans every outcome of the games of chance still pending
/// (equal to <see cref="Sde"/> when none is): a war room sees the span, not one arbitrary provisional point.
/// </summary>
public sealed record CandidateDocument(string Name, long FirstAlignment, long FinalAlignment, long CountyDelegates, string Sde, RangeDocument SdeRange)
{
    public static CandidateDocument From(CandidateTotals c) =>
        new(c.Name, c.FirstAlignment, c.FinalAlignment, c.CountyDelegates, c.SdeDisplay, RangeDocument.From(c.SdeRange));
}

/// <summary>An exact SDE range, as 4-place decimal strings.</summary>
public sealed record RangeDocument(string Low, string High)
{
    public static RangeDocument From(Core.Ranges.SdeRange range) => new(range.Low.ToDecimalString(4), range.High.ToDecimalString(4));
}

/// <summary>What the war room must see: reported math that does not match the rules, ties awaiting a game of chance, sources that disagree.</summary>
public sealed record ResultsFlags(int Inconsistent, int PendingTieBreaks, int SourceDisagreements, bool SatellitesProvisional, int DoubleEntryMismatches);

/// <summary>SDEs under the other satellite weighting (RULES.md: the two readings differ by more than the 2020 margin).</summary>
public sealed record OtherReadingDocument(Core.Rules.SatelliteWeighting SatelliteWeighting, IReadOnlyDictionary<string, string> Sde);

/// <summary>
/// What changed since a version. <see cref="Reload"/> is true when the cursor is older than the kept change log:
/// fetch <c>/api/v1/results</c> and poll from its version.
/// </summary>
public sealed record ChangesDocument(long Version, bool Reload, IReadOnlyList<ChangeDocument> Changes);

public sealed record ChangeDocument(long Version, PrecinctId Precinct, int Revision, ReportSource Source);
