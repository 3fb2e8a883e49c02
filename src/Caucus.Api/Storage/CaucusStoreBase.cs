using System.Data;
using System.Data.Common;
using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using Dapper;
using Microsoft.Extensions.Logging;
using Polly;

namespace Caucus.Api.Storage;

/// <summary>
/// The dialect-independent half of a store: the single writer with group commit, the resilience
/// pipeline, reads, and commit notifications. Subclasses say how to connect and what the dialect needs
/// around a write transaction.
/// </summary>
/// <remarks>
/// Group commit: callers put their write on a channel; one writer loop takes whatever is waiting (up to
/// <see cref="CaucusStoreOptions.MaxBatchSize"/>), runs it all in one transaction, commits, and only then
/// completes each caller's task. A durable commit (fsync) is the expensive part of a write, so a
/// reporting wave costs one fsync per batch, not one per report, and nobody is told "stored" before it is.
/// Each item runs under its own savepoint, so one bad item fails alone and the rest of the batch commits.
/// </remarks>
public abstract class CaucusStoreBase : ICaucusStore
{
    private const string ItemSavepoint = "caucus_item";

    private readonly Channel<WriteItem> _queue;
    private readonly CommitNotifier _notifier = new();
    private readonly ResiliencePipeline _pipeline;
    private readonly SemaphoreSlim _initializeGate = new(1, 1);
    private DbConnection? _writeConnection;
    private Task? _writerLoop;
    private long _committedTransactions;
    private int _disposed;

    protected CaucusStoreBase(CaucusStoreOptions options, ILogger logger)
    {
        Options = options;
        Logger = logger;
        _queue = Channel.CreateBounded<WriteItem>(new BoundedChannelOptions(options.QueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _pipeline = StoreResilience.Build(options, IsTransient, IsUnavailable, OnConnectionFault);
    }

    protected CaucusStoreOptions Options { get; }

    protected ILogger Logger { get; }

    /// <summary>Directory name under <c>schema/</c>: <c>sqlite</c> or <c>postgres</c>.</summary>
    protected abstract string Dialect { get; }

    public long CommittedTransactions => Interlocked.Read(ref _committedTransactions);

    // ---- what a dialect provides -------------------------------------------------------------

    /// <summary>Opens a new connection, configured for this dialect.</summary>
    protected abstract Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken);

    /// <summary>Applies the schema, holding whatever guard keeps concurrent start-ups apart.</summary>
    protected abstract Task ApplySchemaAsync(CancellationToken cancellationToken);

    /// <summary>Converts a timestamp to the parameter value the dialect stores.</summary>
    protected internal abstract object TimestampParameter(DateTimeOffset value);

    /// <summary>Faults worth retrying as they are (busy, lost connection, serialization failure).</summary>
    protected abstract bool IsTransient(Exception exception);

    /// <summary>Faults meaning the database cannot be used now (a superset of transient ones).</summary>
    protected abstract bool IsUnavailable(Exception exception);

    /// <summary>Called when a retry follows a fault, e.g. to drop pooled connections to a restarted server.</summary>
    protected virtual void OnConnectionFault(Exception exception)
    {
    }

    /// <summary>Runs first in every write transaction (PostgreSQL takes its append lock here).</summary>
    protected virtual Task BeginWriteAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) =>
        Task.CompletedTask;

    /// <summary>Runs last before commit when revisions were appended (PostgreSQL sends NOTIFY here).</summary>
    protected virtual Task BeforeCommitAsync(DbConnection connection, DbTransaction transaction, long highestSeq, CancellationToken cancellationToken) =>
        Task.CompletedTask;

    /// <summary>Starts dialect background work once the schema exists (PostgreSQL's LISTEN loop).</summary>
    protected virtual Task StartBackgroundAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Stops dialect background work; the writer has drained by then.</summary>
    protected virtual ValueTask StopBackgroundAsync() => ValueTask.CompletedTask;

    /// <summary>Lets a dialect's listener report commits made by other instances.</summary>
    protected void PublishCommitted(long seq) => _notifier.Publish(seq);

    // ---- ICaucusStore ---------------------------------------------------------------------------

    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        await _initializeGate.WaitAsync(cancellationToken);
        try
        {
            await RunAsync(ApplySchemaAsync, cancellationToken);
            if (_writerLoop is null)
            {
                await StartBackgroundAsync(cancellationToken);
                _writerLoop = Task.Run(WriterLoopAsync, CancellationToken.None);
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
        return EnqueueAsync(new AppendItem(revision), cancellationToken);
    }

    public Task<long> AppendRejectedAsync(RejectedSubmission rejection, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rejection);
        return EnqueueAsync(new RejectItem(rejection), cancellationToken);
    }

    public async Task InsertTokenAsync(StoredToken token, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(token);
        await EnqueueAsync(new TokenItem(token), cancellationToken);
    }

    public Task<IReadOnlyList<StoredRevision>> LoadRevisionsAsync(long afterSeq, CancellationToken cancellationToken = default) =>
        RunAsync<IReadOnlyList<StoredRevision>>(async ct =>
        {
            await using var connection = await OpenConnectionAsync(ct);
            var rows = await connection.QueryAsync<RevisionRow>(new CommandDefinition(
                StoreSql.RevisionsAfter, new { AfterSeq = afterSeq }, cancellationToken: ct));
            return rows.Select(r => r.ToStored()).ToList();
        }, cancellationToken);

    public Task<AuditTrail> LoadAuditAsync(string precinctId, CancellationToken cancellationToken = default) =>
        RunAsync(async ct =>
        {
            await using var connection = await OpenConnectionAsync(ct);
            var revisions = await connection.QueryAsync<RevisionRow>(new CommandDefinition(
                StoreSql.RevisionsOfPrecinct, new { PrecinctId = precinctId }, cancellationToken: ct));
            var rejections = await connection.QueryAsync<RejectionRow>(new CommandDefinition(
                StoreSql.RejectionsOfPrecinct, new { PrecinctId = precinctId }, cancellationToken: ct));
            return new AuditTrail(
                precinctId,
                revisions.Select(r => r.ToStored()).ToList(),
                rejections.Select(r => r.ToStored()).ToList());
        }, cancellationToken);

    public Task AppendCertificationAsync(Certification certification, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(certification);
        return RunAsync(async ct =>
        {
            await using var connection = await OpenConnectionAsync(ct);
            await connection.ExecuteAsync(new CommandDefinition(StoreSql.InsertCertification, new
            {
                certification.ThroughSeq,
                certification.Actor,
                CertifiedAt = TimestampParameter(certification.CertifiedAt),
                certification.Note,
            }, cancellationToken: ct));
            return true;
        }, cancellationToken);
    }

    public Task<Certification?> LoadLatestCertificationAsync(CancellationToken cancellationToken = default) =>
        RunAsync(async ct =>
        {
            await using var connection = await OpenConnectionAsync(ct);
            var row = await connection.QuerySingleOrDefaultAsync<CertificationRow>(new CommandDefinition(
                StoreSql.LatestCertification, cancellationToken: ct));
            return row?.ToCertification();
        }, cancellationToken);

    public Task<StoredToken?> FindTokenByHashAsync(string tokenHash, CancellationToken cancellationToken = default) =>
        RunAsync(async ct =>
        {
            await using var connection = await OpenConnectionAsync(ct);
            var row = await connection.QuerySingleOrDefaultAsync<TokenRow>(new CommandDefinition(
                StoreSql.TokenByHash, new { TokenHash = tokenHash }, cancellationToken: ct));
            return row?.ToStored();
        }, cancellationToken);

    public IAsyncEnumerable<long> WatchCommitsAsync(CancellationToken cancellationToken = default) =>
        _notifier.Subscribe(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // Stop taking writes, then let the writer finish everything already queued.
        _queue.Writer.TryComplete();
        if (_writerLoop is not null)
        {
            await _writerLoop;
        }

        await StopBackgroundAsync();
        _notifier.Complete();
        await DropWriteConnectionAsync();
        _initializeGate.Dispose();
        await DisposeCoreAsync();
        GC.SuppressFinalize(this);
    }

    protected virtual ValueTask DisposeCoreAsync() => ValueTask.CompletedTask;

    // ---- plumbing --------------------------------------------------------------------------------

    private async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> action, CancellationToken cancellationToken)
    {
        try
        {
            return await _pipeline.ExecuteAsync(async ct => await action(ct), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var translated = StoreResilience.Translate(ex, Options, IsUnavailable);
            if (ReferenceEquals(translated, ex))
            {
                throw;
            }

            throw translated;
        }
    }

    private async Task RunAsync(Func<CancellationToken, Task> action, CancellationToken cancellationToken) =>
        await RunAsync<bool>(async ct =>
        {
            await action(ct);
            return true;
        }, cancellationToken);

    private async Task<T> EnqueueAsync<T>(WriteItem<T> item, CancellationToken cancellationToken)
    {
        if (_writerLoop is null)
        {
            throw new InvalidOperationException("Call InitializeAsync before writing to the store.");
        }

        try
        {
            await _queue.Writer.WriteAsync(item, cancellationToken);
        }
        catch (ChannelClosedException)
        {
            throw new ObjectDisposedException(GetType().Name, "The store is shutting down.");
        }

        // Cancelling the wait does not withdraw the write: once queued it may still commit.
        return await item.Task.WaitAsync(cancellationToken);
    }

    private async Task WriterLoopAsync()
    {
        var batch = new List<WriteItem>(Options.MaxBatchSize);
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < Options.MaxBatchSize && reader.TryRead(out var item))
            {
                batch.Add(item);
            }

            await WriteBatchAsync(batch);
        }
    }

    private async Task WriteBatchAsync(List<WriteItem> batch)
    {
        long highestSeq;
        try
        {
            highestSeq = await _pipeline.ExecuteAsync(async ct => await CommitBatchAsync(batch, ct), CancellationToken.None);
        }
        catch (Exception ex)
        {
            var failure = StoreResilience.Translate(ex, Options, IsUnavailable);
            Logger.LogWarning(ex, "A write batch of {Count} failed; every write in it is refused.", batch.Count);
            foreach (var item in batch)
            {
                item.Fail(failure);
            }

            return;
        }

        foreach (var item in batch)
        {
            item.Complete();
        }

        if (highestSeq > 0)
        {
            _notifier.Publish(highestSeq);
        }
    }

    /// <summary>One attempt at the batch: one transaction, one savepoint per item, one commit.</summary>
    private async Task<long> CommitBatchAsync(List<WriteItem> batch, CancellationToken cancellationToken)
    {
        foreach (var item in batch)
        {
            item.Reset();
        }

        var connection = _writeConnection ??= await OpenConnectionAsync(cancellationToken);
        try
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await BeginWriteAsync(connection, transaction, cancellationToken);
            long highestSeq = 0;
            foreach (var item in batch)
            {
                await transaction.SaveAsync(ItemSavepoint, cancellationToken);
                try
                {
                    var seq = await item.ExecuteAsync(this, connection, transaction, cancellationToken);
                    highestSeq = Math.Max(highestSeq, seq);
                    await transaction.ReleaseAsync(ItemSavepoint, cancellationToken);
                }
                catch (DbException ex) when (!IsUnavailable(ex) && connection.State == ConnectionState.Open)
                {
                    // This item alone is bad (a constraint, a value the database refuses): undo it, keep the rest.
                    await transaction.RollbackAsync(ItemSavepoint, cancellationToken);
                    await transaction.ReleaseAsync(ItemSavepoint, cancellationToken);
                    item.SetItemFailure(ex);
                }
            }

            if (highestSeq > 0)
            {
                await BeforeCommitAsync(connection, transaction, highestSeq, cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            Interlocked.Increment(ref _committedTransactions);
            return highestSeq;
        }
        catch
        {
            // Whatever state the connection is in, start the next attempt on a fresh one.
            await DropWriteConnectionAsync();
            throw;
        }
    }

    private async Task DropWriteConnectionAsync()
    {
        var connection = _writeConnection;
        _writeConnection = null;
        if (connection is not null)
        {
            try
            {
                await connection.DisposeAsync();
            }
            catch (Exception ex)
            {
                Logger.LogDebug(ex, "Ignoring a failure while closing the write connection.");
            }
        }
    }

    // ---- write items ---------------------------------------------------------------------------

    private abstract class WriteItem
    {
        /// <summary>Performs the write; returns the revision seq it appended, or 0.</summary>
        public abstract Task<long> ExecuteAsync(CaucusStoreBase store, DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken);

        public abstract void Reset();

        public abstract void SetItemFailure(Exception exception);

        /// <summary>After the commit: hands the caller its result or its own item failure.</summary>
        public abstract void Complete();

        public abstract void Fail(Exception exception);
    }

    private abstract class WriteItem<T> : WriteItem
    {
        private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private ExceptionDispatchInfo? _itemFailure;

        public Task<T> Task => _completion.Task;

        protected T? Result { get; set; }

        public override void Reset()
        {
            Result = default;
            _itemFailure = null;
        }

        public override void SetItemFailure(Exception exception) => _itemFailure = ExceptionDispatchInfo.Capture(exception);

        public override void Complete()
        {
            if (_itemFailure is not null)
            {
                _completion.TrySetException(_itemFailure.SourceException);
            }
            else
            {
                _completion.TrySetResult(Result!);
            }
        }

        public override void Fail(Exception exception) => _completion.TrySetException(exception);
    }

    private sealed class AppendItem(NewRevision revision) : WriteItem<AppendOutcome>
    {
        public override async Task<long> ExecuteAsync(CaucusStoreBase store, DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
        {
            // Idempotency is checked before the insert (not by catching a unique violation) so a retry
            // never poisons the batch; an earlier item of this same batch is visible here too.
            if (revision.IdempotencyKey is not null)
            {
                var existing = await connection.QuerySingleOrDefaultAsync<RevisionRow>(new CommandDefinition(
                    StoreSql.RevisionByKey, new { revision.IdempotencyKey }, transaction, cancellationToken: cancellationToken));
                if (existing is not null)
                {
                    var original = existing.ToStored();
                    var same = original.BodyHash == revision.BodyHash && original.PrecinctId == revision.PrecinctId;
                    Result = same ? new AppendOutcome.Replayed(original) : new AppendOutcome.KeyConflict(original);
                    return 0;
                }
            }

            var receivedAt = store.TimestampParameter(revision.ReceivedAt);
            var inserted = await connection.QuerySingleAsync<InsertedRow>(new CommandDefinition(
                StoreSql.InsertRevision,
                new
                {
                    revision.PrecinctId,
                    revision.Source,
                    revision.Actor,
                    ReceivedAt = receivedAt,
                    revision.IdempotencyKey,
                    revision.BodyHash,
                    revision.RawBody,
                },
                transaction,
                cancellationToken: cancellationToken));
            Result = new AppendOutcome.Appended(new StoredRevision(
                inserted.Seq,
                revision.PrecinctId,
                checked((int)inserted.Revision),
                revision.Source,
                revision.Actor,
                Timestamps.Read(receivedAt),
                revision.IdempotencyKey,
                revision.BodyHash,
                revision.RawBody));
            return inserted.Seq;
        }
    }

    private sealed class RejectItem(RejectedSubmission rejection) : WriteItem<long>
    {
        public override async Task<long> ExecuteAsync(CaucusStoreBase store, DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
        {
            Result = await connection.QuerySingleAsync<long>(new CommandDefinition(
                StoreSql.InsertRejected,
                new
                {
                    rejection.PrecinctId,
                    rejection.Actor,
                    ReceivedAt = store.TimestampParameter(rejection.ReceivedAt),
                    rejection.RawBody,
                    rejection.Reason,
                    rejection.IdempotencyKey,
                },
                transaction,
                cancellationToken: cancellationToken));
            return 0;
        }
    }

    private sealed class TokenItem(StoredToken token) : WriteItem<bool>
    {
        public override async Task<long> ExecuteAsync(CaucusStoreBase store, DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                StoreSql.InsertToken,
                new
                {
                    token.Id,
                    token.TokenHash,
                    token.Role,
                    token.PrecinctId,
                    CreatedAt = store.TimestampParameter(token.CreatedAt),
                },
                transaction,
                cancellationToken: cancellationToken));
            Result = true;
            return 0;
        }
    }
}
