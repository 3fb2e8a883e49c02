using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Caucus.Api.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Caucus.Api.Tests.Processes;

/// <summary>
/// SIGTERM (a container stop, a rolling deploy) in the middle of a reporting burst: the server stops taking
/// connections, answers the requests it has, and the store drains the writer's queue before the process exits.
/// Every report acknowledged, including those answered after the signal, is there when a new process starts.
/// </summary>
[Collection(ApiProcessCollection.Name)]
public sealed class GracefulShutdownTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Reports = 300;
    private const int Concurrency = 32;
    private const int TerminateAfterAcknowledgements = 60;

    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"caucus-term-{Guid.NewGuid():N}");
    private readonly List<ApiProcess> _processes = [];

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        foreach (var api in _processes)
        {
            output.WriteLine($"---- {api} output (tail) ----\n{api.Tail(40)}");
            await api.DisposeAsync();
        }

        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Reports_acknowledged_while_the_service_shuts_down_are_stored()
    {
        var connectionString = $"Data Source={Path.Combine(_directory, "caucus.db")}";
        var first = await ApiProcess.StartAsync("terminated", "sqlite", connectionString, Api.AdminToken);
        _processes.Add(first);
        using var client = first.CreateClient(Api.AdminToken, maxConnections: Concurrency);
        var all = await Api.PrecinctIdsAsync(client);

        var acknowledged = new ConcurrentDictionary<string, int>();
        var acknowledgedAfterSignal = 0;
        var failed = 0;
        var other = new ConcurrentBag<string>();
        var next = -1;
        var signalled = 0;
        var signalledAt = new Stopwatch();

        async Task Worker()
        {
            while (true)
            {
                var i = Interlocked.Increment(ref next);
                if (i >= Reports || first.HasExited) return;
                var precinct = all[i];
                try
                {
                    using var request = Api.ReportRequest(precinct, Api.ReportBody(5 + (i % 7), 3 + (i % 4)), $"term-{i}");
                    using var response = await client.SendAsync(request);
                    var text = await response.Content.ReadAsStringAsync();
                    if (response.StatusCode != HttpStatusCode.Created)
                    {
                        other.Add($"{precinct}: {(int)response.StatusCode} {text}");
                        continue;
                    }

                    acknowledged[precinct] = JsonDocument.Parse(text).RootElement.GetProperty("revision").GetInt32();
                    if (Volatile.Read(ref signalled) == 1) Interlocked.Increment(ref acknowledgedAfterSignal);
                    if (acknowledged.Count >= TerminateAfterAcknowledgements && Interlocked.Exchange(ref signalled, 1) == 0)
                    {
                        signalledAt.Start();
                        first.Terminate();
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
                {
                    Interlocked.Increment(ref failed);
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(_ => Task.Run(Worker)));
        var exitCode = await first.WaitForExitAsync(TimeSpan.FromSeconds(60));
        signalledAt.Stop();
        output.WriteLine($"{acknowledged.Count} acknowledged ({acknowledgedAfterSignal} after SIGTERM), {failed} failed, {other.Count} other answers; " +
            $"exited with {exitCode} {signalledAt.ElapsedMilliseconds} ms after the signal.");

        Assert.Equal(1, signalled);
        Assert.True(exitCode == 0, $"The service did not exit cleanly after SIGTERM (exit code {exitCode?.ToString() ?? "none: still running"}).");
        Assert.True(acknowledgedAfterSignal > 0, "No report was acknowledged after SIGTERM: the test did not exercise the shutdown path.");
        // A request the stopping server still took is answered (201), or refused as unavailable, never a 500.
        Assert.All(other, o => Assert.Contains(": 503 ", o, StringComparison.Ordinal));

        var second = await ApiProcess.StartAsync("after SIGTERM", "sqlite", connectionString, Api.AdminToken);
        _processes.Add(second);
        using var again = second.CreateClient(Api.AdminToken);
        var lost = new List<string>();
        foreach (var (precinct, revision) in acknowledged)
        {
            if (Api.Revision(await Api.GetJsonAsync(again, Api.PrecinctUri(precinct))) != revision) lost.Add(precinct);
        }

        Assert.True(lost.Count == 0, $"{lost.Count} acknowledged reports were lost by the shutdown: {string.Join(", ", lost.Take(10))}");
        Assert.InRange(Api.Reporting(await Api.GetJsonAsync(again, Api.ResultsUri)), acknowledged.Count, Reports);
    }
}
