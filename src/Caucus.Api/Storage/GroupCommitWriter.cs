using System.Data;
using System.Data.Common;
using System.Threading.Channels;
using Dapper;
using Microsoft.Extensions.Logging;
using Polly;

namespace Caucus.Api.Storage;

/// <summary>
/// The single writer. Callers put their write on a channel; one loop takes whatever is waiting (up to
/// <see cref="CaucusStoreOptions.MaxBatchSize"/>), runs it all in one transaction, commits, and only then
/// completes each caller's task. A durable commit (fsync) is the expensive part of a write, so a reporting
/// wave costs one fsync per batch, not one per report, and nobody is told "stored" before it is.
/// Each item runs under its own savepoint, so one bad item fails alone and the rest of the batch commits; on
/// PostgreSQL a batch's revisions first try one multi-row statement (a few round trips per batch, not per report),
/// and only a batch where that fails runs item by item.
/// A caller waits at most <see cref="CaucusStoreOptions.CommitWait"/>: a hung database (frozen, locked, a full
/// disk retried) answers 503 in that time, not when the database gives up. Nothing is queued while the circuit
/// is open.
/// </summary>
internal sealed class GroupCommitWriter : IAsyncDisposable
{
    private const string ItemSavepoint = "caucus_item";

    private readonly StoreDialect _dialect;
    private readonly CaucusStoreOptions _options;
    private readonly ResiliencePipeline _pipeline;
    private readonly Action<CommitNotice> _committed;
    private readonly ILogger _logger;
    private readonly StoreResilience.Circuit _circuit;
    private readonly Channel<IWriteItem> _queue;
    private DbConnection? _connection;
    private Task? _loop;
    private long _committedTransactions;
    private long _batchFallbacks;
    private long _revisionBatches;

    /// <param name="committed">Handed each commit that appended changes: what it appended and its seq range.</param>
    public GroupCommitWriter(StoreDialect dialect, CaucusStoreOptions options, ResiliencePipeline pipeline, StoreResilience.Circuit circuit,
        Action<CommitNotice> committed, ILogger logger)
    {
        _circuit = circuit;
        _dialect = dialect;
        _options = options;
        _pipeline = pipeline;
        _committed = committed;
        _logger = logger;
        _queue = Channel.CreateBounded<IWriteItem>(new BoundedChannelOptions(options.QueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public long CommittedTransactions => Interlocked.Read(ref _committedTransactions);

    /// <summary>Batches whose one-statement path hit a database error and ran again item by item.</summary>
    public long BatchFallbacks => Interlocked.Read(ref _batchFallbacks);

    /// <summary>Transactions committed by the one-statement path for revisions.</summary>
    public long RevisionBatches => Interlocked.Read(ref _revisionBatches);

    public bool Started => _loop is not null;

    public void Start() => _loop ??= Task.Run(LoopAsync, CancellationToken.None);

    public Task<T> WriteAsync<T>(Func<WriteContext, Task<T>> execute, CancellationToken cancellationToken) =>
        EnqueueAsync(new WriteItem<T>(execute), cancellationToken);

    /// <summary>
    /// A revision append: where the dialect has <see cref="StoreDialect.RevisionBatch"/>, it goes into one statement with
    /// the batch's other revisions; <paramref name="execute"/> is its per-item path (SQLite, a retried batch, a fallback).
    /// </summary>
    public Task<AppendOutcome> WriteRevisionAsync(NewRevision revision, Func<WriteContext, Task<AppendOutcome>> execute,
        CancellationToken cancellationToken) =>
        EnqueueAsync(new WriteItem<AppendOutcome>(execute) { Revision = revision }, cancellationToken);

    private async Task<T> EnqueueAsync<T>(WriteItem<T> item, CancellationToken cancellationToken)
    {
        if (_loop is null) throw new InvalidOperationException("Call InitializeAsync before writing to the store.");
        // A dead database is answered at once: queueing behind it would only make every caller wait out the deadline.
        if (_circuit.IsOpen(out var left))
        {
            const string Message = "The database is unavailable (circuit open); the write was not queued.";
            throw new StoreUnavailableException(Message, left, new Polly.CircuitBreaker.BrokenCircuitException(Message, left));
        }

        using var deadline = new CancellationTokenSource(_options.CommitWait, _options.TimeProvider);
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            await _queue.Writer.WriteAsync(item, wait.Token);
        }
        catch (ChannelClosedException)
        {
            throw new ObjectDisposedException(nameof(GroupCommitWriter), "The store is shutting down.");
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw Late(mayCommit: false);
        }

        try
        {
            // Cancelling the wait (the client went away) does not withdraw the write: once queued it may still commit.
            return await item.Task.WaitAsync(wait.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            if (item.Task.IsCompletedSuccessfully) return item.Task.Result;
            // Still queued: withdrawn, it will never run. Already taken into a transaction: it may yet commit.
            throw Late(mayCommit: !item.TryWithdraw());
        }
    }

    private StoreUnavailableException Late(bool mayCommit)
    {
        var retryAfter = _circuit.IsOpen(out var left) ? left : _options.BreakDuration;
        return new StoreUnavailableException(
            mayCommit
                ? $"The database did not commit the write within {_options.CommitWait.TotalSeconds:0.#} s; it may still commit."
                : $"The database did not take the write within {_options.CommitWait.TotalSeconds:0.#} s; it was withdrawn.",
            retryAfter, null)
        {
            MayHaveCommitted = mayCommit,
        };
    }

    /// <summary>Stops taking writes and finishes everything already queued.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        if (_loop is not null) await _loop;
        await DropConnectionAsync();
    }

    private async Task LoopAsync()
    {
        var batch = new List<IWriteItem>(_options.MaxBatchSize);
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < _options.MaxBatchSize && reader.TryRead(out var item))
            {
                // A write whose caller stopped waiting (the deadline) while it was queued is dropped, never run.
                if (item.TryTake()) batch.Add(item);
            }

            if (batch.Count > 0) await WriteBatchAsync(batch);
        }
    }

    private async Task WriteBatchAsync(List<IWriteItem> batch)
    {
        CommitNotice? appended;
        var attempt = 0;
        try
        {
            appended = await _pipeline.ExecuteAsync(async ct => await CommitAsync(batch, attempt++, ct), CancellationToken.None);
        }
        catch (Exception ex)
        {
            var failure = StoreResilience.Translate(ex, _options, _dialect.IsUnavailable);
            _logger.LogWarning(ex, "A write batch of {Count} failed; every write in it is refused.", batch.Count);
            foreach (var item in batch) item.Fail(failure);
            return;
        }

        foreach (var item in batch) item.Complete();
        _options.BatchCommitted?.Invoke(batch.Count);
        if (appended is not null) _committed(appended);
    }

    /// <summary>
    /// One attempt at the batch: one transaction, one commit. On a first attempt, where the dialect can, the batch's
    /// revisions go in together (<see cref="IRevisionBatchStatements"/>); if that hits a database error, the
    /// transaction is rolled back and the batch runs again item by item, so the bad item fails alone.
    /// </summary>
    private async Task<CommitNotice?> CommitAsync(List<IWriteItem> batch, int attempt, CancellationToken cancellationToken)
    {
        // A kept connection can have been closed under us (PostgreSQL's keep-alive found its server gone).
        if (_connection is { State: not ConnectionState.Open }) await DropConnectionAsync();
        var connection = _connection ??= await _dialect.OpenAsync(cancellationToken);
        try
        {
            // A retried batch may have committed already: only the per-item path looks its writes up by submission id.
            if (attempt == 0 && _dialect.RevisionBatch is { } statements && batch.Any(i => i is WriteItem<AppendOutcome> { Revision: not null }))
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                try
                {
                    return await CommitRevisionBatchAsync(statements, batch, connection, transaction, cancellationToken);
                }
                catch (DbException ex) when (!_dialect.IsUnavailable(ex) && connection.State == ConnectionState.Open)
                {
                    _logger.LogDebug(ex, "The batch of {Count} failed as one statement; running it item by item.", batch.Count);
                    await transaction.RollbackAsync(cancellationToken);
                    Interlocked.Increment(ref _batchFallbacks);
                }
            }

            return await CommitItemByItemAsync(batch, attempt, connection, cancellationToken);
        }
        catch
        {
            // Whatever state the connection is in, start the next attempt on a fresh one.
            await DropConnectionAsync();
            throw;
        }
    }

    private async Task<CommitNotice?> CommitRevisionBatchAsync(IRevisionBatchStatements statements, List<IWriteItem> batch, DbConnection connection,
        DbTransaction transaction, CancellationToken cancellationToken)
    {
        var revisionItems = new List<WriteItem<AppendOutcome>>(batch.Count);
        var others = new List<IWriteItem>();
        foreach (var item in batch)
        {
            if (item is WriteItem<AppendOutcome> { Revision: not null } revisionItem) revisionItems.Add(revisionItem);
            else others.Add(item);
        }

        var revisions = revisionItems.ConvertAll(i => i.Revision!);
        var start = await statements.BeginAsync(connection, transaction, revisions, cancellationToken);
        var plan = new RevisionBatchPlan(revisions, start);
        var context = new WriteContext(connection, transaction, start.HighestSeq, attempt: 0, cancellationToken);
        var numbers = Array.Empty<int>();
        if (plan.Rows.Count > 0)
        {
            var lastSeq = plan.Rows[^1].Seq;
            // With nothing else in the batch the NOTIFY rides along with the insert.
            var payload = others.Count == 0 ? Range(start.HighestSeq, lastSeq) : null;
            numbers = await statements.InsertAsync(connection, transaction, plan.Rows, payload, cancellationToken);
        }

        var outcomes = plan.Outcomes(numbers);
        for (var i = 0; i < revisionItems.Count; i++) revisionItems[i].SetResult(outcomes[i]);
        // The follower is handed the appended revisions in seq order, as the per-item path records them.
        foreach (var appended in outcomes.OfType<AppendOutcome.Appended>().Select(a => a.Revision).OrderBy(r => r.Seq)) context.Appended(appended);

        // Anything else (a refusal's audit row, a certification) runs after the revisions, each under its own savepoint.
        if (others.Count > 0)
        {
            await RunItemsAsync(others, context, connection, transaction, cancellationToken);
            await NotifyAsync(context, connection, transaction, cancellationToken);
        }

        await _dialect.CommitAsync(transaction, cancellationToken);
        Interlocked.Increment(ref _committedTransactions);
        Interlocked.Increment(ref _revisionBatches);
        return context.Committed();
    }

    /// <summary>The per-item path: one savepoint per item.</summary>
    private async Task<CommitNotice?> CommitItemByItemAsync(List<IWriteItem> batch, int attempt, DbConnection connection, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (_dialect.WriteLockSql is { } lockSql)
        {
            await connection.ExecuteAsync(new CommandDefinition(lockSql, transaction: transaction, cancellationToken: cancellationToken));
        }

        // Read under the write lock: no other writer can commit a change between this and our COMMIT.
        var highest = await connection.ExecuteScalarAsync<long>(new CommandDefinition(StoreSql.HighestSeq, transaction: transaction, cancellationToken: cancellationToken));
        var context = new WriteContext(connection, transaction, highest, attempt, cancellationToken);
        await RunItemsAsync(batch, context, connection, transaction, cancellationToken);
        await NotifyAsync(context, connection, transaction, cancellationToken);
        await _dialect.CommitAsync(transaction, cancellationToken);
        Interlocked.Increment(ref _committedTransactions);
        return context.Committed();
    }

    private async Task RunItemsAsync(List<IWriteItem> items, WriteContext context, DbConnection connection, DbTransaction transaction,
        CancellationToken cancellationToken)
    {
        foreach (var item in items)
        {
            await transaction.SaveAsync(ItemSavepoint, cancellationToken);
            var mark = context.Mark();
            try
            {
                await item.ExecuteAsync(context);
                await transaction.ReleaseAsync(ItemSavepoint, cancellationToken);
            }
            catch (DbException ex) when (!_dialect.IsUnavailable(ex) && connection.State == ConnectionState.Open)
            {
                // This item alone is bad (a constraint, a value the database refuses): undo it, keep the rest.
                await transaction.RollbackAsync(ItemSavepoint, cancellationToken);
                await transaction.ReleaseAsync(ItemSavepoint, cancellationToken);
                context.UndoSince(mark);
                item.SetItemFailure(ex);
            }
        }
    }

    /// <summary>Announces the seqs this transaction appended to every instance, delivered if and once it commits.</summary>
    private async Task NotifyAsync(WriteContext context, DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        if (context.AppendedSeq > 0 && _dialect.CommitNotificationSql is { } notifySql)
        {
            await connection.ExecuteAsync(new CommandDefinition(notifySql, new { Payload = Range(context.StartingSeq, context.AppendedSeq) }, transaction,
                cancellationToken: cancellationToken));
        }
    }

    /// <summary>The NOTIFY payload: the seqs after <paramref name="before"/> through <paramref name="last"/> (see <see cref="CommitRange"/>).</summary>
    private static string Range(long before, long last) => new CommitRange(before + 1, last).ToString();

    private async Task DropConnectionAsync()
    {
        var connection = _connection;
        _connection = null;
        if (connection is null) return;
        try
        {
            await connection.DisposeAsync();
        }
        catch (Exception ex)
        {
            _logger.LogDebug(ex, "Ignoring a failure while closing the write connection.");
        }
    }
}
