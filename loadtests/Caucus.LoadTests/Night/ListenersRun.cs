using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Caucus.LoadTests.Framework;

namespace Caucus.LoadTests.Night;

/// <summary>The `listeners` run's settings (bound from the command line in Program.cs).</summary>
public sealed record ListenersOptions
{
    public Uri? Url { get; init; }
    public bool StartApi { get; init; }
    public string Store { get; init; } = "sqlite";
    public string? Connection { get; init; }
    public string? Token { get; init; }
    public int? ApiPid { get; init; }
    public int Count { get; init; } = 10_000;
    /// <summary>Listeners per credential and per source address: under the API's shipped 2,500 of each.</summary>
    public int PerSource { get; init; } = 2_000;
    public double MaxFinalDelayMs { get; init; } = 1_000;
    public double MaxRssMb { get; init; } = 200;
    public int Seed { get; init; } = 2020;
    public string? ReportPath { get; init; }
    public IReadOnlyList<string> Raw { get; init; } = [];
}

/// <summary>
/// Many stream listeners on one instance (issue 25, item 4): <c>Count</c> listeners spread over several warroom
/// credentials and loopback source addresses (127.0.0.2, 127.0.0.3, …) so that the API's shipped per-credential and
/// per-address stream limits hold, then the burst (a report for every precinct due within one second), then: was every
/// listener at the final version within <c>MaxFinalDelayMs</c> of the last 201, and the API's RSS under <c>MaxRssMb</c>.
/// </summary>
public static class ListenersRun
{
    public static async Task<int> RunAsync(ListenersOptions o, CancellationToken cancellationToken)
    {
        if (Machine.OpenFilesLimit() is { } limit && limit < o.Count + 1_000)
        {
            Console.Error.WriteLine($"Open-files limit {limit} is too low for {o.Count} listeners (the runner and the API each hold one per listener): " +
                "raise it (`ulimit -n 65536`; loadtests/listeners.sh does).");
            return 2;
        }
        var runId = "ll" + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()[..4]);
        var token = o.Token ?? "lt-" + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());
        var dataDir = Directory.CreateTempSubdirectory("caucus-listeners-").FullName;
        await using var api = o.StartApi ? await ChildProcess.StartApiAsync(o.Store, o.Connection, token, dataDir, cancellationToken) : null;
        var url = api?.Url ?? o.Url ?? throw new ArgumentException("Give --url or --start-api.");
        var apiPid = api?.Pid ?? o.ApiPid;
        if (api is not null) Console.WriteLine($"Started the API (pid {api.Pid}) at {url} with its defaults, store {o.Store}; data and log in {dataDir}");

        using var admin = NightRun.Client(url, token, 2048);
        var sources = (o.Count + o.PerSource - 1) / o.PerSource;
        var tokens = new List<string>();
        for (var i = 0; i < sources; i++) tokens.Add(await NightRun.IssueAsync(admin, "warroom", cancellationToken));
        var addresses = Enumerable.Range(2, sources).Select(i => IPAddress.Parse($"127.0.0.{i}")).ToList();
        var election = await Election.LoadAsync(admin, cancellationToken);
        var memory = new List<(string Moment, long RssKb, long PeakKb)>();
        void Memory(string moment) { if (Machine.Memory(apiPid) is { } m) memory.Add((moment, m.RssKb, m.PeakKb)); }
        var loadBefore = Machine.LoadAverage();
        var startedAt = DateTimeOffset.UtcNow;
        Memory("before the listeners");

        await using var listeners = new StreamListeners(url, tokens, addresses, o.Count);
        var connectClock = Stopwatch.StartNew();
        var cpuConnect = Machine.Sample(apiPid);
        await listeners.ConnectAsync(TimeSpan.FromMinutes(3), cancellationToken);
        var connectSeconds = connectClock.Elapsed.TotalSeconds;
        var connectCpu = Machine.Between(cpuConnect, Machine.Sample(apiPid));
        Console.WriteLine($"{listeners.ConnectedCount} of {o.Count} stream listeners connected in {connectSeconds:0.0} s over {sources} credentials and {sources} source addresses.");
        Memory($"{listeners.ConnectedCount} listeners connected, before the burst");

        var sender = new ReportSender(admin);
        var runner = new Runner(2048, TimeSpan.FromSeconds(10));
        var cpuBurst = Machine.Sample(apiPid);
        var stats = (await runner.RunAsync("burst", [NightScenarios.Burst(election, sender, runId, o.Seed)], cancellationToken))[0];
        var acks = sender.Acks.ToList();
        var lastAck = acks.Count == 0 ? Stopwatch.GetTimestamp() : acks.Max(a => a.AckTicks);
        // The final version is the highest commit seq among the acknowledged reports (read back from the audit trail).
        var (audit, seqs) = await AuditCheck.RunAsync(admin, acks, acks.Select(a => a.Key).ToHashSet(StringComparer.Ordinal), runId, "burst", cancellationToken);
        var version = seqs.Count == 0 ? 0 : seqs.Values.Max();
        var reached = await listeners.WaitForVersionAsync(version, TimeSpan.FromSeconds(60), cancellationToken);
        var burstCpu = Machine.Between(cpuBurst, Machine.Sample(apiPid));
        Memory($"after the burst, every listener at the final version ({listeners.ConnectedCount} attached)");

        var delays = StreamDelays.Compute(listeners, [.. acks.Where(a => seqs.ContainsKey(a.Key)).Select(a => (seqs[a.Key], a.AckTicks))]);
        var afterLast = FinalAfterLastAck(listeners, version, lastAck);
        var runnerRss = Machine.Memory(Environment.ProcessId);

        // Without the API's pid (--url without --api-pid) there is no RSS to check: say so rather than pass.
        var end = memory.Count > 0 ? memory[^1] : (Moment: "", RssKb: long.MaxValue, PeakKb: long.MaxValue);
        var checks = new List<CheckResult>
        {
            new("every listener connected", listeners.ConnectedCount == o.Count, $"{listeners.ConnectedCount} of {o.Count}" + (listeners.Errors.Any() ? $"; errors: {string.Join(", ", listeners.Errors)}" : "")),
            new($"every listener at the final version (v{version}) within {o.MaxFinalDelayMs:0} ms of the last 201", reached && afterLast <= o.MaxFinalDelayMs,
                reached ? $"the slowest {afterLast:0} ms after the last 201" : "not all within 60 s"),
            new("no listener missed a report's version", delays.Missed == 0, $"{delays.Missed} of {delays.Reports} reports missed by some listener"),
            audit,
            new($"API RSS under {o.MaxRssMb:0} MB at the end", end.RssKb / 1024.0 < o.MaxRssMb, memory.Count > 0 ? $"{end.RssKb / 1024.0:0.0} MB (peak {end.PeakKb / 1024.0:0.0} MB)" : "unknown: give --api-pid with --url"),
        };
        var passed = checks.All(c => c.Passed);

        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"# {o.Count:N0} stream listeners on one instance — {(o.Store == "postgres" ? "PostgreSQL" : "SQLite")}{(api is null ? $" (API at {url})" : " (API started by the run, shipped defaults)")}");
        sb.AppendLine();
        sb.AppendLine(CultureInfo.InvariantCulture, $"**{(passed ? "PASS" : "FAIL")}** · {startedAt:yyyy-MM-dd HH:mm} UTC");
        sb.AppendLine();
        sb.AppendLine("```");
        sb.AppendLine(NightReport.CommandLine(new NightOptions { Raw = o.Raw }));
        sb.AppendLine("```");
        sb.AppendLine();
        sb.AppendLine(CultureInfo.InvariantCulture, $"{o.Count:N0} listeners on `GET /api/v1/stream`, in this one runner process, spread over {sources} warroom credentials and {sources} loopback source addresses " +
            $"({string.Join(", ", addresses)}; at most {o.PerSource:N0} on each, under the API's shipped `StreamsPerCredential` / `StreamsPerAddress` of 2,500). " +
            $"Then the burst: a report for each of the {election.Precincts.Length:N0} precincts and satellites, all due within one second.");
        sb.AppendLine();
        sb.AppendLine("| listeners | connected | connect s | reports | slowest p50 ms | slowest p99 ms | slowest max ms | final version | final after last 201, slowest ms | missed | events received |");
        sb.AppendLine("|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
        sb.AppendLine(CultureInfo.InvariantCulture, $"| {o.Count} | {delays.Connected} | {connectSeconds:0.0} | {delays.Reports} | {delays.P50Ms:0} | {delays.P99Ms:0} | {delays.MaxMs:0} | {version} | {afterLast:0} | {delays.Missed} | {delays.EventsReceived:N0} |");
        sb.AppendLine();
        sb.AppendLine("Delay of a report = from its 201 at the runner to the first `results` event whose id is at least the report's commit seq, at the *slowest* listener; percentiles over reports.");
        sb.AppendLine();
        sb.AppendLine(CultureInfo.InvariantCulture, $"Burst: {stats.Requests} reports, {stats.Failed} errors, {stats.OkPerSecond:0} OK/s, p50 {stats.LatencyMs(50):0} ms, p99 {stats.LatencyMs(99):0} ms, max {stats.MaxLatencyMs:0} ms.");
        sb.AppendLine();
        sb.AppendLine("## API memory");
        sb.AppendLine();
        sb.AppendLine("| moment | RSS MB | peak RSS MB |");
        sb.AppendLine("|---|--:|--:|");
        foreach (var (moment, rss, peak) in memory) sb.AppendLine(CultureInfo.InvariantCulture, $"| {moment} | {rss / 1024.0:0.0} | {peak / 1024.0:0.0} |");
        if (runnerRss is { } r) sb.AppendLine(CultureInfo.InvariantCulture, $"| (the runner itself, holding the listeners, at the end) | {r.RssKb / 1024.0:0.0} | {r.PeakKb / 1024.0:0.0} |");
        sb.AppendLine();
        sb.AppendLine("## Checks");
        sb.AppendLine();
        foreach (var c in checks) sb.AppendLine($"- {(c.Passed ? "ok" : "**FAILED**")} — {c.Name}: {c.Detail}");
        sb.AppendLine();
        sb.AppendLine("## Machine");
        sb.AppendLine();
        foreach (var fact in Machine.Facts()) sb.AppendLine($"- {fact}");
        sb.AppendLine($"- Open-files limit of the runner (the API inherits it): {Machine.OpenFilesLimit()?.ToString(CultureInfo.InvariantCulture) ?? "?"}");
        sb.AppendLine($"- Load average (1/5/15 min) before: {loadBefore ?? "?"}; after: {Machine.LoadAverage() ?? "?"}");
        sb.AppendLine(CultureInfo.InvariantCulture, $"- CPU while connecting: machine {connectCpu.MachineBusy:P0} busy, API {connectCpu.ApiCores:0.00} cores, runner {connectCpu.RunnerCores:0.00} cores");
        sb.AppendLine(CultureInfo.InvariantCulture, $"- CPU from the burst to every listener at the final version: machine {burstCpu.MachineBusy:P0} busy, API {burstCpu.ApiCores:0.00} cores, runner {burstCpu.RunnerCores:0.00} cores");
        var text = sb.ToString();
        Console.Write(text);
        if (o.ReportPath is { } path)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            File.WriteAllText(path, text);
            Console.WriteLine($"Report: {Path.GetFullPath(path)}");
        }
        return passed ? 0 : 1;
    }

    /// <summary>Milliseconds from the last 201 to the moment the slowest listener had a results event at <paramref name="version"/> or newer (0 if all had it before).</summary>
    private static double FinalAfterLastAck(StreamListeners listeners, long version, long lastAckTicks)
    {
        double slowest = 0;
        foreach (var l in listeners.All.Where(l => l.Connected))
        {
            (long Ticks, long Version)[] events;
            lock (l) events = [.. l.Events];
            var at = events.FirstOrDefault(e => e.Version >= version);
            if (at.Ticks == 0) return double.PositiveInfinity;
            slowest = Math.Max(slowest, (at.Ticks - lastAckTicks) * 1000.0 / Stopwatch.Frequency);
        }
        return slowest;
    }
}
