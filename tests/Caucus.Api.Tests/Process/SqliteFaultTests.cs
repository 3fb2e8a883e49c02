using System.Diagnostics;
using System.Net;
using Caucus.Api.Tests.Infrastructure;
using Dapper;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace Caucus.Api.Tests.Processes;

/// <summary>
/// The embedded store's faults, on a real API process: a full disk (the database on a 3 MiB tmpfs, filled by a
/// file beside it) and a database file locked by another process. Each gives a clear 503 + Retry-After, reads
/// go on, nothing acknowledged is lost, nothing is stored twice, and the file passes SQLite's integrity check.
/// The tmpfs needs root (mount); the tests and CI run as root here.
/// </summary>
[Collection(ApiProcessCollection.Name)]
public sealed class SqliteFaultTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"caucus-fault-{Guid.NewGuid():N}");
    private readonly List<ApiProcess> _processes = [];
    private bool _mounted;

    private string ConnectionString => $"Data Source={Path.Combine(_directory, "caucus.db")}";

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        foreach (var api in _processes)
        {
            output.WriteLine($"---- {api} output (tail) ----\n{api.Tail(60)}");
            await api.DisposeAsync();
        }

        if (_mounted)
        {
            await RunAsync("umount", ["-l", _directory]);
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task<ApiProcess> StartAsync(string name)
    {
        var api = await ApiProcess.StartAsync(name, "sqlite", ConnectionString, Api.AdminToken, Answer.ProductionDeadline);
        _processes.Add(api);
        return api;
    }

    [Fact]
    public async Task A_full_disk_is_a_503_with_reads_going_on_and_writes_resume_once_there_is_room()
    {
        var (code, text) = await RunAsync("mount", ["-t", "tmpfs", "-o", "size=3m", "tmpfs", _directory]);
        Assert.True(code == 0, $"mount -t tmpfs failed ({code}): {text}. The full-disk test needs root.");
        _mounted = true;

        var api = await StartAsync("full-disk");
        using var client = api.CreateClient(Api.AdminToken, timeout: Answer.Deadline);
        var precincts = await Api.PrecinctIdsAsync(client);
        var acknowledged = new Dictionary<string, int>();
        Assert.Equal(HttpStatusCode.Created, (await Answer.PostAsync(client, precincts[0], Api.ReportBody(6, 4), "full-0")).Status);
        acknowledged[precincts[0]] = 1;

        // Fill the file system to the last byte.
        var filler = Path.Combine(_directory, "filler");
        long filled = 0;
        await using (var stream = new FileStream(filler, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.None))
        {
            var chunk = new byte[4096];
            try
            {
                while (true)
                {
                    stream.Write(chunk);
                    filled += chunk.Length;
                }
            }
            catch (IOException)
            {
            }
        }

        output.WriteLine($"Filled the tmpfs with {filled} bytes.");

        // Reports with long notes until the database cannot grow: each must be stored (201) or refused with a 503.
        var sent = new List<(string Precinct, string Body, string Key)>();
        var refusals = new List<Answer>();
        for (var i = 1; i <= 60 && refusals.Count < 3; i++)
        {
            var body = Api.ReportBody(5 + (i % 5), 4)[..^1] + $",\"note\":\"{new string('n', 1900)}\"}}";
            (string Precinct, string Body, string Key) send = (precincts[i], body, $"full-{i}");
            sent.Add(send);
            var answer = await Answer.PostAsync(client, send.Precinct, send.Body, send.Key);
            if (answer.Status == HttpStatusCode.Created)
            {
                acknowledged[send.Precinct] = answer.Revision;
                continue;
            }

            output.WriteLine($"POST {send.Precinct} on a full disk: {answer}");
            Answer.AssertFastRefusal(answer, $"POST {send.Precinct} on a full disk");
            refusals.Add(answer);
            Assert.Equal(HttpStatusCode.OK, (await Answer.GetAsync(client, "api/v1/results")).Status);
        }

        Assert.True(refusals.Count > 0, "The disk never filled up: no write was refused.");
        output.WriteLine($"{acknowledged.Count} reports acknowledged, {refusals.Count} refused while full.");

        File.Delete(filler);
        foreach (var (precinct, body, key) in sent.Where(s => !acknowledged.ContainsKey(s.Precinct)))
        {
            var (answer, _) = await Answer.RetryUntilStoredAsync(client, precinct, body, key);
            acknowledged[precinct] = answer.Revision;
        }

        await AssertStoredOnceAndIntactAsync(client, acknowledged);
    }

    [Fact]
    public async Task A_locked_database_file_is_a_503_and_the_retry_is_stored_once_the_lock_is_gone()
    {
        var api = await StartAsync("locked");
        using var client = api.CreateClient(Api.AdminToken, timeout: Answer.Deadline);
        var precincts = await Api.PrecinctIdsAsync(client);
        var acknowledged = new Dictionary<string, int>();
        Assert.Equal(HttpStatusCode.Created, (await Answer.PostAsync(client, precincts[0], Api.ReportBody(6, 4), "locked-0")).Status);
        acknowledged[precincts[0]] = 1;

        // Another process (here: another connection, as sqlite3 or a backup tool would) holds the write lock.
        var sends = Enumerable.Range(1, 3).Select(i => (Precinct: precincts[i], Body: Api.ReportBody(5 + i, 4), Key: $"locked-{i}")).ToList();
        await using (var holder = new SqliteConnection(ConnectionString + ";Pooling=False"))
        {
            await holder.OpenAsync();
            await holder.ExecuteAsync("BEGIN EXCLUSIVE");
            var locked = Stopwatch.StartNew();
            foreach (var (precinct, body, key) in sends)
            {
                var answer = await Answer.PostAsync(client, precinct, body, key);
                output.WriteLine($"POST {precinct} with the file locked: {answer}");
                Answer.AssertFastRefusal(answer, $"POST {precinct} with the file locked");
                Assert.Contains("Idempotency-Key", answer.Body, StringComparison.Ordinal);
                Assert.Equal(HttpStatusCode.OK, (await Answer.GetAsync(client, "api/v1/results")).Status);
            }

            output.WriteLine($"Lock held {locked.ElapsedMilliseconds} ms.");
            await holder.ExecuteAsync("ROLLBACK");
        }

        foreach (var (precinct, body, key) in sends)
        {
            var (answer, attempts) = await Answer.RetryUntilStoredAsync(client, precinct, body, key);
            output.WriteLine($"{precinct} stored once the lock was gone ({(answer.Replayed ? "replayed: it had committed late" : "new")}): {string.Join("; ", attempts)}");
            acknowledged[precinct] = answer.Revision;
        }

        await AssertStoredOnceAndIntactAsync(client, acknowledged);
    }

    /// <summary>Every acknowledged report is there exactly once, after a restart too, and the file is intact.</summary>
    private async Task AssertStoredOnceAndIntactAsync(HttpClient client, Dictionary<string, int> acknowledged)
    {
        foreach (var (precinct, revision) in acknowledged)
        {
            Assert.Equal(1, revision);
            Assert.Equal(1, Api.Revision(await Api.GetJsonAsync(client, Api.PrecinctUri(precinct))));
        }

        Assert.Equal(acknowledged.Count, Api.Reporting(await Api.GetJsonAsync(client, Api.ResultsUri)));
        foreach (var api in _processes) api.Kill();

        await using (var connection = new SqliteConnection(ConnectionString + ";Pooling=False"))
        {
            await connection.OpenAsync();
            Assert.Equal("ok", await connection.ExecuteScalarAsync<string>("PRAGMA integrity_check"));
            Assert.Equal(acknowledged.Count, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM revisions"));
        }

        var restarted = await StartAsync("after restart");
        using var again = restarted.CreateClient(Api.AdminToken);
        Assert.Equal(acknowledged.Count, Api.Reporting(await Api.GetJsonAsync(again, Api.ResultsUri)));
    }

    private static async Task<(int Code, string Output)> RunAsync(string file, IReadOnlyList<string> arguments)
    {
        var info = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not run {file}.");
        var text = await process.StandardError.ReadToEndAsync() + await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, text);
    }
}
