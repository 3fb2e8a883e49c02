using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Caucus.Api.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Caucus.Api.Tests.Processes;

/// <summary>
/// An acknowledged report survives the API process being killed (SIGKILL) in the middle of a reporting
/// burst: a new process on the same database has every acknowledged report, and a client retrying with
/// the same Idempotency-Key gets the original answer and adds nothing.
/// </summary>
public abstract class CrashRecoveryTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Reports = 400;
    private const int Concurrency = 64;
    private const int KillAfterAcknowledgements = 150;

    private readonly List<ApiProcess> _processes = [];

    protected abstract string Store { get; }

    /// <summary>A fresh, empty database for this test.</summary>
    protected abstract Task<string> NewDatabaseAsync();

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync()
    {
        foreach (var api in _processes)
        {
            output.WriteLine($"---- {api} output (tail) ----\n{api.Tail(40)}");
            await api.DisposeAsync();
        }
    }

    private async Task<ApiProcess> StartAsync(string name, string connectionString)
    {
        var api = await ApiProcess.StartAsync(name, Store, connectionString, Api.AdminToken);
        _processes.Add(api);
        return api;
    }

    private sealed record Send(int Index, string Precinct, string Body, string Key, int Sanders, int Warren);

    [Fact]
    public async Task Every_acknowledged_report_survives_a_SIGKILL_mid_burst_and_a_retry_adds_nothing()
    {
        var connectionString = await NewDatabaseAsync();
        var first = await StartAsync("first", connectionString);
        using var firstClient = first.CreateClient(Api.AdminToken, maxConnections: Concurrency);

        // 400 distinct precincts spread over the state, each with its own tallies and key.
        var all = await Api.PrecinctIdsAsync(firstClient);
        Assert.True(all.Count >= Reports, $"Only {all.Count} precincts.");
        var step = all.Count / Reports;
        var run = Guid.NewGuid().ToString("N")[..8];
        var sends = Enumerable.Range(0, Reports).Select(i =>
        {
            int sanders = 5 + (i % 7), warren = 3 + (i % 4);
            return new Send(i, all[i * step], Api.ReportBody(sanders, warren), $"crash-{run}-{i}", sanders, warren);
        }).ToList();

        var acknowledged = new ConcurrentDictionary<int, int>(); // send index -> revision in the 201
        var unexpected = new ConcurrentBag<string>();
        var failedInFlight = 0;
        var acknowledgements = 0;
        var next = -1;
        var startedAtKill = -1;
        var killWatch = new Stopwatch();
        var burst = Stopwatch.StartNew();

        async Task Worker()
        {
            while (true)
            {
                var i = Interlocked.Increment(ref next);
                if (i >= sends.Count)
                {
                    return;
                }

                var send = sends[i];
                try
                {
                    using var request = Api.ReportRequest(send.Precinct, send.Body, send.Key);
                    using var response = await firstClient.SendAsync(request);
                    var text = await response.Content.ReadAsStringAsync();
                    if (response.StatusCode != HttpStatusCode.Created)
                    {
                        unexpected.Add($"{send.Precinct}: {(int)response.StatusCode} {text}");
                        continue;
                    }

                    acknowledged[i] = JsonDocument.Parse(text).RootElement.GetProperty("revision").GetInt32();
                    if (Interlocked.Increment(ref acknowledgements) == KillAfterAcknowledgements)
                    {
                        startedAtKill = Math.Min(Volatile.Read(ref next) + 1, sends.Count);
                        killWatch.Start();
                        first.Kill();
                        killWatch.Stop();
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
                {
                    Interlocked.Increment(ref failedInFlight);
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(_ => Task.Run(Worker)));
        burst.Stop();
        output.WriteLine($"Burst: {acknowledged.Count} acknowledged, {failedInFlight} failed, {unexpected.Count} other answers, " +
            $"{startedAtKill} requests started when killed, kill took {killWatch.ElapsedMilliseconds} ms, burst {burst.ElapsedMilliseconds} ms.");

        Assert.True(unexpected.IsEmpty, "Before the kill every report must be acknowledged with 201:\n" + string.Join('\n', unexpected.Take(10)));
        Assert.True(first.HasExited, "The first process was never killed: the burst finished before the kill point.");
        Assert.True(acknowledged.Count >= KillAfterAcknowledgements, $"{acknowledged.Count} acknowledged.");
        Assert.True(failedInFlight > 0, "No request failed: the kill did not land while requests were in flight.");
        Assert.Equal(Reports, acknowledged.Count + failedInFlight);

        // A new process on the same database.
        var second = await StartAsync("after restart", connectionString);
        using var client = second.CreateClient(Api.AdminToken);

        var lost = new List<string>();
        foreach (var (index, revision) in acknowledged.OrderBy(a => a.Key))
        {
            var send = sends[index];
            Assert.True(revision >= 1, $"{send.Precinct} was acknowledged with revision {revision}.");
            var precinct = await Api.GetJsonAsync(client, Api.PrecinctUri(send.Precinct));
            if (Api.Revision(precinct) < 1)
            {
                lost.Add($"{send.Precinct} (acknowledged revision {revision}, key {send.Key}) has revision {Api.Revision(precinct)} after the restart");
                continue;
            }

            Assert.Equal(revision, Api.Revision(precinct));
            var counted = precinct.GetProperty("counted");
            Assert.Equal(send.Sanders + send.Warren, counted.GetProperty("attendees").GetInt32());
            var expected = new Dictionary<string, int> { ["Sanders"] = send.Sanders, ["Warren"] = send.Warren };
            Assert.Equal(expected, Api.Counts(counted.GetProperty("first")));
            Assert.Equal(expected, Api.Counts(counted.GetProperty("final")));

            var audit = await Api.GetJsonAsync(client, Api.AuditUri(send.Precinct));
            var stored = audit.GetProperty("revisions").EnumerateArray().ToList();
            Assert.Single(stored);
            Assert.Equal(send.Body, stored[0].GetProperty("rawBody").GetString());
            Assert.Equal(send.Key, stored[0].GetProperty("idempotencyKey").GetString());
        }

        Assert.True(lost.Count == 0, $"{lost.Count} acknowledged reports were lost by the crash:\n{string.Join('\n', lost.Take(20))}");

        var results = await Api.GetJsonAsync(client, Api.ResultsUri);
        var reporting = Api.Reporting(results);
        Assert.True(reporting >= acknowledged.Count, $"results reporting {reporting} < {acknowledged.Count} acknowledged.");
        Assert.True(reporting <= Reports, $"results reporting {reporting} > {Reports} sent.");
        var listed = (await Api.GetJsonAsync(client, Api.PrecinctsUri)).EnumerateArray().Count(p => p.GetProperty("reported").GetBoolean());
        Assert.Equal(reporting, listed);

        // The client retries what it sent with the same keys. Acknowledged ones: the original answer, nothing added.
        var version = Api.Version(results);
        foreach (var (index, revision) in acknowledged)
        {
            var send = sends[index];
            using var request = Api.ReportRequest(send.Precinct, send.Body, send.Key);
            using var response = await client.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.Created, $"Replay of {send.Precinct}: {(int)response.StatusCode} {text}");
            Assert.True(response.Headers.TryGetValues("Idempotent-Replayed", out var replayed) && replayed.Single() == "true",
                $"Replay of acknowledged {send.Precinct} was not marked as a replay: {text}");
            Assert.Equal(revision, JsonDocument.Parse(text).RootElement.GetProperty("revision").GetInt32());
        }

        var afterReplays = await Api.GetJsonAsync(client, Api.ResultsUri);
        Assert.Equal(version, Api.Version(afterReplays));
        Assert.Equal(reporting, Api.Reporting(afterReplays));

        // The ones never acknowledged: stored once (replayed if they committed before the kill, new otherwise).
        var replays = 0;
        foreach (var send in sends.Where(s => !acknowledged.ContainsKey(s.Index)))
        {
            using var request = Api.ReportRequest(send.Precinct, send.Body, send.Key);
            using var response = await client.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.Created, $"Retry of {send.Precinct}: {(int)response.StatusCode} {text}");
            Assert.Equal(1, JsonDocument.Parse(text).RootElement.GetProperty("revision").GetInt32());
            replays += response.Headers.Contains("Idempotent-Replayed") ? 1 : 0;
        }

        output.WriteLine($"Unacknowledged retried: {Reports - acknowledged.Count}, of which {replays} had committed before the kill " +
            $"(results reporting after restart: {reporting}).");
        Assert.Equal(reporting - acknowledged.Count, replays);

        foreach (var send in sends)
        {
            Assert.Equal(1, Api.Revision(await Api.GetJsonAsync(client, Api.PrecinctUri(send.Precinct))));
        }

        Assert.Equal(Reports, Api.Reporting(await Api.GetJsonAsync(client, Api.ResultsUri)));
    }
}

[Collection(ApiProcessCollection.Name)]
public sealed class SqliteCrashRecoveryTests(ITestOutputHelper output) : CrashRecoveryTests(output)
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"caucus-crash-{Guid.NewGuid():N}");

    protected override string Store => "sqlite";

    protected override Task<string> NewDatabaseAsync()
    {
        Directory.CreateDirectory(_directory);
        return Task.FromResult($"Data Source={Path.Combine(_directory, "caucus.db")}");
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}

[Collection(ApiProcessCollection.Name)]
public sealed class PostgresCrashRecoveryTests(PostgresServer server, ITestOutputHelper output) : CrashRecoveryTests(output)
{
    protected override string Store => "postgres";

    protected override Task<string> NewDatabaseAsync() => server.CreateDatabaseAsync();
}
