using Caucus.Api.Storage;

namespace Caucus.Api.Results;

/// <summary>
/// The one place stored changes become counted ones. Start-up: applies the schema and rebuilds the results
/// from every stored change before the server takes requests. Then follows commits made by any instance on
/// the same database (this one's writer, PostgreSQL LISTEN/NOTIFY), loading what was committed after the last
/// seq applied, in seq order, with a slow poll as a safety net for a notification lost while reconnecting.
/// Applying in commit order is what lets the version be the highest seq applied: no instance ever shows a
/// change without every change committed before it.
/// </summary>
public sealed class RevisionFollower(ICaucusStore store, ResultsState state, ILogger<RevisionFollower> logger) : BackgroundService
{
    private static readonly TimeSpan SafetyPoll = TimeSpan.FromSeconds(2);

    private readonly SemaphoreSlim _signal = new(0);
    private readonly CancellationTokenSource _watch = new();
    private IAsyncEnumerator<long>? _commits;

    // The highest seq loaded and applied. Stores commit in seq order (PostgreSQL writers take one
    // transaction lock), so loading after it misses nothing.
    private long _cursor;

    public bool Ready { get; private set; }

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        await store.InitializeAsync(cancellationToken);
        // Subscribe before loading, so nothing committed in between is missed.
        _commits = store.WatchCommitsAsync(_watch.Token).GetAsyncEnumerator(_watch.Token);
        var changes = await store.LoadChangesAsync(0, cancellationToken);
        state.ApplyStored(changes);
        _cursor = changes.HighestSeq;
        Ready = true;
        logger.LogInformation("Rebuilt results from {Count} stored revisions in {Elapsed} ms (version {Version})",
            changes.Revisions.Count, started.ElapsedMilliseconds, state.Version);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var listen = Task.Run(async () =>
        {
            try
            {
                while (await _commits!.MoveNextAsync()) _signal.Release();
            }
            catch (OperationCanceledException)
            {
            }
        }, stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await _signal.WaitAsync(SafetyPoll, stoppingToken);
                while (_signal.CurrentCount > 0) await _signal.WaitAsync(stoppingToken);
                var changes = await store.LoadChangesAsync(_cursor, stoppingToken);
                state.ApplyStored(changes);
                _cursor = Math.Max(_cursor, changes.HighestSeq);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is StoreUnavailableException or InvalidOperationException)
            {
                // The database is down (reads go on from memory) or a row is unreadable: try again on the next poll.
                logger.LogWarning(e, "Could not catch up with stored changes");
            }
        }
        // End the pending MoveNextAsync first: an async iterator cannot be disposed while a call is in flight.
        await _watch.CancelAsync();
        await listen.WaitAsync(TimeSpan.FromSeconds(2), CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _commits!.DisposeAsync();
    }

    public override void Dispose()
    {
        _signal.Dispose();
        _watch.Dispose();
        base.Dispose();
    }
}
