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
/// Each item runs under its own savepoint, so one bad item fails alone and the rest of the batch commits.
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

    public bool Started => _loop is not null;

    public void Start() => _loop ??= Task.Run(LoopAsync, CancellationToken.None);

    public async Task<T> WriteAsync<T>(Func<WriteContext, Task<T>> execute, CancellationToken cancellationToken)
    {
        if (_loop is null) throw new InvalidOperationException("Call InitializeAsync before writing to the store.");
        // A dead database is answered at once: queueing behind it would only make every caller wait out the deadline.
        if (_circuit.IsOpen(out var left))
        {
            const string Message = "The database is unavailable (circuit open); the write was not queued.";
            throw new StoreUnavailableException(Message, left, new Polly.CircuitBreaker.BrokenCircuitException(Message, left));
        }

        var item = new WriteItem<T>(execute);
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

    /// <summary>One attempt at the batch: one transaction, one savepoint per item, one commit.</summary>
    private async Task<CommitNotice?> CommitAsync(List<IWriteItem> batch, int attempt, CancellationToken cancellationToken)
    {
        // A kept connection can have been closed under us (PostgreSQL's keep-alive found its server gone).
        if (_connection is { State: not ConnectionState.Open }) await DropConnectionAsync();
        var connection = _connection ??= await _dialect.OpenAsync(cancellationToken);
        try
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            if (_dialect.WriteLockSql is { } lockSql)
            {
                await connection.ExecuteAsync(new CommandDefinition(lockSql, transaction: transaction, cancellationToken: cancellationToken));
            }

            // Read under the write lock: no other writer can commit a change between this and our COMMIT.
            var highest = await connection.ExecuteScalarAsync<long>(new CommandDefinition(StoreSql.HighestSeq, transaction: transaction, cancellationToken: cancellationToken));
            var context = new WriteContext(connection, transaction, highest, attempt, cancellationToken);
            foreach (var item in batch)
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

            if (context.AppendedSeq > 0 && _dialect.CommitNotificationSql is { } notifySql)
            {
                await connection.ExecuteAsync(new CommandDefinition(notifySql,
                    new { Payload = context.AppendedSeq.ToString(System.Globalization.CultureInfo.InvariantCulture) }, transaction,
                    cancellationToken: cancellationToken));
            }

            await _dialect.CommitAsync(transaction, cancellationToken);
            Interlocked.Increment(ref _committedTransactions);
            return context.Committed();
        }
        catch
        {
            // Whatever state the connection is in, start the next attempt on a fresh one.
            await DropConnectionAsync();
            throw;
        }
    }

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
