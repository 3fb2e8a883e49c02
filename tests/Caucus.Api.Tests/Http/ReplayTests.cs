using System.Net;
using System.Text.Json;
using Caucus.Api.Elections;
using Caucus.Core.Rules.Iowa2020;
using Caucus.Core.Verification;
using Microsoft.Extensions.Configuration;
using Xunit.Abstractions;

namespace Caucus.Api.Tests.Http;

/// <summary>
/// The whole 2020 100% release (../shared/data/iowa-2020), replayed through the API into fresh stores in
/// different orders and at different concurrency: the results document is the same every time, and its
/// SDEs are the ones <c>caucus verify</c> recomputes from the same file.
/// </summary>
public sealed class ReplayTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly List<SqliteApiHost> _hosts = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var host in _hosts) await host.DisposeAsync();
    }

    [Fact]
    public async Task The_2020_release_replays_to_the_same_results_whatever_the_order_and_concurrency()
    {
        var election = ElectionSource.Load(new ConfigurationBuilder().Build());
        var report = PublishedResultsVerifier.Verify(election, await File.ReadAllTextAsync(HundredPercentResults));
        var reports = report.Precincts.Where(p => p.Precinct is not null).Select(p => (Id: p.Precinct!.Id, Body: JsonSerializer.Serialize(new
        {
            attendees = p.Row.Attendance,
            first = p.Row.First,
            final = p.Row.Final,
            // The toss outcome the party's published delegates show, as verify reads it; else the toss stays pending.
            tieBreaks = p.Verdict?.TieOutcome is { } toss ? new[] { new { groups = toss.Groups, winners = toss.Winners } } : null,
            source = "official",
        }))).ToList();
        Assert.Equal(1765, reports.Count);

        var inFileOrder = await ReplayAsync(reports, concurrency: 2);
        var shuffled = await ReplayAsync([.. reports.OrderBy(r => StableHash(r.Id))], concurrency: 32);
        var reversed = await ReplayAsync([.. Enumerable.Reverse(reports)], concurrency: 8);

        output.WriteLine(inFileOrder);
        Assert.Equal(inFileOrder, shuffled);
        Assert.Equal(inFileOrder, reversed);
        using var document = JsonDocument.Parse(inFileOrder);
        var candidates = document.RootElement.GetProperty("candidates").EnumerateArray()
            .ToDictionary(c => c.GetProperty("name").GetString()!, c => c.GetProperty("sde").GetString()!);
        foreach (var expected in report.Recomputed.Candidates)
        {
            Assert.Equal(expected.SdeDisplay, candidates[expected.Name]);
        }
        Assert.Equal(1765, document.RootElement.GetProperty("precincts").GetProperty("reporting").GetInt32());
    }

    /// <summary>Posts every report to a fresh instance; returns its results document without the one field that must differ (asOf).</summary>
    private async Task<string> ReplayAsync(IReadOnlyList<(string Id, string Body)> reports, int concurrency)
    {
        var host = new SqliteApiHost();
        _hosts.Add(host);
        await host.InitializeAsync();
        using var gate = new SemaphoreSlim(concurrency);
        await Task.WhenAll(reports.Select(async r =>
        {
            await gate.WaitAsync();
            try
            {
                var response = await host.Client.PostReportAsync(r.Id, r.Body);
                Assert.True(response.Status == HttpStatusCode.Created, $"{r.Id}: {response}");
            }
            finally
            {
                gate.Release();
            }
        }));
        var results = await host.Client.GetAsync("/api/v1/results");
        var node = System.Text.Json.Nodes.JsonNode.Parse(results.Text)!.AsObject();
        node.Remove("asOf");
        return node.ToJsonString();
    }

    private static int StableHash(string text) => text.Aggregate(17, (h, c) => unchecked((h * 31) + c));

    private static string HundredPercentResults
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Caucus.sln")))
                {
                    return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data", "iowa-2020", "idp-results-2020-02-08-100pct.csv"));
                }
            }
            throw new InvalidOperationException("No Caucus.sln above the test output.");
        }
    }
}
