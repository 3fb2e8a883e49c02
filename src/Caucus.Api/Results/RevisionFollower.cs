using Caucus.Api.Storage;

namespace Caucus.Api.Results;

/// <summary>
/// Start-up: applies the schema and rebuilds the in-memory results from every stored revision before
/// the server takes requests. Then follows commits made by any instance on the same database (PostgreSQL
/// LISTEN/NOTIFY), with a slow poll as a safety net for a notification lost while reconnecting.
/// </summary>
public sealed class RevisionFollower(ICaucusStore store, ResultsState state, ILogger<RevisionFollower> logger) : BackgroundService
{
    private static readonly TimeSpan SafetyPoll = TimeSpan.FromSeconds(2);

    private readonly SemaphoreSlim _signal = new(0);
    private readonly CancellationTokenSource _watch = new();
    private IAsyncEnumerator<long>? _commits;

    // The highest seq read from the store. The stores commit in seq order (PostgreSQL writers take one
    // transaction lock), so reading after it misses nothing; this instance's own revisions, applied as
    // they are acknowledged, are read again here and skipped (applying is idempotent by seq).
    private long _cursor;

    public bool Ready { get; private set; }

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        await store.InitializeAsync(cancellationToken);
        // Subscribe before loading, so nothing committed in between is missed.
        _commits = store.WatchCommitsAsync(_watch.Token).GetAsyncEnumerator(_watch.Token);
        var revisions = await store.LoadRevisionsAsync(0, cancellationToken);
        state.ApplyStored(revisions);
        state.Certify(await store.LoadLatestCertificationAsync(cancellationToken));
        _cursor = revisions.Count > 0 ? revisions[^1].Seq : 0;
        Ready = true;
        logger.LogInformation("Rebuilt results from {Count} stored revisions in {Elapsed} ms", revisions.Count, started.ElapsedMilliseconds);
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
        var lastCertificationCheck = Environment.TickCount64;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await _signal.WaitAsync(SafetyPoll, stoppingToken);
                while (_signal.CurrentCount > 0) await _signal.WaitAsync(stoppingToken);
                var revisions = await store.LoadRevisionsAsync(_cursor, stoppingToken);
                // This instance's own revisions were counted as they were acknowledged: they are skipped unparsed.
                state.ApplyStored(revisions);
                if (revisions.Count > 0) _cursor = revisions[^1].Seq;
                // Another instance may have certified: one small query every couple of seconds, not per commit.
                if (Environment.TickCount64 - lastCertificationCheck >= (long)SafetyPoll.TotalMilliseconds)
                {
                    state.Certify(await store.LoadLatestCertificationAsync(stoppingToken));
                    lastCertificationCheck = Environment.TickCount64;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is StoreUnavailableException or InvalidOperationException)
            {
                // The database is down (reads go on from memory) or a row is unreadable: try again on the next poll.
                logger.LogWarning(e, "Could not catch up with stored revisions");
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
