namespace Caucus.Api.Storage;

/// <summary>
/// Durable, append-only storage of precinct revisions, certifications, rejected submissions and tokens.
/// Writes go through one writer that commits many of them per transaction (group commit); each caller's
/// task completes only after the commit that holds its write. Revisions and certifications share one
/// commit sequence (<c>seq</c>), which is the results version.
/// Throws <see cref="StoreUnavailableException"/> when the database cannot be reached or the circuit is open.
/// </summary>
public interface ICaucusStore : IAsyncDisposable
{
    /// <summary>Applies any schema files not yet applied and starts the writer. Call once at start-up.</summary>
    Task InitializeAsync(CancellationToken cancellationToken = default);

    Task<AppendOutcome> AppendRevisionAsync(NewRevision revision, CancellationToken cancellationToken = default);

    /// <summary>Stores a refused submission; returns its seq in <c>rejected_submissions</c>.</summary>
    Task<long> AppendRejectedAsync(RejectedSubmission rejection, CancellationToken cancellationToken = default);

    /// <summary>Certifies the results through <see cref="NewCertification.ThroughSeq"/>, unless any change was committed since.</summary>
    Task<CertificationOutcome> AppendCertificationAsync(NewCertification certification, CancellationToken cancellationToken = default);

    /// <summary>Records an admin's review decision (in the results' commit sequence), unless the results are certified now.</summary>
    Task<DecisionOutcome> AppendReviewDecisionAsync(NewReviewDecision decision, CancellationToken cancellationToken = default);

    /// <summary>Records headquarters' merge or unmerge of a group spelling, in the results' commit sequence; returns its seq.</summary>
    Task<long> AppendGroupMergeAsync(NewGroupMerge merge, CancellationToken cancellationToken = default);

    /// <summary>Every merge and unmerge of group spellings, in seq order (the audit trail of the war room's group names).</summary>
    Task<IReadOnlyList<StoredGroupMerge>> LoadGroupMergesAsync(CancellationToken cancellationToken = default);

    Task InsertTokenAsync(StoredToken token, CancellationToken cancellationToken = default);

    /// <summary>
    /// Revokes a stored token, once: revoking it again answers the first revocation. Committed through the writer
    /// (so in seq order with other revocations) and announced to every instance (PostgreSQL NOTIFY).
    /// </summary>
    Task<RevocationOutcome> RevokeTokenAsync(string tokenId, string revokedBy, DateTimeOffset revokedAt, CancellationToken cancellationToken = default);

    /// <summary>Every stored token, with its revocation if any, never its hash.</summary>
    Task<IReadOnlyList<TokenListing>> ListTokensAsync(CancellationToken cancellationToken = default);

    /// <summary>Revocations with seq greater than <paramref name="afterSeq"/> (0 = all), in seq order.</summary>
    Task<IReadOnlyList<TokenRevocation>> LoadRevocationsAsync(long afterSeq, CancellationToken cancellationToken = default);

    /// <summary>Revocations of the tokens bound to one precinct (its audit trail).</summary>
    Task<IReadOnlyList<TokenRevocation>> LoadRevocationsOfPrecinctAsync(string precinctId, CancellationToken cancellationToken = default);

    /// <summary>
    /// "Revocations are committed up to seq N", from this instance and (PostgreSQL) every other one; like
    /// <see cref="WatchCommitsAsync"/>, a hint to load revocations after the last applied, not a complete list.
    /// </summary>
    IAsyncEnumerable<long> WatchRevocationsAsync(CancellationToken cancellationToken = default);

    /// <summary>Revisions with seq greater than <paramref name="afterSeq"/> (0 = all), in seq order.</summary>
    Task<IReadOnlyList<StoredRevision>> LoadRevisionsAsync(long afterSeq, CancellationToken cancellationToken = default);

    /// <summary>Revisions and certifications with seq greater than <paramref name="afterSeq"/>: what a follower applies.</summary>
    Task<StoredChanges> LoadChangesAsync(long afterSeq, CancellationToken cancellationToken = default);

    /// <summary>One page of a precinct's audit trail (the first, of <see cref="AuditQuery.DefaultLimit"/> entries of each kind, when null).</summary>
    Task<AuditTrail> LoadAuditAsync(string precinctId, AuditQuery? query = null, CancellationToken cancellationToken = default);

    /// <summary>Whether the database answers a round trip now and the circuit is closed (readiness, not liveness).</summary>
    Task<bool> IsReachableAsync(CancellationToken cancellationToken = default);

    Task<StoredToken?> FindTokenByHashAsync(string tokenHash, CancellationToken cancellationToken = default);

    /// <summary>
    /// "Changes are committed up to seq N", from this instance and (PostgreSQL) from every other instance
    /// on the same database. Values only grow; a slow reader sees the latest value, not every one, so
    /// follow each with <see cref="LoadChangesAsync"/> from the last seq you applied.
    /// The subscription starts when this method is called, not when enumeration starts.
    /// </summary>
    IAsyncEnumerable<long> WatchCommitsAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// What the follower applies: each commit of this instance's writer with the changes it appended, and (PostgreSQL)
    /// "committed up to seq N" from every other instance, in the order they happened. A slow reader loses the oldest
    /// notices, so apply a batch only when it starts right after the last seq applied, and otherwise load with
    /// <see cref="LoadChangesAsync"/>. The subscription starts when this method is called.
    /// </summary>
    IAsyncEnumerable<CommitNotice> WatchChangesAsync(CancellationToken cancellationToken = default);

    /// <summary>Write transactions committed by this instance (for tests and metrics).</summary>
    long CommittedTransactions { get; }

    /// <summary>The highest seq this instance knows to be committed, by any instance (the version lag is this less the version applied).</summary>
    long HighestCommittedSeq { get; }
}
