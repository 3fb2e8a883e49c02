using System.Text;

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

    /// <summary>
    /// The body exactly as it arrived, where it differs from the UTF-8 of <see cref="RawBody"/> (the ingest stores
    /// the minified text there, so white space or another spelling of an escape makes them differ); stored
    /// byte-exact. <see cref="BodyHash"/> is the SHA-256 of the bytes as they arrived. Null: the same as the text's.
    /// </summary>
    public byte[]? RawBytes { get; init; }
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

    /// <summary>The idempotency key was seen before, from the same credential for the same precinct, with the same body: nothing was added.</summary>
    public sealed record Replayed(StoredRevision Original) : AppendOutcome;

    /// <summary>The idempotency key was seen before, from the same credential for the same precinct, with a different body: nothing was added.</summary>
    public sealed record KeyConflict(StoredRevision Existing) : AppendOutcome;

    /// <summary>The results are certified and this revision may not reopen them: nothing was added.</summary>
    public sealed record RefusedCertified : AppendOutcome;
}

/// <summary>
/// A submission refused before it became a revision. The store keeps only a bounded part of it for the audit
/// trail: the first <see cref="RefusedBody.PrefixBytes"/> bytes, the size and the SHA-256 of <see cref="Body"/>
/// (byte-exact, whatever the bytes are), so junk cannot grow the database by more than a few KiB a refusal.
/// </summary>
public sealed record RejectedSubmission(
    string? PrecinctId,
    string? Actor,
    DateTimeOffset ReceivedAt,
    ReadOnlyMemory<byte> Body,
    string Reason,
    string? IdempotencyKey)
{
    public RejectedSubmission(string? precinctId, string? actor, DateTimeOffset receivedAt, string rawBody, string reason, string? idempotencyKey)
        : this(precinctId, actor, receivedAt, Encoding.UTF8.GetBytes(rawBody ?? ""), reason, idempotencyKey)
    {
    }
}

/// <summary>How much of a refused body is kept.</summary>
public static class RefusedBody
{
    /// <summary>About 2 KiB: enough to see what a client sent, bounded whatever it sent.</summary>
    public const int PrefixBytes = 2048;

    public static byte[] Prefix(ReadOnlySpan<byte> body) => body[..Math.Min(body.Length, PrefixBytes)].ToArray();
}

/// <summary>
/// A stored refusal: the first bytes of the body (<see cref="BodyPrefix"/>, at most <see cref="RefusedBody.PrefixBytes"/>),
/// its size in bytes and the SHA-256 of all of it. Rows stored before the bounded audit (schema 0006) read as the
/// same shape, computed from their text.
/// </summary>
public sealed record StoredRejection(
    long Seq,
    string? PrecinctId,
    string? Actor,
    DateTimeOffset ReceivedAt,
    byte[] BodyPrefix,
    long BodySize,
    string BodySha256,
    string Reason,
    string? IdempotencyKey)
{
    /// <summary>The kept prefix read as UTF-8 (a malformed byte reads as U+FFFD; <see cref="BodyPrefix"/> has the bytes).</summary>
    public string RawBody => Encoding.UTF8.GetString(BodyPrefix);

    /// <summary>Whether the body was longer than what was kept.</summary>
    public bool Truncated => BodySize > BodyPrefix.Length;
}

/// <summary>Everything the store holds about one precinct, each list in seq order.</summary>
public sealed record AuditTrail(
    string PrecinctId,
    IReadOnlyList<StoredRevision> Revisions,
    IReadOnlyList<StoredRejection> Rejections,
    IReadOnlyList<StoredReviewDecision>? Decisions = null)
{
    /// <summary>The exact bytes of those revisions whose stored bytes are not the UTF-8 of their text (a malformed byte was read as U+FFFD).</summary>
    public IReadOnlyDictionary<long, byte[]> ExactBodies { get; init; } = new Dictionary<long, byte[]>();

    /// <summary>Where the next page starts, or null when this page holds the rest of the trail.</summary>
    public AuditQuery? Next { get; init; }
}

/// <summary>
/// One page of a precinct's audit trail. Revisions and review decisions share the commit sequence and are paged
/// together after <see cref="AfterSeq"/>; refusals have their own sequence and are paged after
/// <see cref="RejectedAfterSeq"/>. At most <see cref="Limit"/> entries of each kind, and at most <see cref="MaxBytes"/>
/// bytes of stored bodies in all (see <see cref="AuditPage"/>).
/// </summary>
public sealed record AuditQuery(long AfterSeq = 0, long RejectedAfterSeq = 0, int Limit = AuditQuery.DefaultLimit)
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 500;

    /// <summary>
    /// 256 KiB: fifteen reports padded to the report limit, or a full page (500) of real ones (a few hundred bytes
    /// each). Measured against the attack (tools/measure-audit-memory.sh): sixty concurrent reads grew the API
    /// by 19 MB with 256 KiB pages and by 133 MB with 1 MiB pages.
    /// </summary>
    public const long DefaultMaxBytes = 256 * 1024;

    /// <summary>The most bytes of stored bodies one page holds, unless its first entry alone is larger (then it comes alone).</summary>
    public long MaxBytes { get; init; } = DefaultMaxBytes;
}

/// <summary>An API token as stored: only its SHA-256 hash, never the token itself.</summary>
public sealed record StoredToken(
    string Id,
    string TokenHash,
    string Role,
    string? PrecinctId,
    DateTimeOffset CreatedAt,
    string? Source = null)
{
    /// <summary>When an admin revoked it (schema 0007), or null: a revoked token authenticates nobody.</summary>
    public DateTimeOffset? RevokedAt { get; init; }
}

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

    /// <summary>
    /// The longest a caller waits for its write to be queued and committed before it is told the database is
    /// unavailable (503). A write still queued then is withdrawn; one already in a transaction may commit later,
    /// which a retry with the same Idempotency-Key finds.
    /// </summary>
    public TimeSpan CommitWait { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>PostgreSQL: a statement that gets no answer in this long fails (a frozen server), unless the connection string says otherwise.</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Told the number of writes in each committed batch (metrics).</summary>
    public Action<int>? BatchCommitted { get; init; }

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}

/// <summary>
/// An admin's certification of the results as they stand through revision <see cref="ThroughSeq"/>, committed
/// at <see cref="Seq"/> (the same sequence as revisions: a certification is a change of the results).
/// </summary>
public sealed record Certification(long Seq, long ThroughSeq, string Actor, DateTimeOffset CertifiedAt, string? Note, bool Test = false);

/// <summary>A certification to append: it holds only if no revision was committed after <see cref="ThroughSeq"/>.</summary>
public sealed record NewCertification(long ThroughSeq, string Actor, DateTimeOffset CertifiedAt, string? Note, bool Test = false);

/// <summary>
/// An admin's review decision to append (<c>action</c>: clear or confirm); refused while the results are certified in
/// <see cref="Test"/>'s mode.
/// </summary>
public sealed record NewReviewDecision(string ItemKey, string PrecinctId, long RevisionSeq, string Action, string Reason, string Actor, DateTimeOffset DecidedAt,
    bool Test = false);

/// <summary>What a review-decision append did. Closed set.</summary>
public abstract record DecisionOutcome
{
    private DecisionOutcome()
    {
    }

    public sealed record Decided(long Seq) : DecisionOutcome;

    /// <summary>The results are certified: decisions would change them under the label, so none is taken.</summary>
    public sealed record RefusedCertified : DecisionOutcome;
}

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

    /// <summary>Changes were committed after the results the admin saw: nothing was certified.</summary>
    public sealed record Stale(long ChangesSince) : CertificationOutcome;
}

/// <summary>Every change committed after a seq, each list in seq order: what a follower applies.</summary>
public sealed record StoredChanges(IReadOnlyList<StoredRevision> Revisions, IReadOnlyList<Certification> Certifications,
    IReadOnlyList<StoredReviewDecision>? Decisions = null, IReadOnlyList<StoredGroupMerge>? Merges = null)
{
    public IReadOnlyList<StoredReviewDecision> ReviewDecisions => Decisions ?? [];

    public IReadOnlyList<StoredGroupMerge> GroupMerges => Merges ?? [];

    public long HighestSeq => Math.Max(Math.Max(Math.Max(Revisions.Count > 0 ? Revisions[^1].Seq : 0, Certifications.Count > 0 ? Certifications[^1].Seq : 0),
        ReviewDecisions.Count > 0 ? ReviewDecisions[^1].Seq : 0), GroupMerges.Count > 0 ? GroupMerges[^1].Seq : 0);
}

/// <summary>What headquarters did to a group spelling: merged it into another, or undid its merge.</summary>
public enum GroupMergeAction
{
    Merge,
    Unmerge,
}

/// <summary>A merge (or unmerge, <see cref="IntoName"/> null) of a group spelling to append, by an admin.</summary>
public sealed record NewGroupMerge(GroupMergeAction Action, string FromName, string? IntoName, string Actor, DateTimeOffset MergedAt);

/// <summary>A stored merge or unmerge, committed at <see cref="Seq"/> in the results' commit sequence.</summary>
public sealed record StoredGroupMerge(long Seq, GroupMergeAction Action, string FromName, string? IntoName, string Actor, DateTimeOffset MergedAt);
