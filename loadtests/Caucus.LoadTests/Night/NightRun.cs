using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Caucus.LoadTests.Framework;

namespace Caucus.LoadTests.Night;

/// <summary>A phase's scenarios and what they measured.</summary>
public sealed record PhaseResult(string Name, IReadOnlyList<ScenarioStats> Stats, (double? MachineBusy, double? ApiCores, double RunnerCores, double? ApiSeconds) Cpu);

/// <summary>Everything one caucus-night run measured and checked.</summary>
public sealed record NightResult(
    NightOptions Options, Uri Url, string StoreLabel, int ResultsBytes, DateTimeOffset StartedAt, string? LoadBefore, string? LoadAfter,
    IReadOnlyList<PhaseResult> Phases, IReadOnlyList<StreamDelays> Streams, IReadOnlyList<CheckResult> Checks)
{
    /// <summary>The API's resident memory (VmRSS) and peak (VmHWM) at moments of the run, when its pid is known.</summary>
    public IReadOnlyList<(string Moment, long RssKb, long PeakKb)> Memory { get; init; } = [];
    public IEnumerable<ScenarioStats> AllStats => Phases.SelectMany(p => p.Stats);
    public ScenarioStats? Find(string name) => AllStats.FirstOrDefault(s => s.Name == name);
}

/// <summary>
/// The caucus night, in order: the ceiling (bare Kestrel, same polling), then the reporting wave with hotline
/// double entry, war-room polling and the first set of stream listeners all at once, its checks, then the
/// one-second burst with the larger set of listeners, and its checks.
/// </summary>
public static class NightRun
{
    public static async Task<NightResult> RunAsync(NightOptions o, CancellationToken cancellationToken)
    {
        var runId = "lt" + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()[..4]);
        var token = o.Token ?? "lt-" + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());
        var dataDir = Directory.CreateTempSubdirectory("caucus-night-").FullName;
        await using var apis = new ChildProcesses();
        for (var i = 0; o.StartApi && i < o.Instances; i++)
        {
            var instanceDir = o.Instances == 1 ? dataDir : Directory.CreateDirectory(Path.Combine(dataDir, $"instance-{i + 1}")).FullName;
            var started = apis.Add(await ChildProcess.StartApiAsync(o.Store, o.Connection, token, instanceDir, cancellationToken));
            Console.WriteLine($"Started the API (pid {started.Pid}) at {started.Url} with its defaults, store {o.Store}; data and log in {instanceDir}");
        }

        var api = apis.All.Count > 0 ? apis.All[0] : null;
        IReadOnlyList<Uri> urls = api is not null ? [.. apis.All.Select(a => a.Url)] : [o.Url ?? throw new ArgumentException("Give --url or --start-api.")];
        var url = urls[0];
        // With several instances, the CPU figures are the first instance's.
        var apiPid = api?.Pid ?? o.ApiPid;

        var senders = urls.Select(u => Client(u, token, o.MaxInFlight)).ToArray();
        using var disposeSenders = new Disposables(senders);
        var admin = senders[0];
        var warroom = await IssueAsync(admin, "warroom", cancellationToken);
        var hotline = (await IssueAsync(admin, "hotline", cancellationToken), await IssueAsync(admin, "hotline", cancellationToken));
        using var reader = Client(url, warroom, o.MaxInFlight);
        var election = await Election.LoadAsync(admin, cancellationToken);
        var resultsBytes = (await reader.GetByteArrayAsync("api/v1/results", cancellationToken)).Length;
        var runner = new Runner(o.MaxInFlight, TimeSpan.FromSeconds(o.TimeoutSeconds));
        var phases = new List<PhaseResult>();
        var streams = new List<StreamDelays>();
        var checks = new List<CheckResult>();
        var startedAt = DateTimeOffset.UtcNow;
        var loadBefore = Machine.LoadAverage();
        var memory = new List<(string, long, long)>();
        void Memory(string moment) { if (Machine.Memory(apiPid) is { } m) memory.Add((moment, m.RssKb, m.PeakKb)); }

        // 1. The ceiling: the same polling against bare Kestrel serving bytes of the results document's size.
        await using (var ceiling = await ChildProcess.StartCeilingAsync(resultsBytes, dataDir, cancellationToken))
        {
            using var bare = Client(ceiling.Url, null, o.MaxInFlight);
            var during = TimeSpan.FromSeconds(o.CeilingSeconds);
            var warm = TimeSpan.FromSeconds(Math.Min(2, o.CeilingSeconds / 3));
            foreach (var scenario in new[]
            {
                NightScenarios.Polling("ceiling-200", bare, "", o.PollRate, during, warm, conditional: false),
                NightScenarios.Polling("ceiling-304", bare, "", o.PollRate, during, warm),
                NightScenarios.Polling("ceiling-burst", bare, "", election.Precincts.Length, TimeSpan.FromSeconds(1), conditional: false)
                    .WithPlotBucket(TimeSpan.FromMilliseconds(100)),
                NightScenarios.Polling("ceiling-max", bare, "", o.CeilingRate, during, warm),
            })
            {
                phases.Add(await RunPhaseAsync(runner, scenario.Name, [scenario], ceiling.Pid, cancellationToken));
            }
        }

        // 2. The reporting wave, with the hotline, the war room and the first listeners at once.
        var order = election.Precincts.ToArray();
        new Random(o.Seed).Shuffle(order);
        var hotlineCount = (int)Math.Round(order.Length * o.HotlineShare);
        var hotlinePrecincts = order[^hotlineCount..];
        var sender = new ReportSender(senders);
        var waveMinutes = TimeSpan.FromMinutes(o.WaveMinutes);
        await using (var listeners = new ListenerSets(urls, warroom, o.Listeners))
        {
            await listeners.ConnectAsync(TimeSpan.FromSeconds(30), cancellationToken);
            Console.WriteLine($"{listeners.ConnectedCount} of {listeners.Count} stream listeners connected.");
            var wave = NightScenarios.Wave("wave", election, order[..^hotlineCount], sender, runId, o.Seed, o.WaveMinutes, o.CorrectionShare, o.DuplicateShare);
            ScenarioProps[] night =
            [
                wave,
                NightScenarios.Hotline(election, hotlinePrecincts, sender, runId, o.Seed, hotline, o.WaveMinutes),
                NightScenarios.Polling("results-poll", reader, "api/v1/results", o.PollRate, waveMinutes),
                NightScenarios.Polling("projection-poll", reader, "api/v1/projection", o.ProjectionRate, waveMinutes),
            ];
            phases.Add(await RunPhaseAsync(runner, "night", night, apiPid, cancellationToken));
            // Measured beside the listeners' settling: both start at the quiet moment after the wave.
            var projection = ProjectionCatchUp.MeasureAsync(reader, "wave", sender.Acks.Max(a => a.AckTicks), cancellationToken);
            checks.AddRange(await SettleAsync(reader, listeners, cancellationToken));
            checks.Add(await projection);
            var acks = sender.Acks.ToList();
            var (audit, seqs) = await AuditCheck.RunAsync(admin, acks, acks.Select(a => a.Key).ToHashSet(StringComparer.Ordinal), runId, "wave and hotline", cancellationToken);
            checks.Add(audit);
            checks.AddRange(await AuditCheck.ReportingAsync(reader, hotlinePrecincts, cancellationToken));
            AddDelays(listeners, "wave", [.. acks.Where(a => seqs.ContainsKey(a.Key)).Select(a => (seqs[a.Key], a.AckTicks, a.Precinct))], streams, checks);
            Memory($"end of the night (wave checked, {o.Listeners} listeners attached)");
        }

        // 3. The burst: every precinct's report due within one second, with the larger set of listeners.
        var waveAcks = sender.Acks.ToList();
        var burstSender = new ReportSender(senders);
        await using (var listeners = new ListenerSets(urls, warroom, o.BurstListeners))
        {
            await listeners.ConnectAsync(TimeSpan.FromSeconds(60), cancellationToken);
            Console.WriteLine($"{listeners.ConnectedCount} of {listeners.Count} stream listeners connected.");
            phases.Add(await RunPhaseAsync(runner, "burst", [NightScenarios.Burst(election, burstSender, runId, o.Seed)], apiPid, cancellationToken));
            var projection = ProjectionCatchUp.MeasureAsync(reader, "burst", burstSender.Acks.Max(a => a.AckTicks), cancellationToken);
            checks.AddRange(await SettleAsync(reader, listeners, cancellationToken));
            checks.Add(await projection);
            var acks = burstSender.Acks.ToList();
            var all = waveAcks.Concat(acks).Select(a => a.Key).ToHashSet(StringComparer.Ordinal);
            var (audit, seqs) = await AuditCheck.RunAsync(admin, acks, all, runId, "burst", cancellationToken);
            checks.Add(audit);
            AddDelays(listeners, "burst", [.. acks.Where(a => seqs.ContainsKey(a.Key)).Select(a => (seqs[a.Key], a.AckTicks, a.Precinct))], streams, checks);
            Memory($"after the burst (checked, {o.BurstListeners} listeners attached)");
        }

        // 4. Sustained ingest (the throughput target): new revisions at a fixed rate over a fixed number of connections,
        //    with the first set of listeners attached; every acknowledged report checked, every listener at the end.
        if (o.IngestRate > 0)
        {
            // The same connections in all, shared between the instances.
            var ingestClients = urls.Select(u => Client(u, token, o.IngestConnections / 2 / urls.Count)).ToArray();
            using var disposeIngest = new Disposables(ingestClients);
            var ingestSender = new ReportSender(ingestClients);
            await using var listeners = new ListenerSets(urls, warroom, o.Listeners);
            await listeners.ConnectAsync(TimeSpan.FromSeconds(30), cancellationToken);
            Console.WriteLine($"{listeners.ConnectedCount} of {listeners.Count} stream listeners connected; ingest at {o.IngestRate}/s over {o.IngestConnections} connections.");
            phases.Add(await RunPhaseAsync(runner, "ingest", [NightScenarios.Ingest(election, ingestSender, runId, o.Seed, o.IngestRate,
                TimeSpan.FromSeconds(o.IngestSeconds))], apiPid, cancellationToken));
            checks.AddRange(await SettleAsync(reader, listeners, cancellationToken));
            var acks = ingestSender.Acks.ToList();
            var all = waveAcks.Concat(burstSender.Acks).Concat(acks).Select(a => a.Key).ToHashSet(StringComparer.Ordinal);
            var (audit, seqs) = await AuditCheck.RunAsync(admin, acks, all, runId, "sustained ingest", cancellationToken);
            checks.Add(audit);
            AddDelays(listeners, "ingest", [.. acks.Where(a => seqs.ContainsKey(a.Key)).Select(a => (seqs[a.Key], a.AckTicks, a.Precinct))], streams, checks);
            Memory($"after the sustained ingest (checked, {o.Listeners} listeners attached)");
        }

        if (urls.Count > 1)
        {
            var readers = urls.Select(u => Client(u, warroom, 16)).ToArray();
            using var disposeReaders = new Disposables(readers);
            checks.Add(await Instances.SameVersionAsync(readers, cancellationToken));
        }

        var label = (o.Store == "postgres" ? "PostgreSQL" : "SQLite") + (urls.Count > 1 ? $", {urls.Count} instances" : "");
        return new NightResult(o, url, label + (api is null ? $" (API at {url})" : " (API started by the run, shipped defaults)"), resultsBytes,
            startedAt, loadBefore, Machine.LoadAverage(), phases, streams, checks) { Memory = memory };
    }

    private static async Task<PhaseResult> RunPhaseAsync(Runner runner, string name, IReadOnlyList<ScenarioProps> scenarios, int? pid, CancellationToken cancellationToken)
    {
        var before = Machine.Sample(pid);
        var stats = await runner.RunAsync(name, scenarios, cancellationToken);
        return new PhaseResult(name, stats, Machine.Between(before, Machine.Sample(pid)));
    }

    /// <summary>The phase's delays table rows; with several instances, also the cross-instance check (p99 ≤ 100 ms, issue 25).</summary>
    private static void AddDelays(ListenerSets listeners, string phase, IReadOnlyList<(long Seq, long AckTicks, string Precinct)> reports,
        List<StreamDelays> streams, List<CheckResult> checks)
    {
        streams.AddRange(listeners.Delays(reports));
        if (listeners.Sets.Count > 1) checks.Add(listeners.CrossInstance(phase, reports, limitMs: 100));
    }

    /// <summary>After a phase: every connected listener of every instance must reach the results' current version (as the first instance serves it).</summary>
    private static async Task<IReadOnlyList<CheckResult>> SettleAsync(HttpClient reader, ListenerSets sets, CancellationToken cancellationToken)
    {
        var checks = new List<CheckResult>();
        for (var i = 0; i < sets.Sets.Count; i++)
        {
            var check = await SettleAsync(reader, sets.Sets[i], cancellationToken);
            checks.Add(sets.Sets.Count == 1 ? check : check with { Name = $"instance {i + 1}'s {check.Name}" });
        }

        return checks;
    }

    /// <summary>After a phase: every connected listener must reach the results' current version (bounded wait).</summary>
    private static async Task<CheckResult> SettleAsync(HttpClient reader, StreamListeners listeners, CancellationToken cancellationToken)
    {
        using var doc = JsonDocument.Parse(await reader.GetStringAsync("api/v1/results", cancellationToken));
        var version = doc.RootElement.GetProperty("version").GetInt64();
        var clock = Stopwatch.StartNew();
        var reached = await listeners.WaitForVersionAsync(version, TimeSpan.FromSeconds(30), cancellationToken);
        return new CheckResult($"{listeners.Name}: every listener reaches the final version", reached && listeners.ConnectedCount == listeners.Count,
            $"{listeners.ConnectedCount} of {listeners.Count} connected; version {version} {(reached ? $"reached by all within {clock.Elapsed.TotalSeconds:0.0} s after the phase" : "not reached by all within 30 s")}" +
            (listeners.Errors.Any() ? $"; errors: {string.Join(", ", listeners.Errors)}" : ""));
    }

    internal static async Task<string> IssueAsync(HttpClient admin, string role, CancellationToken cancellationToken)
    {
        using var response = await admin.PostAsJsonAsync("api/v1/admin/tokens", new { role }, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Created) throw new InvalidOperationException($"Issuing a {role} token answered {(int)response.StatusCode}: is the admin token right?");
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return doc.RootElement.GetProperty("token").GetString()!;
    }

    public static HttpClient Client(Uri url, string? bearer, int maxInFlight)
    {
        var client = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = Math.Max(16, maxInFlight * 2),
            PooledConnectionLifetime = TimeSpan.FromMinutes(10),
            ConnectTimeout = TimeSpan.FromSeconds(5),
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
        })
        {
            BaseAddress = url,
            Timeout = TimeSpan.FromSeconds(30), // the runner's own per-step timeout is shorter
            DefaultRequestVersion = HttpVersion.Version11,
        };
        if (bearer is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        return client;
    }
}

/// <summary>The API processes this run started (none against --url), stopped in reverse order.</summary>
internal sealed class ChildProcesses : IAsyncDisposable
{
    private readonly List<ChildProcess> processes = [];

    public IReadOnlyList<ChildProcess> All => processes;

    public ChildProcess Add(ChildProcess process)
    {
        processes.Add(process);
        return process;
    }

    public async ValueTask DisposeAsync()
    {
        for (var i = processes.Count - 1; i >= 0; i--) await processes[i].DisposeAsync();
    }
}

/// <summary>Disposes a run's clients together.</summary>
internal sealed class Disposables(IEnumerable<IDisposable> items) : IDisposable
{
    public void Dispose()
    {
        foreach (var item in items) item.Dispose();
    }
}
