using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Caucus.Api.Demo;
using Caucus.Api.Elections;
using Caucus.Api.Tests.Infrastructure;
using Caucus.Core.Model;
using Caucus.Core.Rules.SecretBallot;
using Caucus.Core.Simulation;

namespace Caucus.Api.Tests.Processes;

/// <summary>
/// <c>--demo --election DIR</c> for a folder without published results, as a newcomer starts it: the built API as a
/// child process playing the folder's synthetic night (seed 2020, <see cref="SyntheticNight"/>) at 1000x, to the end,
/// with nothing refused and the delegates the rule set gives the night's reports. Runs in the demo collection, alone.
/// </summary>
[Collection(DemoCollection.Name)]
public sealed class SyntheticDemoTests
{
    private const string Speed = "1000";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task The_walking_subcaucus_example_plays_a_synthetic_night_with_subcaucuses_named_on_the_night_to_the_end()
    {
        var folder = ElectionSource.ShippedPath("mn-dfl-example");
        await PlayAsync("mn-dfl-example", folder, async (api, reader, election, night) =>
        {
            Assert.NotEmpty(night.NewGroups);
            // The README quotes the console's line.
            Assert.Contains("synthetic night (seed 2020: Hennepin leans to Peace; groups named on the night: ", api.Output, StringComparison.Ordinal);
            var results = await Api.GetJsonAsync(reader, Api.ResultsUri);
            // Names are gathered by the war room (case folded, merged by headquarters): the delegates add up whatever the names.
            Assert.Equal(Delegates(election, night).Values.Sum(), CountyDelegates(results).Sum(c => c.Value));
        });
    }

    [Fact]
    public async Task The_secret_ballot_folder_plays_a_synthetic_night_of_votes_whose_headline_is_the_statewide_allocation_of_their_sum()
    {
        var folder = ElectionSource.ShippedPath("iowa-gop-2024");
        await PlayAsync("iowa-gop-2024", folder, async (api, reader, election, night) =>
        {
            // The README quotes the console's line.
            Assert.Contains("synthetic night (seed 2020: CD4 leans to Hutchinson)", api.Output, StringComparison.Ordinal);
            Assert.Contains("99 of 99 reporting", api.Output.Split('\n').Last(l => l.Contains("Demo night 100%", StringComparison.Ordinal)), StringComparison.Ordinal);
            // One round: every unit's votes are its first and its final count.
            Assert.All(night.Reports, r => Assert.Equal(r.Tally.First, r.Tally.Final));
            var votes = election.Candidates.ToDictionary(c => c, c => night.Final.Values.Sum(t => (long)t.FinalOf(c)), StringComparer.Ordinal);
            var rules = ((SecretBallotRuleSet)election.RuleSet).Rules;
            var expected = StatewideAllocator.Allocate(rules, votes);
            Assert.Equal(40, expected.Delegates.Values.Sum());
            var results = await Api.GetJsonAsync(reader, Api.ResultsUri);
            foreach (var c in results.GetProperty("candidates").EnumerateArray())
            {
                var name = c.GetProperty("name").GetString()!;
                Assert.Equal(votes[name], c.GetProperty("finalAlignment").GetInt64());
                Assert.Equal(expected.Delegates[name], (int)decimal.Parse(c.GetProperty("sde").GetString()!, CultureInfo.InvariantCulture));
            }
            // Every unit in: no vote is out, so every delegate is called.
            var headline = results.GetProperty("statewideHeadline");
            Assert.Equal(0, headline.GetProperty("votesOut").GetInt64());
            Assert.Equal(40, headline.GetProperty("called").GetInt32());
        });
    }

    [Fact]
    public async Task A_copy_of_the_Nevada_folder_without_its_results_plays_a_synthetic_night_with_early_votes_and_card_draws_to_the_end()
    {
        var folder = Directory.CreateTempSubdirectory("caucus-synthetic-nv-");
        try
        {
            var shipped = ElectionSource.ShippedPath("nevada-2020");
            foreach (var file in (string[])["counties.csv", "precincts.csv"]) File.Copy(Path.Combine(shipped, file), Path.Combine(folder.FullName, file));
            var json = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(shipped, "election.json")))!.AsObject();
            Assert.True(json.Remove("publishedResults"));
            await File.WriteAllTextAsync(Path.Combine(folder.FullName, "election.json"), json.ToJsonString());

            await PlayAsync("synthetic nevada", folder.FullName, async (api, reader, election, night) =>
            {
                Assert.Contains(night.Reports, r => r.Tally.HasEarlyVote);
                Assert.Contains(night.Reports, r => r.TieOutcome is not null);
                var results = await Api.GetJsonAsync(reader, Api.ResultsUri);
                var expected = Delegates(election, night).Where(d => d.Value > 0).OrderBy(d => d.Key, StringComparer.Ordinal);
                Assert.Equal(expected, CountyDelegates(results).Where(d => d.Value > 0).OrderBy(d => d.Key, StringComparer.Ordinal));
            });
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>Starts the demo of <paramref name="folder"/>, waits for the night's end, checks what every night ends with, then <paramref name="check"/>.</summary>
    private static async Task PlayAsync(string name, string folder, Func<ApiProcess, HttpClient, Election, SyntheticNight, Task> check)
    {
        var workingDirectory = Directory.CreateTempSubdirectory("caucus-demo-synthetic-").FullName;
        var clock = Stopwatch.StartNew();
        try
        {
            await using var api = await ApiProcess.StartAsync(name, "postgres", "Host=nowhere", Api.AdminToken,
                arguments: ["--demo", "--election", folder, "--demo-speed", Speed], workingDirectory: workingDirectory);
            using var reader = new HttpClient { BaseAddress = api.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
            var election = ElectionSource.Load(folder);
            var night = SyntheticNight.Generate(election, new DemoOptions().Seed);

            var ended = await Api.PollAsync(() => Task.FromResult(api.Output.Contains("Demo night replayed in", StringComparison.Ordinal)),
                Deadline - clock.Elapsed, TimeSpan.FromMilliseconds(200)) is not null;
            Assert.True(ended, $"the demo did not end within {Deadline.TotalSeconds} s\n{api.Tail()}");
            Assert.Contains("synthetic night (seed 2020", api.Output, StringComparison.Ordinal);
            var progress = api.Output.Split('\n').Last(l => l.Contains("Demo night 100%", StringComparison.Ordinal));
            Assert.Contains("answered as replays, 0 refused", progress, StringComparison.Ordinal);

            var results = await Api.GetJsonAsync(reader, Api.ResultsUri);
            Assert.Equal(election.Precincts.Length, Api.Reporting(results));
            Assert.Equal("test", results.GetProperty("status").GetString());

            // The war room's other reads, and the admin's review queue and exports, over the finished night.
            using var admin = api.CreateClient(Api.AdminToken, timeout: TimeSpan.FromSeconds(30));
            foreach (var path in (string[])["api/v1/flags", "api/v1/projection", "api/v1/review", "api/v1/export/cdf.json"])
            {
                await Api.GetJsonAsync(admin, new Uri(path, UriKind.Relative));
            }
            using var csv = await admin.GetAsync(new Uri("api/v1/export/precincts.csv", UriKind.Relative));
            Assert.True(csv.StatusCode == HttpStatusCode.OK, $"precincts.csv answered {(int)csv.StatusCode}: {await csv.Content.ReadAsStringAsync()}");
            await check(api, reader, election, night);
        }
        finally
        {
            Directory.Delete(workingDirectory, recursive: true);
        }
    }

    /// <summary>The delegates the rule set gives each group over the night's reports, ties settled as the night held them.</summary>
    private static Dictionary<string, long> Delegates(Election election, SyntheticNight night)
    {
        var rules = election.RuleSet;
        var totals = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (id, tally) in night.Final)
        {
            var d = election.FindPrecinct(id)!.Delegates;
            foreach (var (group, delegates) in rules.Allocate(d, rules.Count(d, tally).Tally).DelegatesByGroup)
            {
                totals[group] = totals.GetValueOrDefault(group) + delegates;
            }
        }
        return totals;
    }

    private static IEnumerable<KeyValuePair<string, long>> CountyDelegates(JsonElement results) =>
        results.GetProperty("candidates").EnumerateArray()
            .Select(c => KeyValuePair.Create(c.GetProperty("name").GetString()!, c.GetProperty("countyDelegates").GetInt64()));
}
