using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Caucus.LoadTests.Framework;
using Caucus.LoadTests.Night;

namespace Caucus.LoadTests.Public;

public sealed class PublicOptions
{
    public required string Nginx { get; init; }
    public required string Config { get; init; }
    public int Rate { get; init; } = 20_000;
    public double Seconds { get; init; } = 30;
    public int ReportRate { get; init; } = 20;
    public int Counties { get; init; } = 4;
    public int Precincts { get; init; } = 4;
    public double StaleSeconds { get; init; } = 20;
    public int MaxInFlight { get; init; } = 4096;
    public int Connections { get; init; } = 256;
    public double TimeoutSeconds { get; init; } = 10;
    public int Seed { get; init; } = 2020;
    public string? ReportPath { get; init; }
    public string? Label { get; init; }
    public required string[] Raw { get; init; }
}

/// <summary>One public document: its path and which API route serves it (the /metrics label).</summary>
public sealed record PublicDocument(string Path, string Route);

/// <summary>Requests the API answered for one route during the read phase, by status, from its own /metrics.</summary>
public sealed record RouteCount(string Route, int Documents, long Ok200, long NotModified304, long Other, double Seconds)
{
    public long Total => Ok200 + NotModified304 + Other;
    public double PerSecondPerDocument => Seconds <= 0 || Documents == 0 ? 0 : Total / Seconds / Documents;
}

public sealed record StaleCheck(bool Passed, long ServedVersion, long LastVersion, int Reads, int Ok, IReadOnlyDictionary<string, int> Outcomes, double Seconds, string Detail);

public sealed record PublicResult(PublicOptions Options, DateTimeOffset StartedAt, string? LoadBefore, string? LoadAfter, IReadOnlyList<PublicDocument> Documents,
    IReadOnlyList<ScenarioStats> Stats, IReadOnlyList<RouteCount> Routes, double ApiCores, double NginxCores, double RunnerCores, double? MachineBusy,
    StaleCheck Stale, string NginxVersion, IReadOnlyList<CheckResult> Checks)
{
    public bool Passed => Stale.Passed && Checks.All(c => c.Passed);
}

/// <summary>
/// The public results feed through the shipped nginx config, for real on loopback: the Release API with
/// Caucus:PublicResults on (shipped defaults otherwise), nginx on <c>deploy/nginx-public.conf</c> with only the upstream,
/// the listen address and the paths substituted, public readers at <see cref="PublicOptions.Rate"/> through it over
/// results, a few counties, a few precincts, flags and the projection, while reports are posted through it at a
/// modest rate so the versions move. What reached the API comes from the API's own /metrics
/// (http.server.request.duration's count per route and status). Then the API is killed and the proxy must keep
/// answering 200 with the last results (stale-if-error).
/// </summary>
public static class PublicRun
{
    public static async Task<PublicResult> RunAsync(PublicOptions o, CancellationToken cancellationToken)
    {
        var startedAt = DateTimeOffset.UtcNow;
        var loadBefore = Machine.LoadAverage();
        var token = "lt-" + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());
        var dataDir = Directory.CreateTempSubdirectory("caucus-public-").FullName;
        var api = await ChildProcess.StartApiAsync("sqlite", null, token, dataDir, cancellationToken,
            new Dictionary<string, string> { ["Caucus__PublicResults"] = "true" });
        try
        {
            Console.WriteLine($"Started the API (pid {api.Pid}) at {api.Url} with its defaults and Caucus:PublicResults on; data and logs in {dataDir}");
            var proxyUrl = new Uri($"http://127.0.0.1:{ChildProcess.FreeLoopbackPort()}/");
            var config = WriteConfig(o.Config, api.Url, proxyUrl, dataDir);
            await using var nginx = await ChildProcess.StartNginxAsync(o.Nginx, config, proxyUrl, dataDir, cancellationToken);
            Console.WriteLine($"Started nginx (pid {nginx.Pid}) at {proxyUrl} on {config}");

            using var direct = NightRun.Client(api.Url, token, 64);
            using var admin = NightRun.Client(proxyUrl, token, 64);
            // The readers share a bounded pool of keep-alive connections (a request waits for one in the pool, its wait
            // counted in its latency): opening thousands of connections under a backlog costs both sides CPU for nothing.
            using var readers = NightRun.Client(proxyUrl, null, Math.Max(8, o.Connections / 2));
            var election = await Election.LoadAsync(direct, cancellationToken);
            var documents = await DocumentsAsync(direct, o, cancellationToken);
            await WaitForProjectionAsync(direct, cancellationToken);

            // The reports: the tracked precincts first (so their documents move), then the rest in a seeded order.
            var random = new Random(o.Seed);
            var tracked = documents.Where(d => d.Route == PrecinctRoute).Select(d => Uri.UnescapeDataString(d.Path[PrecinctPrefix.Length..])).ToList();
            var order = election.Precincts.Except(tracked).ToArray();
            random.Shuffle(order);
            var reportCount = (int)Math.Ceiling(o.ReportRate * o.Seconds);
            var plan = tracked.Concat(order).Take(reportCount).Select((p, i) => (Precinct: p, Key: $"pub-{i}", Body: election.Body(random, "official"))).ToArray();
            var sender = new ReportSender(admin);

            var during = TimeSpan.FromSeconds(o.Seconds);
            var warmUp = TimeSpan.FromSeconds(Math.Min(3, o.Seconds / 5));
            var read = Scenario.Create("public-read", async context =>
            {
                var document = documents[(int)(context.InvocationNumber % documents.Count)];
                using var response = await readers.GetAsync(document.Path, HttpCompletionOption.ResponseContentRead, context.ScenarioCancellationToken);
                var cache = response.Headers.TryGetValues("X-Cache-Status", out var values) ? values.FirstOrDefault() : null;
                var kind = $"{(int)response.StatusCode} {cache ?? "-"}";
                return response.StatusCode == HttpStatusCode.OK ? Response.Ok(kind) : Response.Fail(kind);
            }).WithLoadSimulations(Simulation.Inject(o.Rate, TimeSpan.FromSeconds(1), during)).WithWarmUpDuration(warmUp);
            var reports = Scenario.Create("reports", async context =>
            {
                if (context.InvocationNumber >= plan.Length) return Response.Ok("none left");
                var item = plan[context.InvocationNumber];
                var sent = await sender.PostAsync(item.Precinct, item.Key, item.Body, null, context.ScenarioCancellationToken);
                return sent.Status == HttpStatusCode.Created ? Response.Ok("201") : Response.Fail(((int)sent.Status).ToString(CultureInfo.InvariantCulture));
            }).WithLoadSimulations(Simulation.Inject(o.ReportRate, TimeSpan.FromSeconds(1), during)).WithWarmUpDuration(warmUp);

            var before = await RouteCountsAsync(direct, cancellationToken);
            var cpuBefore = (Machine.Sample(api.Pid), TreeJiffies(nginx.Pid));
            var clock = Stopwatch.StartNew();
            var runner = new Runner(o.MaxInFlight, TimeSpan.FromSeconds(o.TimeoutSeconds));
            var stats = await runner.RunAsync("public", [read, reports], cancellationToken);
            var seconds = clock.Elapsed.TotalSeconds;
            var cpuAfter = (Machine.Sample(api.Pid), TreeJiffies(nginx.Pid));
            var after = await RouteCountsAsync(direct, cancellationToken);
            var (machineBusy, apiCores, runnerCores, _) = Machine.Between(cpuBefore.Item1, cpuAfter.Item1);
            var nginxCores = (cpuAfter.Item2 - cpuBefore.Item2) / 100.0 / seconds;
            var routes = documents.GroupBy(d => d.Route).Select(g =>
            {
                long Delta(string status) => after.GetValueOrDefault((g.Key, status)) - before.GetValueOrDefault((g.Key, status));
                var others = after.Where(a => a.Key.Route == g.Key && a.Key.Status is not ("200" or "304")).Sum(a => a.Value)
                    - before.Where(b => b.Key.Route == g.Key && b.Key.Status is not ("200" or "304")).Sum(b => b.Value);
                return new RouteCount(g.Key, g.Count(), Delta("200"), Delta("304"), others, seconds);
            }).ToList();

            var checks = await ProxyChecksAsync(readers, admin, cancellationToken);
            var stale = await StaleIfErrorAsync(api, direct, readers, documents, o.StaleSeconds, cancellationToken);
            return new PublicResult(o, startedAt, loadBefore, Machine.LoadAverage(), documents, stats, routes, apiCores ?? 0, nginxCores, runnerCores, machineBusy,
                stale, NginxVersion(o.Nginx), checks);
        }
        finally
        {
            await api.DisposeAsync();
        }
    }

    private const string PrecinctRoute = "/api/v1/precincts/{id}";
    private const string PrecinctPrefix = "api/v1/precincts/";

    /// <summary>
    /// The deploy file with only what a loopback run must change: the upstream (the one API started here), the listen
    /// address, and the cache, log and pid paths (into the run's temp folder). Each must be found, so a changed deploy
    /// file fails the run instead of running something else.
    /// </summary>
    public static string WriteConfig(string deployConfig, Uri api, Uri proxy, string dataDir)
    {
        var text = File.ReadAllText(deployConfig);
        string Once(string input, string pattern, string replacement)
        {
            var regex = new Regex(pattern, RegexOptions.Multiline);
            if (!regex.IsMatch(input)) throw new InvalidOperationException($"{deployConfig} has no line matching {pattern}: update PublicRun.WriteConfig with the deploy file.");
            var first = true;
            return regex.Replace(input, _ =>
            {
                var r = first ? replacement : "";
                first = false;
                return r;
            });
        }
        text = Once(text, @"^(\s*)server api-\d+:8080;", $"        server {api.Host}:{api.Port};");
        text = Once(text, @"listen 80;", $"listen {proxy.Host}:{proxy.Port};");
        text = Once(text, @"/var/cache/nginx/caucus", Path.Combine(dataDir, "nginx-cache"));
        text = Once(text, @"^pid .*;", $"pid {Path.Combine(dataDir, "nginx.pid")};");
        text = text.Replace("/var/log/nginx/", dataDir + "/", StringComparison.Ordinal);
        var path = Path.Combine(dataDir, "nginx-public.conf");
        File.WriteAllText(path, text);
        // Started as root, nginx's workers run as nobody: they must reach the cache inside the (0700) temp folder.
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(dataDir, (UnixFileMode)Convert.ToInt32("755", 8));
        return path;
    }

    private static async Task<List<PublicDocument>> DocumentsAsync(HttpClient api, PublicOptions o, CancellationToken cancellationToken)
    {
        using var precincts = JsonDocument.Parse(await api.GetStringAsync("api/v1/precincts", cancellationToken));
        var list = precincts.RootElement.EnumerateArray().Select(p => (Id: p.GetProperty("id").GetString()!, County: p.GetProperty("county").GetString()!)).ToList();
        var counties = list.Select(p => p.County).Distinct().Order(StringComparer.Ordinal).Take(o.Counties).ToList();
        var chosen = counties.Select(c => list.First(p => p.County == c).Id).Take(o.Precincts).ToList();
        return
        [
            new("api/v1/results", "/api/v1/results"),
            .. counties.Select(c => new PublicDocument("api/v1/results/counties/" + Uri.EscapeDataString(c), "/api/v1/results/counties/{county}")),
            .. chosen.Select(id => new PublicDocument(PrecinctPrefix + Uri.EscapeDataString(id), PrecinctRoute)),
            new("api/v1/flags", "/api/v1/flags"),
            new("api/v1/projection", "/api/v1/projection"),
        ];
    }

    private static async Task WaitForProjectionAsync(HttpClient api, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(120))
        {
            using var response = await api.GetAsync("api/v1/projection", cancellationToken);
            if (response.StatusCode == HttpStatusCode.OK) return;
            await Task.Delay(200, cancellationToken);
        }
        throw new InvalidOperationException("The first projection was not ready within 120 s.");
    }

    private static readonly Regex CountLine = new(
        @"^http_server_request_duration_seconds_count\{(?<labels>.*)\}\s+(?<value>\d+)", RegexOptions.Multiline | RegexOptions.CultureInvariant);
    private static readonly Regex Label = new(@"(?<name>\w+)=""(?<value>[^""]*)""", RegexOptions.CultureInvariant);

    /// <summary>The API's own count of answered requests per (route, status), from its Prometheus scrape.</summary>
    public static async Task<Dictionary<(string Route, string Status), long>> RouteCountsAsync(HttpClient api, CancellationToken cancellationToken)
    {
        var text = await api.GetStringAsync("metrics", cancellationToken);
        var counts = new Dictionary<(string, string), long>();
        foreach (Match m in CountLine.Matches(text))
        {
            var labels = Label.Matches(m.Groups["labels"].Value).ToDictionary(l => l.Groups["name"].Value, l => l.Groups["value"].Value, StringComparer.Ordinal);
            if (!labels.TryGetValue("http_route", out var route) || !labels.TryGetValue("http_response_status_code", out var status)) continue;
            var key = (route.Length > 1 ? route.TrimEnd('/') : route, status); // a group's own route ends in '/'

            counts[key] = counts.GetValueOrDefault(key) + long.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture);
        }
        if (counts.Count == 0) throw new InvalidOperationException("The API's /metrics has no http_server_request_duration_seconds_count by route.");
        return counts;
    }

    /// <summary>
    /// The last results version the API counted, seen through the proxy; then the API killed; then every document read
    /// through the proxy for <paramref name="seconds"/> (longer than max-age + stale-while-revalidate, so what is served
    /// at the end is served because of the error): each must be 200, and the results the last version.
    /// </summary>
    private static async Task<StaleCheck> StaleIfErrorAsync(ChildProcess api, HttpClient direct, HttpClient proxy, IReadOnlyList<PublicDocument> documents,
        double seconds, CancellationToken cancellationToken)
    {
        using var current = JsonDocument.Parse(await direct.GetStringAsync("api/v1/results", cancellationToken));
        var last = current.RootElement.GetProperty("version").GetInt64();
        var wait = Stopwatch.StartNew();
        long seen = -1;
        while (wait.Elapsed < TimeSpan.FromSeconds(30) && seen != last)
        {
            seen = await ResultsVersionAsync(proxy, cancellationToken) ?? -1;
            if (seen != last) await Task.Delay(200, cancellationToken);
        }
        if (seen != last) return new StaleCheck(false, seen, last, 0, 0, new Dictionary<string, int>(), 0, "the proxy never served the API's last version before the API was stopped");
        foreach (var d in documents) (await proxy.GetAsync(d.Path, cancellationToken)).Dispose();

        var pid = api.Pid;
        await api.DisposeAsync();
        Console.WriteLine($"Killed the API (pid {pid}) at results version {last}; reading through the proxy for {seconds} s");
        var outcomes = new Dictionary<string, int>(StringComparer.Ordinal);
        int reads = 0, ok = 0;
        long served = last;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(seconds))
        {
            foreach (var d in documents)
            {
                using var response = await proxy.GetAsync(d.Path, cancellationToken);
                var body = await response.Content.ReadAsStringAsync(cancellationToken);
                var cache = response.Headers.TryGetValues("X-Cache-Status", out var values) ? values.FirstOrDefault() : "-";
                var kind = $"{(int)response.StatusCode} {cache}";
                outcomes[kind] = outcomes.GetValueOrDefault(kind) + 1;
                reads++;
                if (response.StatusCode == HttpStatusCode.OK) ok++;
                if (d.Path == "api/v1/results" && response.StatusCode == HttpStatusCode.OK)
                {
                    using var doc = JsonDocument.Parse(body);
                    var version = doc.RootElement.GetProperty("version").GetInt64();
                    if (version != last) served = version;
                }
            }
            await Task.Delay(250, cancellationToken);
        }
        var apiDown = true;
        try { (await direct.GetAsync("healthz", cancellationToken)).Dispose(); apiDown = false; }
        catch (HttpRequestException) { }
        var passed = apiDown && reads > 0 && ok == reads && served == last;
        var detail = !apiDown ? "the API still answered after it was killed"
            : $"{ok} of {reads} reads answered 200 over {clock.Elapsed.TotalSeconds:0} s after the API was killed; results at version {served} (the last counted: {last})";
        return new StaleCheck(passed, served, last, reads, ok, outcomes, clock.Elapsed.TotalSeconds, detail);
    }

    /// <summary>
    /// What the config promises beside the rates: a made-up query string is still answered from the cache (it cannot
    /// send each request to the API), and a request with a token goes past the cache (BYPASS) and is answered private.
    /// </summary>
    private static async Task<IReadOnlyList<CheckResult>> ProxyChecksAsync(HttpClient anonymous, HttpClient withToken, CancellationToken cancellationToken)
    {
        static string? Header(HttpResponseMessage r, string name) => r.Headers.TryGetValues(name, out var v) ? string.Join(", ", v) : null;
        (await anonymous.GetAsync("api/v1/results", cancellationToken)).Dispose();
        using var busted = await anonymous.GetAsync($"api/v1/results?nocache={Guid.NewGuid():N}", cancellationToken);
        var bustedStatus = Header(busted, "X-Cache-Status");
        using var authed = await withToken.GetAsync("api/v1/results", cancellationToken);
        var authedStatus = Header(authed, "X-Cache-Status");
        var authedControl = authed.Headers.CacheControl?.ToString();
        return
        [
            new("a made-up query string is answered from the cache", busted.StatusCode == HttpStatusCode.OK && bustedStatus is "HIT" or "UPDATING" or "STALE",
                $"{(int)busted.StatusCode} {bustedStatus}"),
            new("a request with a token goes past the cache and is answered private", authed.StatusCode == HttpStatusCode.OK && authedStatus == "BYPASS"
                && authedControl?.Contains("private", StringComparison.Ordinal) == true, $"{(int)authed.StatusCode} {authedStatus}, Cache-Control: {authedControl}"),
        ];
    }

    private static async Task<long?> ResultsVersionAsync(HttpClient proxy, CancellationToken cancellationToken)
    {
        using var response = await proxy.GetAsync("api/v1/results", cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK) return null;
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return doc.RootElement.GetProperty("version").GetInt64();
    }

    /// <summary>utime + stime of a process and its children (nginx's master and workers), in jiffies.</summary>
    private static long TreeJiffies(int pid)
    {
        long total = 0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var candidate)) continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var after = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                var parent = int.Parse(after[1], CultureInfo.InvariantCulture);
                if (candidate == pid || parent == pid) total += long.Parse(after[11], CultureInfo.InvariantCulture) + long.Parse(after[12], CultureInfo.InvariantCulture);
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        return total;
    }

    private static string NginxVersion(string nginx)
    {
        try
        {
            using var p = Process.Start(new ProcessStartInfo(nginx, "-v") { RedirectStandardError = true, UseShellExecute = false })!;
            var text = p.StandardError.ReadToEnd().Trim();
            p.WaitForExit();
            return text;
        }
        catch (System.ComponentModel.Win32Exception) { return nginx; }
    }

    public static string Markdown(PublicResult r)
    {
        var o = r.Options;
        var read = r.Stats.First(s => s.Name == "public-read");
        var sb = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        sb.AppendLine("# Public reads through the shipped nginx proxy (issue 25, item 5)").AppendLine();
        sb.AppendLine(inv, $"Run {r.StartedAt:yyyy-MM-dd HH:mm} UTC. The Release API with its shipped defaults and `Caucus:PublicResults` on (so the public documents carry `public, max-age=1, stale-while-revalidate=10, stale-if-error=3600`, the `Caucus:PublicCache` defaults), SQLite; "
            + $"nginx ({r.NginxVersion}) on `deploy/nginx-public.conf` with only the upstream, the listen address and the paths substituted; all on loopback.").AppendLine();
        if (o.Label is { } label) sb.AppendLine(inv, $"Note: {label}").AppendLine();
        sb.AppendLine("```sh");
        sb.AppendLine("dotnet build -c Release src/Caucus.Api && dotnet build -c Release loadtests/Caucus.LoadTests");
        sb.AppendLine("dotnet loadtests/Caucus.LoadTests/bin/Release/net10.0/Caucus.LoadTests.dll " + string.Join(' ', o.Raw.Select(a => a.Contains(' ', StringComparison.Ordinal) ? $"\"{a}\"" : a)));
        sb.AppendLine("```").AppendLine();
        sb.AppendLine(inv, $"Public readers (no token, plain GETs, open model) at {o.Rate:N0} requests/s for {o.Seconds:0.#} s over {r.Documents.Count} documents in turn "
            + $"({string.Join(", ", r.Documents.Select(d => $"`/{Uri.UnescapeDataString(d.Path)}`"))}) on at most {o.Connections} keep-alive connections; reports posted through the proxy (passed through, admin token) at {o.ReportRate}/s so the versions move.").AppendLine();
        sb.AppendLine("## Through the proxy").AppendLine();
        sb.AppendLine("| scenario | target/s | OK/s | p50 ms | p99 ms | max ms | errors |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var s in r.Stats)
        {
            sb.AppendLine(inv, $"| {s.Name} | {s.TargetRate:N0} | {s.OkPerSecond:N0} | {s.LatencyMs(50):0.0} | {s.LatencyMs(99):0.0} | {s.MaxLatencyMs:0.0} | {s.ErrorRate:P2} |");
        }
        sb.AppendLine().AppendLine(inv, $"Answers seen by the readers (status and nginx's `X-Cache-Status`): {string.Join(", ", read.Outcomes.Select(x => $"{x.Key}: {x.Value:N0}"))}.");
        if (read.Errors.Count > 0) sb.AppendLine().AppendLine(inv, $"Errors: {string.Join(", ", read.Errors.Select(x => $"{x.Key}: {x.Value:N0}"))}.");
        sb.AppendLine().AppendLine(inv, $"Send lag p99 (the runner starting an invocation late): {read.SendLagMs(99):0.0} ms; service time p99 {read.ServiceMs(99):0.0} ms.");
        sb.AppendLine().AppendLine("## What reached the API").AppendLine();
        sb.AppendLine("Counted by the API itself (`/metrics`, `http_server_request_duration_seconds_count` by route and status) over the read phase, warm-up included:").AppendLine();
        sb.AppendLine("| route | documents | 200 | 304 | other | requests/s per document |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|");
        foreach (var c in r.Routes)
        {
            sb.AppendLine(inv, $"| `{c.Route}` | {c.Documents} | {c.Ok200:N0} | {c.NotModified304:N0} | {c.Other:N0} | {c.PerSecondPerDocument:0.00} |");
        }
        var total = r.Routes.Sum(c => c.Total);
        var secs = r.Routes.Count > 0 ? r.Routes[0].Seconds : 0;
        sb.AppendLine().AppendLine(inv, $"In all {total:N0} requests reached the API in {secs:0.0} s ({total / Math.Max(1, secs):0.0}/s) for {read.Ok:N0} answered to the readers in the measured window.");
        sb.AppendLine().AppendLine("## CPU during the read phase (share of one core)").AppendLine();
        sb.AppendLine(inv, $"- runner (the readers' client): {r.RunnerCores:0.00}");
        sb.AppendLine(inv, $"- nginx (master and workers): {r.NginxCores:0.00}");
        sb.AppendLine(inv, $"- API: {r.ApiCores:0.00}");
        if (r.MachineBusy is { } busy) sb.AppendLine(inv, $"- machine busy: {busy:P0} of {Environment.ProcessorCount} cores");
        if (read.OkPerSecond > 0)
        {
            var perRead = FormattableString.Invariant($"Per answered read: runner {r.RunnerCores / read.OkPerSecond * 1e6:0} µs of CPU, nginx {r.NginxCores / read.OkPerSecond * 1e6:0} µs ")
                + FormattableString.Invariant($"(so one core of each would carry about {read.OkPerSecond / Math.Max(1e-9, r.RunnerCores):N0} and {read.OkPerSecond / Math.Max(1e-9, r.NginxCores):N0} reads/s). ");
            var reached = read.OkPerSecond >= 0.95 * read.TargetRate ? "The target rate was reached."
                : FormattableString.Invariant($"The readers reached {read.OkPerSecond:N0} of the {read.TargetRate:N0} reads/s asked: ")
                  + (r.MachineBusy is > 0.95 ? "the machine was fully busy, so the limit is CPU the runner and nginx did not get." : "see the CPU shares above for which side ran out.");
            sb.AppendLine().AppendLine(perRead + reached);
        }
        sb.AppendLine().AppendLine("## The API stopped: stale-if-error").AppendLine();
        sb.AppendLine(inv, $"**{(r.Stale.Passed ? "Passed" : "FAILED")}**: {r.Stale.Detail}. Answers: {string.Join(", ", r.Stale.Outcomes.Select(x => $"{x.Key}: {x.Value}"))}.");
        sb.AppendLine().AppendLine("## Checks").AppendLine();
        foreach (var c in r.Checks) sb.AppendLine(inv, $"- {(c.Passed ? "passed" : "FAILED")}: {c.Name} ({c.Detail})");
        sb.AppendLine().AppendLine("## Machine").AppendLine();
        foreach (var fact in Machine.Facts()) sb.AppendLine(inv, $"- {fact}");
        sb.AppendLine(inv, $"- Load average before: {r.LoadBefore}; after: {r.LoadAfter}");
        return sb.ToString();
    }
}
