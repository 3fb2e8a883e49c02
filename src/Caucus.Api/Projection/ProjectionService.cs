using System.Diagnostics;
using Caucus.Api.Infrastructure;
using Caucus.Api.Results;
using Caucus.Core.Projection;

namespace Caucus.Api.Projection;

/// <summary>
/// Recomputes the projection off the request path whenever the results version moves. Versions coalesce: after
/// each computation it takes whatever is newest (never a queue), and it waits a moment between computations and
/// uses one core, so a reporting wave never waits on it and reads never do.
/// </summary>
public sealed class ProjectionService(ResultsState state, CaucusOptions options, TimeProvider clock, ILogger<ProjectionService> logger) : BackgroundService
{
    private readonly VersionWaiters _waiters = new();
    private ProjectionDocument? _current;

    private byte[]? _currentEvent;

    /// <summary>The latest projection, or null before the first one is computed.</summary>
    public ProjectionDocument? Current => Volatile.Read(ref _current);

    /// <summary>The latest projection as a `projection` Server-Sent Event, built once for every listener.</summary>
    public byte[]? CurrentEvent => Volatile.Read(ref _currentEvent);

    /// <summary>Completes when a projection based on a version above <paramref name="basedOn"/> is published.</summary>
    public Task WaitForNewerAsync(long basedOn, CancellationToken cancellationToken) =>
        _waiters.WaitAsync(basedOn + 1, () => Current?.BasedOnVersion ?? -1, cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var projectionOptions = new ProjectionOptions(options.ProjectionDraws, options.ProjectionSeed, MaxDegreeOfParallelism: 1);
        long computed = -1;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (computed >= 0) await state.WaitForNewerAsync(computed, stoppingToken);
                var (version, tallies) = state.CountedTallies();
                var stopwatch = Stopwatch.StartNew();
                var result = await Task.Run(() => Projector.Project(state.Election, tallies, projectionOptions), stoppingToken);
                var document = ProjectionDocument.From(result, version, clock.GetUtcNow(), stopwatch.ElapsedMilliseconds);
                Volatile.Write(ref _currentEvent, Stream.ServerSentEvent.Format("projection", version,
                    System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(document, ApiJson.Options)));
                Volatile.Write(ref _current, document);
                _waiters.Release(version);
                computed = version;
                logger.LogDebug("Projection for version {Version} ({Reporting} precincts) in {Elapsed} ms", version, tallies.Count, stopwatch.ElapsedMilliseconds);
                // At most a fifth of one core, whatever the election's size: wait at least four times as long as the
                // computation took (the profile of a 5,000 reports/s wave showed back-to-back projections taking half a core).
                var rest = Math.Max(options.ProjectionIntervalMilliseconds, 4 * stopwatch.ElapsedMilliseconds);
                await Task.Delay(TimeSpan.FromMilliseconds(rest), clock, stoppingToken);
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
                await Task.Delay(TimeSpan.FromMilliseconds(options.ProjectionIntervalMilliseconds), clock, stoppingToken);
            }
        }
    }
}
