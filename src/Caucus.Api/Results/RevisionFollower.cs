using Caucus.Api.Storage;

namespace Caucus.Api.Results;

/// <summary>
/// The one place stored changes become counted ones. Start-up: applies the schema and rebuilds the results
/// from every stored change before the server takes requests. Then follows commits made by any instance on
/// the same database. This instance's writer hands over each batch it committed, with what it appended: a batch
/// that starts right after the last seq applied is applied as it is, without reading it back. Anything else (a
/// batch after a gap, another instance's PostgreSQL NOTIFY, the slow safety poll for a notification lost while
/// reconnecting) loads what was committed after the last seq applied, in seq order. Applying in commit order is
/// what lets the version be the highest seq applied: no instance ever shows a change without every change
/// committed before it.
/// </summary>
public sealed class RevisionFollower(ICaucusStore store, ResultsState state, ILogger<RevisionFollower> logger) : BackgroundService
{
    private static readonly TimeSpan SafetyPoll = TimeSpan.FromSeconds(2);

    private readonly SemaphoreSlim _signal = new(0);
    private readonly System.Collections.Concurrent.ConcurrentQueue<CommitNotice> _notices = new();
    private readonly CancellationTokenSource _watch = new();
    private IAsyncEnumerator<CommitNotice>? _commits;

    // The highest seq loaded and applied. Stores commit in seq order (PostgreSQL writers take one
    // transaction lock), so loading after it misses nothing.
    private long _cursor;

    public bool Ready { get; private set; }

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        await store.InitializeAsync(cancellationToken);
        // Subscribe before loading, so nothing committed in between is missed.
        _commits = store.WatchChangesAsync(_watch.Token).GetAsyncEnumerator(_watch.Token);
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
                while (await _commits!.MoveNextAsync())
                {
                    _notices.Enqueue(_commits.Current);
                    _signal.Release();
                }
            }
            catch (OperationCanceledException)
            {
            }
        }, stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var load = !await _signal.WaitAsync(SafetyPoll, stoppingToken);
                while (_signal.CurrentCount > 0) await _signal.WaitAsync(stoppingToken);
                // Batches handed over back to back are applied together: one pass under the results' lock, one new version.
                var handed = new List<StoredChanges>();
                var through = _cursor;
                while (_notices.TryDequeue(out var notice))
                {
                    if (notice.LastSeq <= through) continue;
                    if (!load && notice.FollowsOn(through))
                    {
                        handed.Add(notice.Changes!);
                        through = notice.LastSeq;
                    }
                    // A gap or another instance's commit: one load covers it and every notice still queued behind it.
                    else load = true;
                }

                if (handed.Count > 0)
                {
                    state.ApplyStored(handed.Count == 1 ? handed[0] : Together(handed));
                    _cursor = through;
                }

                if (load)
                {
                    var changes = await store.LoadChangesAsync(_cursor, stoppingToken);
                    state.ApplyStored(changes);
                    _cursor = Math.Max(_cursor, changes.HighestSeq);
                }
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

    private static StoredChanges Together(List<StoredChanges> batches) => new(
        [.. batches.SelectMany(b => b.Revisions)], [.. batches.SelectMany(b => b.Certifications)],
        [.. batches.SelectMany(b => b.ReviewDecisions)], [.. batches.SelectMany(b => b.GroupMerges)]);

    public override void Dispose()
    {
        _signal.Dispose();
        _watch.Dispose();
        base.Dispose();
    }
}
