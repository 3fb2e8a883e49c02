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
/// </summary>
internal sealed class GroupCommitWriter : IAsyncDisposable
{
    private const string ItemSavepoint = "caucus_item";

    private readonly StoreDialect _dialect;
    private readonly CaucusStoreOptions _options;
    private readonly ResiliencePipeline _pipeline;
    private readonly Action<long> _committed;
    private readonly ILogger _logger;
    private readonly Channel<IWriteItem> _queue;
    private DbConnection? _connection;
    private Task? _loop;
    private long _committedTransactions;

    /// <param name="committed">Told the highest seq of each commit that appended changes.</param>
    public GroupCommitWriter(StoreDialect dialect, CaucusStoreOptions options, ResiliencePipeline pipeline, Action<long> committed, ILogger logger)
    {
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
        var item = new WriteItem<T>(execute);
        try
        {
            await _queue.Writer.WriteAsync(item, cancellationToken);
        }
        catch (ChannelClosedException)
        {
            throw new ObjectDisposedException(nameof(GroupCommitWriter), "The store is shutting down.");
        }

        // Cancelling the wait does not withdraw the write: once queued it may still commit.
        return await item.Task.WaitAsync(cancellationToken);
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
            while (batch.Count < _options.MaxBatchSize && reader.TryRead(out var item)) batch.Add(item);
            await WriteBatchAsync(batch);
        }
    }

    private async Task WriteBatchAsync(List<IWriteItem> batch)
    {
        long appendedSeq;
        var attempt = 0;
        try
        {
            appendedSeq = await _pipeline.ExecuteAsync(async ct => await CommitAsync(batch, attempt++, ct), CancellationToken.None);
        }
        catch (Exception ex)
        {
            var failure = StoreResilience.Translate(ex, _options, _dialect.IsUnavailable);
            _logger.LogWarning(ex, "A write batch of {Count} failed; every write in it is refused.", batch.Count);
            foreach (var item in batch) item.Fail(failure);
            return;
        }

        foreach (var item in batch) item.Complete();
        if (appendedSeq > 0) _committed(appendedSeq);
    }

    /// <summary>One attempt at the batch: one transaction, one savepoint per item, one commit.</summary>
    private async Task<long> CommitAsync(List<IWriteItem> batch, int attempt, CancellationToken cancellationToken)
    {
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
            return context.AppendedSeq;
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
