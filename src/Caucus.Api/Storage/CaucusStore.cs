using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Caucus.Api.Storage;

/// <summary>
/// The store: a <see cref="StoreDialect"/>, the <see cref="GroupCommitWriter"/> every write goes through,
/// the <see cref="StoreReader"/>, and the commit notifications followers wait on. The writes themselves are
/// the small functions below, each run inside the writer's batch transaction.
/// </summary>
public partial class CaucusStore : ICaucusStore
{
    private readonly StoreDialect _dialect;
    private readonly CaucusStoreOptions _options;
    private readonly CommitNotifier _notifier = new();
    private readonly CommitFeed _feed = new();
    private readonly CommitNotifier _revocations = new();
    private readonly GroupCommitWriter _writer;
    private readonly StoreReader _reader;
    private readonly StoreResilience.Runner _run;
    private readonly StoreResilience.Circuit _circuit;
    private readonly SemaphoreSlim _initializeGate = new(1, 1);
    private int _disposed;

    public CaucusStore(StoreDialect dialect, CaucusStoreOptions? options = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(dialect);
        TimestampHandler.Register();
        _dialect = dialect;
        _options = options ?? new CaucusStoreOptions();
        var log = logger ?? NullLogger.Instance;
        _circuit = new StoreResilience.Circuit(_options.TimeProvider);
        var pipeline = StoreResilience.Build(_options, dialect.IsTransient, dialect.IsUnavailable, dialect.OnConnectionFault, _circuit);
        _run = new StoreResilience.Runner(pipeline, _options, dialect.IsUnavailable);
        _writer = new GroupCommitWriter(dialect, _options, pipeline, _circuit, Committed, log);
        _reader = new StoreReader(dialect, _run);
    }

    public long CommittedTransactions => _writer.CommittedTransactions;

    /// <summary>Batches whose revisions could not go in as one statement and ran item by item (PostgreSQL).</summary>
    internal long BatchFallbacks => _writer.BatchFallbacks;

    /// <summary>Transactions whose revisions went in as one statement (PostgreSQL).</summary>
    internal long RevisionBatches => _writer.RevisionBatches;

    public long HighestCommittedSeq => _notifier.Highest;

    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        await _initializeGate.WaitAsync(cancellationToken);
        try
        {
            await _run.RunAsync(async ct =>
            {
                await _dialect.ApplySchemaAsync(_options.TimeProvider.GetUtcNow(), ct);
                return true;
            }, cancellationToken);
            if (!_writer.Started)
            {
                await _dialect.StartListeningAsync(CommittedElsewhere, _revocations.Publish, cancellationToken);
                _writer.Start();
            }
        }
        finally
        {
            _initializeGate.Release();
        }
    }

    public Task<AppendOutcome> AppendRevisionAsync(NewRevision revision, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(revision);
        // On PostgreSQL the writer appends a batch's revisions together (RevisionBatchPlan keeps these same rules);
        // this is the per-item path: SQLite, a retried batch, or a batch whose one statement failed.
        return _writer.WriteRevisionAsync(revision, async w =>
        {
            // A retried batch may already have committed this revision (the COMMIT's answer was lost):
            // the server-assigned submission id finds it, with or without an Idempotency-Key.
            if (w.Attempt > 0 && revision.SubmissionId is not null)
            {
                var stored = await w.Connection.QuerySingleOrDefaultAsync<RevisionRow>(new CommandDefinition(
                    StoreSql.RevisionBySubmission, new { revision.SubmissionId }, w.Transaction, cancellationToken: w.CancellationToken));
                if (stored is not null) return new AppendOutcome.Appended(stored.ToStored());
            }

            // Idempotency is checked before the insert (not by catching a unique violation) so a retry
            // never poisons the batch; an earlier item of this same batch is visible here too. A key belongs to
            // one credential and one precinct: the same key elsewhere is another report.
            if (revision.IdempotencyKey is not null)
            {
                var existing = await w.Connection.QuerySingleOrDefaultAsync<RevisionRow>(new CommandDefinition(
                    StoreSql.RevisionByKey, new { revision.PrecinctId, revision.Actor, revision.IdempotencyKey }, w.Transaction,
                    cancellationToken: w.CancellationToken));
                if (existing is not null)
                {
                    var original = existing.ToStored();
                    return original.BodyHash == revision.BodyHash ? new AppendOutcome.Replayed(original) : new AppendOutcome.KeyConflict(original);
                }
            }

            if (revision.RefusedWhenCertifiedInTestMode is { } test && await w.Connection.ExecuteScalarAsync<long>(new CommandDefinition(
                    StoreSql.CertifiedNow, new { Test = test }, w.Transaction, cancellationToken: w.CancellationToken)) > 0)
            {
                return new AppendOutcome.RefusedCertified();
            }

            var seq = w.NextSeq;
            var number = await w.Connection.QuerySingleAsync<long>(new CommandDefinition(_dialect.InsertRevisionSql, new
            {
                Seq = seq,
                revision.PrecinctId,
                revision.Source,
                revision.Actor,
                revision.ReceivedAt,
                revision.IdempotencyKey,
                revision.BodyHash,
                revision.RawBody,
                revision.SubmissionId,
                revision.RawBytes,
            }, w.Transaction, cancellationToken: w.CancellationToken));
            var appended = new StoredRevision(seq, revision.PrecinctId, checked((int)number), revision.Source,
                revision.Actor, StoreDialect.TruncateToMicroseconds(revision.ReceivedAt), revision.IdempotencyKey, revision.BodyHash,
                revision.RawBody, revision.SubmissionId);
            w.Appended(appended);
            return new AppendOutcome.Appended(appended);
        }, cancellationToken);
    }

    public Task<long> AppendRejectedAsync(RejectedSubmission rejection, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rejection);
        // Bounded whatever arrived: the prefix, the size and the hash of the bytes (bytea/BLOB hold any byte, NUL included).
        var body = rejection.Body.Span;
        var parameters = new
        {
            rejection.PrecinctId,
            rejection.Actor,
            rejection.ReceivedAt,
            rejection.Reason,
            rejection.IdempotencyKey,
            BodyPrefix = RefusedBody.Prefix(body),
            BodySize = (long)body.Length,
            BodySha256 = Hashing.Sha256Hex(body),
        };
        return _writer.WriteAsync(w => w.Connection.QuerySingleAsync<long>(new CommandDefinition(StoreSql.InsertRejected, parameters,
            w.Transaction, cancellationToken: w.CancellationToken)), cancellationToken);
    }

    public Task<CertificationOutcome> AppendCertificationAsync(NewCertification certification, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(certification);
        return _writer.WriteAsync<CertificationOutcome>(async w =>
        {
            // Checked under the write lock: the results the admin saw are exactly what is certified.
            var since = await w.Connection.ExecuteScalarAsync<long>(new CommandDefinition(
                StoreSql.ChangesAfterCount, new { certification.ThroughSeq }, w.Transaction, cancellationToken: w.CancellationToken));
            if (since > 0) return new CertificationOutcome.Stale(since);
            var seq = w.NextSeq;
            await w.Connection.ExecuteAsync(new CommandDefinition(StoreSql.InsertCertification, new
            {
                Seq = seq,
                certification.ThroughSeq,
                certification.Actor,
                certification.CertifiedAt,
                certification.Note,
                certification.Test,
            }, w.Transaction, cancellationToken: w.CancellationToken));
            var certified = new Certification(seq, certification.ThroughSeq, certification.Actor,
                StoreDialect.TruncateToMicroseconds(certification.CertifiedAt), certification.Note, certification.Test);
            w.Appended(certified);
            return new CertificationOutcome.Certified(certified);
        }, cancellationToken);
    }

    public Task<DecisionOutcome> AppendReviewDecisionAsync(NewReviewDecision decision, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(decision);
        return _writer.WriteAsync<DecisionOutcome>(async w =>
        {
            // Under the write lock, so a certification committed a moment ago (on any instance) refuses it too.
            if (await w.Connection.ExecuteScalarAsync<long>(new CommandDefinition(StoreSql.CertifiedNow, new { decision.Test }, w.Transaction,
                    cancellationToken: w.CancellationToken)) > 0)
            {
                return new DecisionOutcome.RefusedCertified();
            }
            var seq = w.NextSeq;
            await w.Connection.ExecuteAsync(new CommandDefinition(StoreSql.InsertReviewDecision, new
            {
                Seq = seq,
                decision.ItemKey,
                decision.PrecinctId,
                decision.RevisionSeq,
                decision.Action,
                decision.Reason,
                decision.Actor,
                decision.DecidedAt,
            }, w.Transaction, cancellationToken: w.CancellationToken));
            w.Appended(new StoredReviewDecision(seq, decision.ItemKey, decision.PrecinctId, decision.RevisionSeq, decision.Action, decision.Reason,
                decision.Actor, StoreDialect.TruncateToMicroseconds(decision.DecidedAt)));
            return new DecisionOutcome.Decided(seq);
        }, cancellationToken);
    }

    public Task<long> AppendGroupMergeAsync(NewGroupMerge merge, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(merge);
        return _writer.WriteAsync(async w =>
        {
            var seq = w.NextSeq;
            await w.Connection.ExecuteAsync(new CommandDefinition(StoreSql.InsertGroupMerge, new
            {
                Seq = seq,
                Action = GroupMergeRow.Stored(merge.Action),
                merge.FromName,
                merge.IntoName,
                merge.Actor,
                merge.MergedAt,
            }, w.Transaction, cancellationToken: w.CancellationToken));
            w.Appended(new StoredGroupMerge(seq, merge.Action, merge.FromName, merge.IntoName, merge.Actor, StoreDialect.TruncateToMicroseconds(merge.MergedAt)));
            return seq;
        }, cancellationToken);
    }

    public async Task InsertTokenAsync(StoredToken token, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(token);
        await _writer.WriteAsync(async w =>
        {
            // A retried batch whose COMMIT went through already holds this token.
            if (w.Attempt > 0 && await w.Connection.ExecuteScalarAsync<long>(new CommandDefinition(
                    StoreSql.TokenById, new { token.Id }, w.Transaction, cancellationToken: w.CancellationToken)) > 0)
            {
                return true;
            }

            await w.Connection.ExecuteAsync(new CommandDefinition(StoreSql.InsertToken, new
            {
                token.Id,
                token.TokenHash,
                token.Role,
                token.PrecinctId,
                token.CreatedAt,
                token.Source,
            }, w.Transaction, cancellationToken: w.CancellationToken));
            return true;
        }, cancellationToken);
    }

    public async Task<RevocationOutcome> RevokeTokenAsync(string tokenId, string revokedBy, DateTimeOffset revokedAt, CancellationToken cancellationToken = default)
    {
        var outcome = await _writer.WriteAsync<RevocationOutcome>(async w =>
        {
            var listing = new { Id = tokenId };
            var row = await w.Connection.QuerySingleOrDefaultAsync<TokenListingRow>(new CommandDefinition(
                RevocationSql.TokenListing, listing, w.Transaction, cancellationToken: w.CancellationToken));
            if (row is null) return new RevocationOutcome.UnknownToken();
            // Revoked already (by an earlier call, or by this one in a batch retried after its COMMIT's answer was lost).
            if (row.ToRevocation() is { } earlier) return new RevocationOutcome.Revoked(row.ToListing(), earlier);

            await w.Connection.ExecuteAsync(new CommandDefinition(RevocationSql.InsertRevocation,
                new { TokenId = tokenId, RevokedBy = revokedBy, RevokedAt = revokedAt }, w.Transaction, cancellationToken: w.CancellationToken));
            row = await w.Connection.QuerySingleAsync<TokenListingRow>(new CommandDefinition(
                RevocationSql.TokenListing, listing, w.Transaction, cancellationToken: w.CancellationToken));
            var revocation = row.ToRevocation()!;
            if (_dialect.RevocationNotificationSql is { } notify)
            {
                await w.Connection.ExecuteAsync(new CommandDefinition(notify,
                    new { Payload = revocation.Seq.ToString(System.Globalization.CultureInfo.InvariantCulture) }, w.Transaction,
                    cancellationToken: w.CancellationToken));
            }
            return new RevocationOutcome.Revoked(row.ToListing(), revocation);
        }, cancellationToken);
        if (outcome is RevocationOutcome.Revoked revoked) _revocations.Publish(revoked.Revocation.Seq);
        return outcome;
    }

    public Task<IReadOnlyList<TokenListing>> ListTokensAsync(CancellationToken cancellationToken = default) => _reader.TokenListingsAsync(cancellationToken);

    public Task<IReadOnlyList<TokenRevocation>> LoadRevocationsAsync(long afterSeq, CancellationToken cancellationToken = default) =>
        _reader.RevocationsAsync(RevocationSql.RevocationsAfter, new { AfterSeq = afterSeq }, cancellationToken);

    public Task<IReadOnlyList<TokenRevocation>> LoadRevocationsOfPrecinctAsync(string precinctId, CancellationToken cancellationToken = default) =>
        _reader.RevocationsAsync(RevocationSql.RevocationsOfPrecinct, new { PrecinctId = precinctId }, cancellationToken);

    public IAsyncEnumerable<long> WatchRevocationsAsync(CancellationToken cancellationToken = default) => _revocations.Subscribe(cancellationToken);

    public Task<IReadOnlyList<StoredRevision>> LoadRevisionsAsync(long afterSeq, CancellationToken cancellationToken = default) =>
        _reader.RevisionsAfterAsync(afterSeq, cancellationToken);

    public Task<StoredChanges> LoadChangesAsync(long afterSeq, CancellationToken cancellationToken = default) =>
        _reader.ChangesAfterAsync(afterSeq, cancellationToken);

    public Task<IReadOnlyList<StoredGroupMerge>> LoadGroupMergesAsync(CancellationToken cancellationToken = default) =>
        _reader.GroupMergesAsync(cancellationToken);

    public Task<AuditTrail> LoadAuditAsync(string precinctId, AuditQuery? query = null, CancellationToken cancellationToken = default) =>
        _reader.AuditAsync(precinctId, query ?? new AuditQuery(), cancellationToken);

    public async Task<bool> IsReachableAsync(CancellationToken cancellationToken = default)
    {
        if (_circuit.IsOpen(out _)) return false;
        try
        {
            return await _reader.PingAsync(cancellationToken);
        }
        catch (StoreUnavailableException)
        {
            return false;
        }
    }

    public Task<StoredToken?> FindTokenByHashAsync(string tokenHash, CancellationToken cancellationToken = default) =>
        _reader.TokenByHashAsync(tokenHash, cancellationToken);

    public IAsyncEnumerable<long> WatchCommitsAsync(CancellationToken cancellationToken = default) => _notifier.Subscribe(cancellationToken);

    public IAsyncEnumerable<CommitNotice> WatchChangesAsync(CancellationToken cancellationToken = default) => _feed.Subscribe(cancellationToken);

    // The batch goes to the followers before the seq does, so no follower hears of a commit of this instance's
    // before it has its changes in hand.
    private void Committed(CommitNotice batch)
    {
        _feed.Publish(batch);
        _notifier.Publish(batch.LastSeq);
    }

    private void CommittedElsewhere(long seq)
    {
        _feed.Publish(CommitNotice.Upto(seq));
        _notifier.Publish(seq);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        // Stop taking writes, let the writer finish everything already queued, then stop listening.
        await _writer.DisposeAsync();
        await _dialect.DisposeAsync();
        _notifier.Complete();
        _feed.Complete();
        _revocations.Complete();
        _initializeGate.Dispose();
        GC.SuppressFinalize(this);
    }
}

/// <summary>The embedded default store: SQLite (see <see cref="SqliteDialect"/>).</summary>
public sealed class SqliteCaucusStore(string connectionString, CaucusStoreOptions? options = null, ILogger<SqliteCaucusStore>? logger = null)
    : CaucusStore(new SqliteDialect(connectionString), options, logger);

/// <summary>The production store: PostgreSQL shared by several instances (see <see cref="PostgresDialect"/>).</summary>
public sealed class PostgresCaucusStore(string connectionString, CaucusStoreOptions? options = null, ILogger<PostgresCaucusStore>? logger = null)
    : CaucusStore(new PostgresDialect(connectionString, options ?? new CaucusStoreOptions(), (ILogger?)logger ?? NullLogger.Instance), options, logger)
{
    public const string NotificationChannel = PostgresDialect.NotificationChannel;
}
