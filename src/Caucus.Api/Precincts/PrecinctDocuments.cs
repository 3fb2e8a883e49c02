using Caucus.Api.Reports;
using Caucus.Api.Results;
using Caucus.Core.Counting;
using Caucus.Core.Model;

namespace Caucus.Api.Precincts;

public sealed record PrecinctSummary(string Id, string County, string Name, int Delegates, PrecinctKind Kind, bool Reported);

/// <summary>GET /api/v1/precincts/{id}: definition, current revision, computed and reported allocation, flags, sources.</summary>
public sealed record PrecinctDetail(
    string Id,
    string County,
    string Name,
    int Delegates,
    PrecinctKind Kind,
    bool Reported,
    int Revision,
    CountedDocument? Counted,
    AllocationDocument? Allocation,
    IReadOnlyDictionary<string, int>? ReportedDelegates,
    IReadOnlyList<WarningDocument> Warnings,
    TieDocument? PendingTieBreak,
    PrecinctFlags Flags,
    IReadOnlyList<SourceDocument> Sources,
    IReadOnlyDictionary<string, RangeDocument>? SdeRange,
    IReadOnlyList<OutcomeDocument> TossOutcomes,
    DoubleEntryDocument? DoubleEntry)
{
    /// <summary>The precinct's code for reporting by text message (README, "Reporting by text message").</summary>
    public string? SmsCode { get; init; }

    /// <summary>The game of chance the counted report recorded and the rules applied (a toss, a card draw, a lot): who won, who lost.</summary>
    public DecidedTieDocument? DecidedTieBreak { get; init; }
}

/// <summary>A recorded game of chance as applied: the tied groups, the winners, the losers (as SubCalc reports each lot), the ranking where one was drawn.</summary>
public sealed record DecidedTieDocument(IReadOnlyList<string> Groups, IReadOnlyList<string> Winners, IReadOnlyList<string> Losers, IReadOnlyList<string>? Ranking)
{
    public static DecidedTieDocument? From(TieBreak? applied) => applied is null ? null
        : new(applied.Groups, applied.Winners, [.. applied.Groups.Where(g => !applied.Winners.Contains(g))], applied.IsRanking ? applied.Ranking : null);
}

/// <summary>One outcome of the precinct's pending game of chance: who wins the toss, and what each group then gets.</summary>
public sealed record OutcomeDocument(IReadOnlyList<TieBreakDocument> TieBreaks, IReadOnlyDictionary<string, int> CountyDelegates,
    IReadOnlyDictionary<string, string> Sde);

public sealed record TieBreakDocument(IReadOnlyList<string> Groups, IReadOnlyList<string> Winners);

/// <summary>The counted report's numbers as the rule set counts them (early vote merged in; <c>early</c>: in person and early side by side).</summary>
public sealed record CountedDocument(ReportSource Source, int Revision, DateTimeOffset ReceivedAt, int Attendees,
    IReadOnlyDictionary<string, int> First, IReadOnlyDictionary<string, int> Final, string? Note, EarlyVoteDocument? Early = null);

public sealed record PrecinctFlags(bool Inconsistent, bool PendingTieBreak, bool SourcesDisagree, bool SdeProvisional);

public sealed record SourceDocument(ReportSource Source, int Revision, DateTimeOffset ReceivedAt, IReadOnlyDictionary<string, int> CountyDelegates, bool Counted);
