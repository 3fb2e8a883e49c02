using Caucus.Api.Elections;
using Caucus.Api.Infrastructure;
using Caucus.Api.Projection;
using Caucus.Api.Results;
using Caucus.Api.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Caucus.Api.Tests.Projection;

/// <summary>
/// When the projection recomputes: in a quiet moment at once (within <see cref="ProjectionService.QuietMilliseconds"/>
/// of the last report), during a wave no more often than its interval. Time is a <see cref="FakeTimeProvider"/>: the
/// test moves it, nothing sleeps against the service's timers.
/// </summary>
public sealed class ProjectionServiceTests
{
    private static readonly Caucus.Core.Model.Election Iowa = ElectionSource.Load(new ConfigurationBuilder().Build());

    private static StoredRevision Revision(long seq, string precinct, int sanders, int warren) =>
        new(seq, precinct, 1, "captain", "test", DateTimeOffset.UnixEpoch, null, "",
            $$"""{"attendees":{{sanders + warren}},"first":{"Sanders":{{sanders}},"Warren":{{warren}}},"final":{"Sanders":{{sanders}},"Warren":{{warren}}},"source":"captain"}""");

    [Fact]
    public async Task A_report_in_a_quiet_moment_is_projected_after_the_pause_not_after_the_interval()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2020-02-03T19:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var state = new ResultsState(Iowa, clock, test: false);
        state.ApplyStored([Revision(1, "adair/1nw-adair", 6, 4)]);
        var options = new CaucusOptions { ProjectionDraws = 20, ProjectionIntervalMilliseconds = 60_000 };
        using var service = new ProjectionService(state, options, clock, NullLogger<ProjectionService>.Instance);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await service.StartAsync(stop.Token);
        await service.WaitForNewerAsync(0, stop.Token);
        Assert.Equal(1, service.Current!.BasedOnVersion);

        // One more report, then nothing: the service must compute once the results have stayed on version 2 for its
        // quiet pause, long before the minute's interval. The clock moves in small steps (the service may not yet
        // have started its pause when a step is taken); at most a quarter of the interval in all.
        state.ApplyStored([Revision(2, "adams/adams-1", 8, 2)]);
        var caughtUp = service.WaitForNewerAsync(1, stop.Token);
        for (var moved = 0; !caughtUp.IsCompleted && moved < 15_000; moved += 50)
        {
            clock.Advance(TimeSpan.FromMilliseconds(50));
            await Task.WhenAny(caughtUp, Task.Delay(TimeSpan.FromMilliseconds(20), TimeProvider.System));
        }
        await caughtUp.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(2, service.Current!.BasedOnVersion);
        Assert.True(clock.GetUtcNow() - DateTimeOffset.Parse("2020-02-03T19:00:00Z", System.Globalization.CultureInfo.InvariantCulture) < TimeSpan.FromSeconds(15));
        await service.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task During_a_wave_versions_coalesce_until_the_interval_is_over()
    {
        var start = DateTimeOffset.Parse("2020-02-03T19:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var clock = new FakeTimeProvider(start);
        var state = new ResultsState(Iowa, clock, test: false);
        state.ApplyStored([Revision(1, "adair/1nw-adair", 6, 4)]);
        var options = new CaucusOptions { ProjectionDraws = 20, ProjectionIntervalMilliseconds = 2_000 };
        using var service = new ProjectionService(state, options, clock, NullLogger<ProjectionService>.Instance);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await service.StartAsync(stop.Token);
        await service.WaitForNewerAsync(0, stop.Token);

        // A new version every 100 ms (never quiet for 200 ms) until the clock passes the interval: the projection
        // waits for the interval, then takes the newest version, not the first one after the last computation. Its rest
        // is also at least four times the first computation's real duration, so on a slow machine the interval may end
        // after the last report: the clock then goes on moving (quiet) until it computes.
        var precincts = Iowa.Precincts.Where(p => p.Kind == Caucus.Core.Model.PrecinctKind.Precinct).Skip(1).Take(30).ToArray();
        var caughtUp = service.WaitForNewerAsync(1, stop.Token);
        long seq = 1;
        foreach (var precinct in precincts)
        {
            state.ApplyStored([Revision(++seq, precinct.Id, 5, 5)]);
            clock.Advance(TimeSpan.FromMilliseconds(100));
            if (caughtUp.IsCompleted) break;
        }
        for (var moved = 0; !caughtUp.IsCompleted && moved < 600_000; moved += 100)
        {
            clock.Advance(TimeSpan.FromMilliseconds(100));
            await Task.WhenAny(caughtUp, Task.Delay(TimeSpan.FromMilliseconds(10), TimeProvider.System));
        }
        await caughtUp.WaitAsync(TimeSpan.FromSeconds(30));
        var based = service.Current!.BasedOnVersion;
        // Computed no earlier than the interval (2 s of 100 ms steps: version 20 or later), on the version then newest.
        Assert.True(based >= 20, $"projected version {based} after {(clock.GetUtcNow() - start).TotalMilliseconds} ms");
        await service.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_computation_overtaken_by_a_report_and_a_pause_is_dropped_for_the_newest_version()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2020-02-03T19:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var state = new ResultsState(Iowa, clock, test: false);
        state.ApplyStored([Revision(1, "adair/1nw-adair", 6, 4)]);
        // Enough draws that the computation on version 1 lasts seconds: the report and the pause come while it runs.
        var options = new CaucusOptions { ProjectionDraws = 3_000, ProjectionIntervalMilliseconds = 60_000 };
        using var service = new ProjectionService(state, options, clock, NullLogger<ProjectionService>.Instance);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await service.StartAsync(stop.Token);
        while (service.Computing != 1) await Task.Delay(TimeSpan.FromMilliseconds(5), TimeProvider.System, stop.Token);

        state.ApplyStored([Revision(2, "adams/adams-1", 8, 2)]);
        var first = service.WaitForNewerAsync(0, stop.Token);
        for (var moved = 0; !first.IsCompleted && moved < 600_000; moved += 50)
        {
            clock.Advance(TimeSpan.FromMilliseconds(50));
            await Task.WhenAny(first, Task.Delay(TimeSpan.FromMilliseconds(20), TimeProvider.System));
        }
        await first.WaitAsync(TimeSpan.FromSeconds(60));
        // Version 1's projection was never published: the first one the war room sees is on the newest version.
        Assert.Equal(2, service.Current!.BasedOnVersion);
        await service.StopAsync(CancellationToken.None);
    }
}
