using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Caucus.Api.Demo;
using Caucus.Api.Elections;
using Caucus.Api.Tests.Infrastructure;
using Caucus.Core.Projection;

namespace Caucus.Api.Tests.Processes;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DemoCollection
{
    public const string Name = "demo";
}

/// <summary>
/// <c>--demo</c> as a newcomer starts it: the built API as a child process, in a working directory of its own (the
/// demo database lands there), replaying the night at 300x (the three simulated hours in 36 s). Everything is
/// read without a token, as the newcomer reads it, until the night ends with every precinct reporting and none of the
/// demo's requests refused (issue 21: a demo that completes at any speed; 300 is the fastest the README offers). Runs alone, so the replay's pace is not the rest of the run's.
/// </summary>
[Collection(DemoCollection.Name)]
public sealed class DemoTests : IAsyncLifetime
{
    private const string Speed = "300";
    /// <summary>
    /// The night replays in 36 s at this speed (3 h / 300); a busy machine replays it later than planned, so each wait
    /// polls until what it looks for holds, up to a deadline far past the plan (it costs nothing when things are on time).
    /// </summary>
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    private readonly string _workingDirectory = Directory.CreateTempSubdirectory("caucus-demo-").FullName;
    private readonly Stopwatch _clock = new();
    private ApiProcess? _api;

    public async Task InitializeAsync()
    {
        _api = await ApiProcess.StartAsync("demo", "postgres", "Host=nowhere", Api.AdminToken,
            arguments: ["--demo", "--demo-speed", Speed], workingDirectory: _workingDirectory);
        _clock.Start();
    }

    public async Task DisposeAsync()
    {
        if (_api is not null) await _api.DisposeAsync();
        Directory.Delete(_workingDirectory, recursive: true);
    }

    [Fact]
    public async Task A_demo_night_grows_in_public_as_a_rehearsal_with_hotline_double_entry_and_tosses_recorded_late()
    {
        // The store and connection string the test host passes (postgres, nowhere) are overridden by the demo's own SQLite file.
        Assert.True(File.Exists(Path.Combine(_workingDirectory, DemoExtensions.DatabaseFile)), _api!.Tail());
        using var reader = new HttpClient { BaseAddress = _api.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };

        // Reporting grows, read without a token, marked as a rehearsal.
        var first = await ReadResultsWhenAsync(reader, r => Api.Reporting(r) > 0);
        Assert.True(first.GetProperty("test").GetBoolean());
        Assert.Equal("test", first.GetProperty("status").GetString());
        var second = await ReadResultsWhenAsync(reader, r => Api.Reporting(r) > Api.Reporting(first));
        Assert.True(Api.Reporting(second) > Api.Reporting(first),
            $"reporting went from {Api.Reporting(first)} to {Api.Reporting(second)}\n{_api.Tail()}");

        // The first hotline precinct of the plan (the test builds the same plan, seed 2020) counts once the second operator entered it.
        var election = ElectionSource.Load(ElectionSource.DefaultPath);
        var published = await File.ReadAllTextAsync(DemoNight.PublishedResultsPath(ElectionSource.DefaultPath, election)!);
        var plan = DemoPlan.Build(election, PublishedReports.Reports(election, published), seed: 2020);
        var hotline = plan.Steps.First(s => s.Kind == DemoStepKind.SecondEntry).Precinct;
        var confirmed = await PollAsync(async () =>
        {
            var page = await Api.GetJsonAsync(reader, Api.PrecinctUri(hotline));
            return page.TryGetProperty("doubleEntry", out var d) && d.ValueKind == JsonValueKind.Object
                && d.GetProperty("status").GetString() == "confirmed"
                && page.GetProperty("counted").GetProperty("source").GetString() == "hotline";
        });
        Assert.True(confirmed, $"{hotline}: the hotline entry was not confirmed within {Deadline.TotalSeconds} s of the start\n{_api.Tail()}");

        // Some precinct shows a pending toss on /flags, then has it recorded: off the list, revised, no toss outcomes left open.
        var seenPending = new HashSet<string>(StringComparer.Ordinal);
        string? settled = null;
        await PollAsync(async () =>
        {
            var flags = await Api.GetJsonAsync(reader, new Uri("api/v1/flags", UriKind.Relative));
            var pending = flags.GetProperty("pendingTieBreaks").EnumerateArray().Select(p => p.GetProperty("precinct").GetString()!).ToHashSet();
            foreach (var id in seenPending.Where(id => !pending.Contains(id)))
            {
                var page = await Api.GetJsonAsync(reader, Api.PrecinctUri(id));
                if (page.GetProperty("pendingTieBreak").ValueKind == JsonValueKind.Null && !page.GetProperty("flags").GetProperty("pendingTieBreak").GetBoolean()
                    && Api.Revision(page) >= 2 && page.GetProperty("tossOutcomes").GetArrayLength() == 0)
                {
                    settled = id;
                    return true;
                }
            }
            seenPending.UnionWith(pending);
            return false;
        });
        Assert.True(settled is not null, $"no pending toss was seen settled within {Deadline.TotalSeconds} s of the start " +
            $"(seen pending: {string.Join(", ", seenPending)})\n{_api.Tail()}");

        // The night ends: every precinct and satellite reporting, and the demo's last progress line counts no refusal.
        var ended = await PollAsync(() => Task.FromResult(_api.Output.Contains("Demo night replayed in", StringComparison.Ordinal)));
        Assert.True(ended, $"the demo did not end within {Deadline.TotalSeconds} s\n{_api.Tail()}");
        var last = await ReadResultsWhenAsync(reader, r => Api.Reporting(r) == election.Precincts.Length);
        Assert.Equal(election.Precincts.Length, Api.Reporting(last));
        var progress = _api.Output.Split('\n').Last(l => l.Contains("Demo night 100%", StringComparison.Ordinal));
        Assert.Matches(@"answered as replays, 0 refused", progress);
    }

    private async Task<JsonElement> ReadResultsWhenAsync(HttpClient reader, Func<JsonElement, bool> condition)
    {
        JsonElement results = default;
        var held = await PollAsync(async () =>
        {
            using var response = await reader.GetAsync(Api.ResultsUri);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            results = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
            return condition(results);
        });
        Assert.True(held, $"GET /api/v1/results did not show the condition within {Deadline.TotalSeconds} s of the start\n{_api!.Tail()}");
        return results;
    }

    /// <summary>Polls until <paramref name="probe"/> holds or the test's <see cref="Deadline"/> (from the demo's start) has passed.</summary>
    private async Task<bool> PollAsync(Func<Task<bool>> probe) =>
        await Api.PollAsync(probe, Deadline - _clock.Elapsed, TimeSpan.FromMilliseconds(100)) is not null;
}
