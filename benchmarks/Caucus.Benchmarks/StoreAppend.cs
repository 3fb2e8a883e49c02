using System.Diagnostics;
using System.Globalization;
using Caucus.Api.Storage;

namespace Caucus.Benchmarks;

/// <summary>
/// Not a BenchmarkDotNet benchmark: the store's append path alone, closed loop, on a real database (no HTTP, no
/// follower). <c>store-append --connection CS [--reports N] [--callers C]</c> appends N keyed revisions over 1,765
/// precincts from C concurrent callers through <see cref="PostgresCaucusStore"/> and prints reports/s, the append
/// latency, the commits and this process's CPU per report. Give it an empty database (loadtests/postgres.sh reset).
/// </summary>
public static class StoreAppend
{
    public static async Task<int> RunAsync(string[] args)
    {
        string? connection = null;
        int reports = 20_000, callers = 256;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--connection": connection = args[i + 1]; break;
                case "--reports": reports = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--callers": callers = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                default: Console.Error.WriteLine($"Unknown option {args[i]}"); return 2;
            }
        }

        if (connection is null)
        {
            Console.Error.WriteLine("usage: store-append --connection CS [--reports N] [--callers C]");
            return 2;
        }

        await using var store = new PostgresCaucusStore(connection);
        await store.InitializeAsync();
        var at = DateTimeOffset.UtcNow;
        var revisions = Enumerable.Range(0, reports).Select(i =>
        {
            var body = $$"""{"attendees":{{40 + i % 200}},"first":{"A":{{i % 17}},"B":{{i % 23}}},"note":"store-append {{i}}"}""";
            return new NewRevision($"bench/p-{i % 1765}", "official", "bench", at, $"k-{i}", Hashing.Sha256Hex(body), body);
        }).ToArray();

        var latencies = new double[reports];
        var next = -1;
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var commitsBefore = store.CommittedTransactions;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, callers).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < reports)
            {
                var start = Stopwatch.GetTimestamp();
                if (await store.AppendRevisionAsync(revisions[i]) is not AppendOutcome.Appended) throw new InvalidOperationException($"Report {i} was not appended.");
                latencies[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }
        })));
        var seconds = clock.Elapsed.TotalSeconds;
        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds;
        var commits = store.CommittedTransactions - commitsBefore;
        Array.Sort(latencies);
        double P(double p) => latencies[Math.Clamp((int)Math.Ceiling(p / 100 * reports) - 1, 0, reports - 1)];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{reports} reports, {callers} callers: {reports / seconds:0} reports/s in {seconds:0.00} s; append p50 {P(50):0.0} / p99 {P(99):0.0} / max {P(100):0.0} ms; " +
            $"{commits} commits ({(double)reports / commits:0.0} reports each); this process {cpu / reports:0.000} ms CPU per report"));
        return 0;
    }
}
