namespace Caucus.Api.Storage;

/// <summary>
/// A revision to append. <see cref="ReceivedAt"/> comes from the caller's clock, never the database's.
/// <see cref="SubmissionId"/> is given by the server, one per submission, so a batch retried after a lost
/// COMMIT finds what it already stored (with or without an Idempotency-Key).
/// </summary>
public sealed record NewRevision(
    string PrecinctId,
    string Source,
    string Actor,
    DateTimeOffset ReceivedAt,
    string? IdempotencyKey,
    string BodyHash,
    string RawBody,
    string? SubmissionId = null)
{
    /// <summary>
    /// Refuse the revision if the results of this mode (test or not) are certified when it would commit: checked by
    /// the writer under its lock, so no report slips in between a certification and its check. Null: never refused.
    /// </summary>
    public bool? RefusedWhenCertifiedInTestMode { get; init; }
}

/// <summary>A committed revision: <see cref="Seq"/> is the global commit order, <see cref="Revision"/> counts 1, 2, 3… per precinct.</summary>
public sealed record StoredRevision(
    long Seq,
    string PrecinctId,
    int Revision,
    string Source,
    string Actor,
    DateTimeOffset ReceivedAt,
    string? IdempotencyKey,
    string BodyHash,
    string RawBody,
    string? SubmissionId = null);

/// <summary>What an append did. Closed set: <see cref="Appended"/>, <see cref="Replayed"/>, <see cref="KeyConflict"/>.</summary>
public abstract record AppendOutcome
{
    private AppendOutcome()
    {
    }

    /// <summary>The revision was committed with a new seq and revision number.</summary>
    public sealed record Appended(StoredRevision Revision) : AppendOutcome;

    /// <summary>The idempotency key was seen before with the same body (and precinct): nothing was added.</summary>
    public sealed record Replayed(StoredRevision Original) : AppendOutcome;

    /// <summary>The idempotency key was seen before with a different body or precinct: nothing was added.</summary>
    public sealed record KeyConflict(StoredRevision Existing) : AppendOutcome;

    /// <summary>The results are certified and this revision may not reopen them: nothing was added.</summary>
    public sealed record RefusedCertified : AppendOutcome;
}

/// <summary>A submission refused before it became a revision, kept with its raw text for the audit trail.</summary>
public sealed record RejectedSubmission(
    string? PrecinctId,
    string? Actor,
    DateTimeOffset ReceivedAt,
    string RawBody,
    string Reason,
    string? IdempotencyKey);

public sealed record StoredRejection(
    long Seq,
    string? PrecinctId,
    string? Actor,
    DateTimeOffset ReceivedAt,
    string RawBody,
    string Reason,
    string? IdempotencyKey);

/// <summary>Everything the store holds about one precinct, each list in seq order.</summary>
public sealed record AuditTrail(
    string PrecinctId,
    IReadOnlyList<StoredRevision> Revisions,
    IReadOnlyList<StoredRejection> Rejections,
    IReadOnlyList<StoredReviewDecision>? Decisions = null);

/// <summary>An API token as stored: only its SHA-256 hash, never the token itself.</summary>
public sealed record StoredToken(
    string Id,
    string TokenHash,
    string Role,
    string? PrecinctId,
    DateTimeOffset CreatedAt,
    string? Source = null);

/// <summary>Knobs of the store; the defaults suit production, tests shorten the waits.</summary>
public sealed record CaucusStoreOptions
{
    /// <summary>Most appends committed in one transaction (group commit).</summary>
    public int MaxBatchSize { get; init; } = 256;

    /// <summary>Writes waiting for the writer before callers are made to wait (back-pressure).</summary>
    public int QueueCapacity { get; init; } = 10_000;

    public int MaxRetryAttempts { get; init; } = 3;

    /// <summary>First retry delay; later ones grow exponentially, with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How long the circuit stays open once the database looks dead; also the Retry-After we suggest.</summary>
    public TimeSpan BreakDuration { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Delay before the PostgreSQL listener reconnects after losing its connection.</summary>
    public TimeSpan ListenerReconnectDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}

/// <summary>
/// An admin's certification of the results as they stand through revision <see cref="ThroughSeq"/>, committed
/// at <see cref="Seq"/> (the same sequence as revisions: a certification is a change of the results).
/// </summary>
public sealed record Certification(long Seq, long ThroughSeq, string Actor, DateTimeOffset CertifiedAt, string? Note, bool Test = false);

/// <summary>A certification to append: it holds only if no revision was committed after <see cref="ThroughSeq"/>.</summary>
public sealed record NewCertification(long ThroughSeq, string Actor, DateTimeOffset CertifiedAt, string? Note, bool Test = false);

/// <summary>An admin's review decision to append (<c>action</c>: clear or confirm).</summary>
public sealed record NewReviewDecision(string ItemKey, string PrecinctId, long RevisionSeq, string Action, string Reason, string Actor, DateTimeOffset DecidedAt);

/// <summary>A stored review decision, committed at <see cref="Seq"/> in the results' commit sequence.</summary>
public sealed record StoredReviewDecision(long Seq, string ItemKey, string PrecinctId, long RevisionSeq, string Action, string Reason, string Actor,
    DateTimeOffset DecidedAt);

/// <summary>What a certification append did. Closed set.</summary>
public abstract record CertificationOutcome
{
    private CertificationOutcome()
    {
    }

    public sealed record Certified(Certification Certification) : CertificationOutcome;

    /// <summary>A revision was committed after the results the admin saw: nothing was certified.</summary>
    public sealed record Stale(long RevisionsSince) : CertificationOutcome;
}

/// <summary>Every change committed after a seq, each list in seq order: what a follower applies.</summary>
public sealed record StoredChanges(IReadOnlyList<StoredRevision> Revisions, IReadOnlyList<Certification> Certifications,
    IReadOnlyList<StoredReviewDecision>? Decisions = null)
{
    public IReadOnlyList<StoredReviewDecision> ReviewDecisions => Decisions ?? [];

    public long HighestSeq => Math.Max(Math.Max(Revisions.Count > 0 ? Revisions[^1].Seq : 0, Certifications.Count > 0 ? Certifications[^1].Seq : 0),
        ReviewDecisions.Count > 0 ? ReviewDecisions[^1].Seq : 0);
}
