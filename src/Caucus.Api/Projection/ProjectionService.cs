using System.Diagnostics;
using Caucus.Api.Infrastructure;
using Caucus.Api.Results;
using Caucus.Core.Projection;

namespace Caucus.Api.Projection;

/// <summary>
/// Recomputes the projection off the request path whenever the results version moves. Versions coalesce: after
/// each computation it takes whatever is newest (never a queue). During a reporting wave it rests between
/// computations and uses one core, so the wave never waits on it and reads never do; as soon as the reports pause
/// (<see cref="QuietMilliseconds"/> without a new version) it computes at once, so in a quiet moment the projection
/// is on the latest version within that pause plus one computation; a computation still running on an
/// older version when the reports pause is dropped for one on the newest.
/// </summary>
public sealed class ProjectionService(ResultsState state, CaucusOptions options, TimeProvider clock, ILogger<ProjectionService> logger) : BackgroundService
{
    private readonly VersionWaiters _waiters = new();
    private ProjectionDocument? _current;

    private byte[]? _currentEvent;
    private long _computing = -1;

    /// <summary>
    /// How long the results must stay on one version for the projection to skip the rest of its interval: long enough
    /// that a wave (hundreds of reports a second) never looks quiet, short enough that the war room's projection
    /// catches up within a second of the last report.
    /// </summary>
    public const int QuietMilliseconds = 200;

    /// <summary>The results version being computed now, or -1 between computations.</summary>
    public long Computing => Interlocked.Read(ref _computing);

    /// <summary>The latest projection, or null before the first one is computed.</summary>
    public ProjectionDocument? Current => Volatile.Read(ref _current);

    /// <summary>The latest projection as a `projection` Server-Sent Event, built once for every listener.</summary>
    public byte[]? CurrentEvent => Volatile.Read(ref _currentEvent);

    /// <summary>Completes when a projection based on a version above <paramref name="basedOn"/> is published.</summary>
    public Task WaitForNewerAsync(long basedOn, CancellationToken cancellationToken) =>
        _waiters.WaitAsync(basedOn + 1, () => Current?.BasedOnVersion ?? -1, cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // One core, always: the draws run on the thread pool, and taking every pool thread would make the requests of
        // a report arriving in a quiet moment wait for the pool to grow.
        var projectionOptions = new ProjectionOptions(options.ProjectionDraws, options.ProjectionSeed, MaxDegreeOfParallelism: 1);
        long computed = -1;
        var restUntil = DateTimeOffset.MinValue;
        var superseded = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (computed >= 0) await WaitForTurnAsync(computed, restUntil, stoppingToken);
                var (version, tallies) = state.CountedTallies();
                using var supersede = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                using var watching = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                // A computation that is overtaken by the night's last reports would hold the war room on an old version
                // until it ends and the next one has run: once the reports pause on a newer version, drop it and start
                // on that one. Never twice in a row, so reports that pause every few hundred milliseconds cannot starve it.
                var watcher = superseded ? Task.CompletedTask : SupersedeWhenQuietAsync(version, supersede, watching.Token);
                var stopwatch = Stopwatch.StartNew();
                Interlocked.Exchange(ref _computing, version);
                ProjectionResult result;
                try
                {
                    result = await Task.Run(() => Projector.Project(state.Election, tallies, projectionOptions, supersede.Token), supersede.Token);
                }
                catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                {
                    logger.LogDebug("Projection for version {Version} superseded by version {Newer}", version, state.Version);
                    superseded = true;
                    restUntil = DateTimeOffset.MinValue;
                    continue;
                }
                finally
                {
                    Interlocked.Exchange(ref _computing, -1);
                    await watching.CancelAsync();
                    await watcher;
                }
                superseded = false;
                var document = ProjectionDocument.From(result, version, clock.GetUtcNow(), stopwatch.ElapsedMilliseconds);
                Volatile.Write(ref _currentEvent, Stream.ServerSentEvent.Format("projection", version,
                    System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(document, ApiJson.Options)));
                Volatile.Write(ref _current, document);
                _waiters.Release(version);
                computed = version;
                logger.LogDebug("Projection for version {Version} ({Reporting} precincts) in {Elapsed} ms", version, tallies.Count, stopwatch.ElapsedMilliseconds);
                // At most a fifth of one core, whatever the election's size: wait at least four times as long as the
                // computation took (the profile of a 5,000 reports/s wave showed back-to-back projections taking half a core).
                restUntil = clock.GetUtcNow() + TimeSpan.FromMilliseconds(Math.Max(options.ProjectionIntervalMilliseconds, 4 * stopwatch.ElapsedMilliseconds));
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                // A projection that cannot be computed must not end the service's projections for the night: the war room
                // keeps the last one (it says which version it is based on), and the next version tries again.
                logger.LogError(e, "The projection could not be computed; the last one stands");
                computed = state.CountedTallies().Version;
                restUntil = DateTimeOffset.MinValue;
                await Task.Delay(TimeSpan.FromMilliseconds(options.ProjectionIntervalMilliseconds), clock, stoppingToken);
            }
        }
    }

    /// <summary>Cancels <paramref name="supersede"/> once the results have paused on a version above <paramref name="version"/>.</summary>
    private async Task SupersedeWhenQuietAsync(long version, CancellationTokenSource supersede, CancellationToken cancellationToken)
    {
        try
        {
            await state.WaitForNewerAsync(version, cancellationToken);
            await WaitForQuietAsync(DateTimeOffset.MaxValue, cancellationToken);
            await supersede.CancelAsync();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The computation ended first.
        }
    }

    /// <summary>
    /// Waits for a version above <paramref name="computed"/>; then for the reports to pause or the rest after the last
    /// computation to end, whichever is first.
    /// </summary>
    private async Task WaitForTurnAsync(long computed, DateTimeOffset restUntil, CancellationToken stoppingToken)
    {
        await state.WaitForNewerAsync(computed, stoppingToken);
        await WaitForQuietAsync(restUntil, stoppingToken);
    }

    /// <summary>
    /// Waits until the results have stayed on one version for <see cref="QuietMilliseconds"/> (true) or
    /// <paramref name="until"/> comes (false). Quiet is judged from when the state published its version, not from
    /// which timer fired first, so a slow wake-up never mistakes a wave for a pause.
    /// </summary>
    private async Task<bool> WaitForQuietAsync(DateTimeOffset until, CancellationToken cancellationToken)
    {
        var quiet = TimeSpan.FromMilliseconds(QuietMilliseconds);
        while (true)
        {
            var now = clock.GetUtcNow();
            var quietFor = now - state.VersionAt;
            if (quietFor >= quiet) return true;
            var left = until - now;
            if (left <= TimeSpan.Zero) return false;
            await Task.Delay(TimeSpan.FromTicks(Math.Min((quiet - quietFor).Ticks, left.Ticks)), clock, cancellationToken);
        }
    }
}
