using Caucus.Api.Reports;
using Caucus.Core.Counting;

namespace Caucus.Api.Review;

/// <summary>GET /api/v1/review: every report that needs a human, at a version.</summary>
public sealed record ReviewDocument(long Version, IReadOnlyList<ReviewItemDocument> Items);

/// <summary>
/// One item: why, in words, and the versions to compare (where there are two, both). <see cref="Weight"/> is the headline
/// units (SDE, CCD) the precinct's delegates carry, as a decimal string: what a decision on it can move.
/// <see cref="BlocksCertification"/>: while it is open, certifying is refused (<see cref="CertificationCheck.Blocks"/>).
/// </summary>
public sealed record ReviewItemDocument(string Key, string Precinct, string County, string Name, ReviewReason Reason, string Detail,
    long RevisionSeq, IReadOnlyList<ReviewVersionDocument> Versions, string Weight, bool BlocksCertification);

/// <summary>One version; <see cref="Actor"/> is the sender's token id (as in the audit trail), <see cref="ActorName"/> its name in words.</summary>
public sealed record ReviewVersionDocument(string Precinct, ReportSource Source, int Revision, long Seq, DateTimeOffset ReceivedAt, string Actor,
    int Attendees, IReadOnlyDictionary<string, int> First, IReadOnlyDictionary<string, int> Final, IReadOnlyDictionary<string, int>? ReportedDelegates,
    IReadOnlyDictionary<string, int> CountyDelegates, string? Held, EarlyVoteDocument? Early, string ActorName)
{
    public static ReviewVersionDocument From(SourceReport r, OperatorNames names) => new(r.Precinct.Value, r.Source, r.Revision, r.Seq, r.ReceivedAt, r.Actor,
        r.Result.Tally.Attendees, r.Result.Tally.First, r.Result.Tally.Final, r.Result.Tally.ReportedDelegates,
        r.Result.Allocation.DelegatesByGroup.Where(g => g.Value > 0).ToDictionary(), r.HoldReason, EarlyVoteDocument.From(r.Result), names.Of(r.Actor));
}

/// <summary>POST /api/v1/review/decisions: clear an item with a reason, or confirm a held report so it counts.</summary>
public sealed record DecisionRequest(string? Key, string? Action, string? Reason);

public sealed record DecisionResponse(string Key, ReviewAction Action, long Seq, long Version);
