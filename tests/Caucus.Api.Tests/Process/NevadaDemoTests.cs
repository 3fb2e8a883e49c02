using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Caucus.Api.Demo;
using Caucus.Api.Elections;
using Caucus.Api.Tests.Infrastructure;
using Caucus.Core.Projection;
using Caucus.Core.Verification;

namespace Caucus.Api.Tests.Processes;

/// <summary>
/// <c>--demo --election nevada-2020</c> as a newcomer starts it: the built API as a child process replaying Nevada's
/// published night at 1000x (the three simulated hours in 11 s), to the end. Runs in the demo collection, alone.
/// </summary>
[Collection(DemoCollection.Name)]
public sealed class NevadaDemoTests : IAsyncLifetime
{
    /// <summary>The night's 11 s at this speed, and a deadline far past it for a busy machine (waits poll; they cost nothing when on time).</summary>
    private const string Speed = "1000";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    private readonly string _workingDirectory = Directory.CreateTempSubdirectory("caucus-demo-nv-").FullName;
    private readonly Stopwatch _clock = new();
    private ApiProcess? _api;

    public async Task InitializeAsync()
    {
        _api = await ApiProcess.StartAsync("nevada demo", "postgres", "Host=nowhere", Api.AdminToken,
            arguments: ["--demo", "--election", "nevada-2020", "--demo-speed", Speed], workingDirectory: _workingDirectory);
        _clock.Start();
    }

    public async Task DisposeAsync()
    {
        if (_api is not null) await _api.DisposeAsync();
        Directory.Delete(_workingDirectory, recursive: true);
    }

    [Fact]
    public async Task The_Nevada_night_replays_to_the_end_with_the_county_delegates_verify_recomputes_and_the_review_and_exports_answer()
    {
        using var reader = new HttpClient { BaseAddress = _api!.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        var election = await Api.GetJsonAsync(reader, new Uri("api/v1/election", UriKind.Relative));
        Assert.Equal("nevada-2020", election.GetProperty("id").GetString());

        // What the night must end with: every precinct that held a caucus reporting, and the statewide county
        // delegates `caucus verify` recomputes from the same file (its "recomputed" column).
        var folder = ElectionSource.ShippedPath("nevada-2020");
        var nevada = ElectionSource.Load(folder);
        var published = await File.ReadAllTextAsync(DemoNight.PublishedResultsPath(folder, nevada)!);
        var plan = DemoPlan.Build(nevada, PublishedReports.Reports(nevada, published), seed: 2020);
        var recomputed = PublishedResultsFormats.For(nevada.RuleSet)!.Verify(nevada, published).Recomputed.Candidates
            .Where(c => c.CountyDelegates > 0).ToDictionary(c => c.Name, c => c.CountyDelegates);
        Assert.Equal(14_398, recomputed.Values.Sum());

        JsonElement results = default;
        var ended = await PollAsync(async () =>
        {
            results = await Api.GetJsonAsync(reader, Api.ResultsUri);
            return Api.Reporting(results) == plan.Precincts && CountyDelegates(results).SequenceEqual(recomputed.OrderBy(c => c.Key));
        });
        Assert.True(ended, $"after {Deadline.TotalSeconds} s: {Api.Reporting(results)} of the plan's {plan.Precincts} reporting; county delegates " +
            $"{string.Join(", ", CountyDelegates(results))}, verify recomputes {string.Join(", ", recomputed.OrderBy(c => c.Key))}\n{_api.Tail()}");
        Assert.Equal(nevada.Precincts.Length, results.GetProperty("precincts").GetProperty("total").GetInt32());
        Assert.Equal("test", results.GetProperty("status").GetString());
        Assert.DoesNotContain("answered 429", _api.Output, StringComparison.Ordinal);

        // The war room's other reads, and the admin's review queue and exports, over the finished night.
        using var admin = _api.CreateClient(Api.AdminToken, timeout: TimeSpan.FromSeconds(30));
        foreach (var path in (string[])["api/v1/flags", "api/v1/projection", "api/v1/review", "api/v1/export/cdf.json"])
        {
            await Api.GetJsonAsync(admin, new Uri(path, UriKind.Relative));
        }
        using var csv = await admin.GetAsync(new Uri("api/v1/export/precincts.csv", UriKind.Relative));
        var text = await csv.Content.ReadAsStringAsync();
        Assert.True(csv.StatusCode == HttpStatusCode.OK, $"precincts.csv answered {(int)csv.StatusCode}: {text}");
        Assert.Contains("clark/", text, StringComparison.Ordinal);
    }

    private static IEnumerable<KeyValuePair<string, long>> CountyDelegates(JsonElement results) =>
        results.ValueKind != JsonValueKind.Object ? [] : results.GetProperty("candidates").EnumerateArray()
            .Select(c => KeyValuePair.Create(c.GetProperty("name").GetString()!, c.GetProperty("countyDelegates").GetInt64()))
            .Where(c => c.Value > 0).OrderBy(c => c.Key);

    private async Task<bool> PollAsync(Func<Task<bool>> probe) =>
        await Api.PollAsync(probe, Deadline - _clock.Elapsed, TimeSpan.FromMilliseconds(200)) is not null;
}
