using System.CommandLine;
using Caucus.LoadTests.Framework;
using Caucus.LoadTests.Night;
using Caucus.LoadTests.Public;

// Enough pool threads up front that a burst of overdue invocations does not wait for the pool to grow.
ThreadPool.GetMinThreads(out var workers, out var io);
ThreadPool.SetMinThreads(Math.Max(workers, 64), Math.Max(io, 64));

var url = new Option<Uri?>("--url")
{
    Description = "The API's base address (loopback only), when it is already running.",
    // System.CommandLine has no converter for Uri: parse it here, and refuse anything but an absolute http(s) address.
    CustomParser = r =>
    {
        var text = r.Tokens.Count > 0 ? r.Tokens[0].Value : null;
        if (text is not null && Uri.TryCreate(text.EndsWith('/') ? text : text + "/", UriKind.Absolute, out var parsed) && parsed.Scheme is "http" or "https") return parsed;
        r.AddError($"--url must be an absolute http(s) address, not '{text}'.");
        return null;
    },
};
url.Validators.Add(r =>
{
    if (r.GetValueOrDefault<Uri?>() is { } u && (!u.IsAbsoluteUri || !u.IsLoopback)) r.AddError("--url must be an absolute loopback address (127.0.0.1 or localhost): this runner only loads the local machine.");
});
var startApi = new Option<bool>("--start-api") { Description = "Start the built Release API (src/Caucus.Api/bin/Release) with its shipped defaults on a free loopback port, with a fresh SQLite file in a temp folder (or --store postgres)." };
var store = new Option<string>("--store") { Description = "With --start-api: sqlite (default) or postgres.", DefaultValueFactory = _ => "sqlite" };
store.AcceptOnlyFromAmong("sqlite", "postgres");
var connection = new Option<string?>("--connection") { Description = "With --store postgres: the connection string (its database should be empty; see loadtests/postgres.sh)." };
var instances = new Option<int>("--instances") { Description = "With --start-api --store postgres: API instances on the one database; reports split between them by precinct, listeners attached to each.", DefaultValueFactory = _ => 1 };
instances.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 1 or > 4) r.AddError("--instances must be between 1 and 4."); });
var token = new Option<string?>("--token") { Description = "Admin token (default: env CAUCUS_ADMIN_TOKEN; with --start-api a random one).", DefaultValueFactory = _ => Environment.GetEnvironmentVariable("CAUCUS_ADMIN_TOKEN") };
var waveMinutes = new Option<double>("--wave-minutes") { Description = "Length of the reporting wave (ramp, peak, tail), compressed from the night's.", DefaultValueFactory = _ => 2 };
var corrections = new Option<double>("--correction-share") { Description = "Corrections, as a share of first reports.", DefaultValueFactory = _ => 0.05 };
var duplicates = new Option<double>("--duplicate-share") { Description = "Duplicate retries (same Idempotency-Key and body), as a share of first reports.", DefaultValueFactory = _ => 0.10 };
var hotlineShare = new Option<double>("--hotline-share") { Description = "Share of precincts phoned in through the hotline with double entry.", DefaultValueFactory = _ => 0.05 };
var pollRate = new Option<int>("--poll-rate") { Description = "War-room results GETs per second during the wave (and the ceiling's rate for 200s and 304s).", DefaultValueFactory = _ => 100 };
var projectionRate = new Option<int>("--projection-rate") { Description = "Projection GETs per second during the wave.", DefaultValueFactory = _ => 20 };
var listeners = new Option<int>("--listeners") { Description = "Stream listeners attached during the wave.", DefaultValueFactory = _ => 200 };
var burstListeners = new Option<int>("--burst-listeners") { Description = "Stream listeners attached during the burst.", DefaultValueFactory = _ => 2000 };
var ceilingSeconds = new Option<double>("--ceiling-seconds") { Description = "Measured seconds of each ceiling scenario.", DefaultValueFactory = _ => 10 };
var ceilingRate = new Option<int>("--ceiling-rate") { Description = "Rate of ceiling-max (304s against bare Kestrel): what the machine answers at all.", DefaultValueFactory = _ => 4000 };
var ingestRate = new Option<int>("--ingest-rate") { Description = "After the burst: sustained ingest at this many reports a second (0: skip), with --listeners attached.", DefaultValueFactory = _ => 0 };
var ingestSeconds = new Option<double>("--ingest-seconds") { Description = "Length of the sustained ingest.", DefaultValueFactory = _ => 10 };
var ingestConnections = new Option<int>("--ingest-connections") { Description = "Connections the sustained ingest uses.", DefaultValueFactory = _ => 32 };
var seed = new Option<int>("--seed") { Description = "Seed for precinct order, tallies and retries.", DefaultValueFactory = _ => 2020 };
var maxInFlight = new Option<int>("--max-in-flight") { Description = "Concurrency cap per scenario; invocations over it are dropped and count as errors.", DefaultValueFactory = _ => 2048 };
var timeout = new Option<double>("--timeout") { Description = "Per-invocation timeout in seconds.", DefaultValueFactory = _ => 10 };
var thresholds = new Option<FileInfo?>("--thresholds") { Description = "Thresholds file (loadtests/thresholds/full.json or smoke.json): the run exits 1 when one fails." };
thresholds.Validators.Add(r => { if (r.GetValueOrDefault<FileInfo?>() is { Exists: false } f) r.AddError($"{f.FullName} does not exist."); });
var report = new Option<string?>("--report") { Description = "Write a Markdown report here (and its SVG latency plots beside it)." };
var label = new Option<string?>("--label") { Description = "A note for the report." };
var apiPid = new Option<int?>("--api-pid") { Description = "With --url: the API's process id, to report its CPU use." };

foreach (var (option, low, high) in new[] { (corrections, 0.0, 1.0), (duplicates, 0.0, 1.0), (hotlineShare, 0.0, 0.5) })
{
    option.Validators.Add(r => { if (r.GetValueOrDefault<double>() is var v && (v < low || v > high)) r.AddError($"{option.Name} must be between {low} and {high}."); });
}
foreach (var option in new[] { waveMinutes, ceilingSeconds, timeout, ingestSeconds })
{
    option.Validators.Add(r => { if (r.GetValueOrDefault<double>() is var v && (v <= 0 || v > 60)) r.AddError($"{option.Name} must be above 0 and at most 60."); });
}
foreach (var option in new[] { pollRate, projectionRate, listeners, burstListeners, ceilingRate, maxInFlight })
{
    option.Validators.Add(r => { if (r.GetValueOrDefault<int>() is var v && (v < 1 || v > 20_000)) r.AddError($"{option.Name} must be between 1 and 20000."); });
}

var night = new Command("night", "The caucus-night run: the ceiling, the reporting wave with hotline double entry, war-room polling and stream listeners, then the one-second burst; checks afterwards; thresholds fail the run (exit 1).")
{
    url, startApi, store, connection, instances, token, waveMinutes, corrections, duplicates, hotlineShare, pollRate, projectionRate, listeners, burstListeners,
    ceilingSeconds, ceilingRate, ingestRate, ingestSeconds, ingestConnections, seed, maxInFlight, timeout, thresholds, report, label, apiPid,
};
night.Validators.Add(r =>
{
    if (r.GetValue(startApi) == (r.GetValue(url) is not null)) r.AddError("Give exactly one of --url and --start-api.");
    if (r.GetValue(store) == "postgres" && string.IsNullOrEmpty(r.GetValue(connection))) r.AddError("--store postgres needs --connection.");
    if (r.GetValue(instances) > 1 && (!r.GetValue(startApi) || r.GetValue(store) != "postgres")) r.AddError("--instances above 1 needs --start-api --store postgres (instances share the database).");
    if (!r.GetValue(startApi) && string.IsNullOrEmpty(r.GetValue(token))) r.AddError("Against --url the run needs the admin token: --token or CAUCUS_ADMIN_TOKEN.");
});
night.SetAction(async (parse, cancellationToken) =>
{
    var options = new NightOptions
    {
        Url = parse.GetValue(url), StartApi = parse.GetValue(startApi), Store = parse.GetValue(store)!, Connection = parse.GetValue(connection),
        Instances = parse.GetValue(instances),
        Token = parse.GetValue(startApi) ? null : parse.GetValue(token),
        WaveMinutes = parse.GetValue(waveMinutes), CorrectionShare = parse.GetValue(corrections), DuplicateShare = parse.GetValue(duplicates),
        HotlineShare = parse.GetValue(hotlineShare), PollRate = parse.GetValue(pollRate), ProjectionRate = parse.GetValue(projectionRate),
        Listeners = parse.GetValue(listeners), BurstListeners = parse.GetValue(burstListeners), CeilingSeconds = parse.GetValue(ceilingSeconds),
        CeilingRate = parse.GetValue(ceilingRate), IngestRate = parse.GetValue(ingestRate), IngestSeconds = parse.GetValue(ingestSeconds),
        IngestConnections = parse.GetValue(ingestConnections), Seed = parse.GetValue(seed), MaxInFlight = parse.GetValue(maxInFlight), TimeoutSeconds = parse.GetValue(timeout),
        ThresholdsPath = parse.GetValue(thresholds)?.FullName, ReportPath = parse.GetValue(report), Label = parse.GetValue(label), ApiPid = parse.GetValue(apiPid),
        Raw = args,
    };
    var limits = options.ThresholdsPath is { } path ? Thresholds.Load(path) : Thresholds.None;
    NightResult result;
    try
    {
        result = await NightRun.RunAsync(options, cancellationToken);
    }
    catch (Exception e) when (e is InvalidOperationException or HttpRequestException)
    {
        Console.Error.WriteLine($"The run could not go on: {e.Message}");
        return 2;
    }
    var checks = NightReport.Check(result, limits);
    Console.Write(NightReport.Console(result, checks));
    if (options.ReportPath is { } reportPath)
    {
        NightReport.Write(result, checks, reportPath);
        Console.WriteLine($"Report: {Path.GetFullPath(reportPath)}");
    }
    return checks.All(c => c.Passed) ? 0 : 1;
});

var proxy = new Option<string>("--proxy") { Description = "The nginx binary to run in front of the API (Debian's: apt-get install nginx).", DefaultValueFactory = _ => "/usr/sbin/nginx" };
var proxyConfig = new Option<string?>("--proxy-config") { Description = "The nginx config to run (default: deploy/nginx-public.conf); only its upstream, listen address and paths are substituted." };
var publicRate = new Option<int>("--rate") { Description = "Public reads per second through the proxy (open model).", DefaultValueFactory = _ => 20_000 };
var publicSeconds = new Option<double>("--seconds") { Description = "Length of the read phase.", DefaultValueFactory = _ => 30 };
var reportRate = new Option<int>("--report-rate") { Description = "Reports posted per second through the proxy during the read phase (so the versions move).", DefaultValueFactory = _ => 20 };
var counties = new Option<int>("--counties") { Description = "County documents read.", DefaultValueFactory = _ => 4 };
var precincts = new Option<int>("--precincts") { Description = "Precinct documents read (one per county, the first counties; they are reported first).", DefaultValueFactory = _ => 4 };
var staleSeconds = new Option<double>("--stale-seconds") { Description = "How long the proxy is read after the API is killed (more than max-age + stale-while-revalidate).", DefaultValueFactory = _ => 20 };
var publicInFlight = new Option<int>("--max-in-flight") { Description = "Concurrency cap of the readers; invocations over it are dropped and count as errors.", DefaultValueFactory = _ => 4096 };
var connections = new Option<int>("--connections") { Description = "Keep-alive connections the readers share.", DefaultValueFactory = _ => 256 };
connections.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 16 or > 20_000) r.AddError("--connections must be between 16 and 20000."); });
var publicReport = new Option<string?>("--report") { Description = "Write a Markdown report here." };
publicRate.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 1 or > 200_000) r.AddError("--rate must be between 1 and 200000."); });
publicSeconds.Validators.Add(r => { if (r.GetValueOrDefault<double>() is <= 0 or > 600) r.AddError("--seconds must be above 0 and at most 600."); });
foreach (var option in new[] { counties, precincts })
{
    option.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 0 or > 50) r.AddError($"{option.Name} must be between 0 and 50."); });
}
staleSeconds.Validators.Add(r => { if (r.GetValueOrDefault<double>() is <= 0 or > 600) r.AddError("--stale-seconds must be above 0 and at most 600."); });
reportRate.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 1 or > 1000) r.AddError("--report-rate must be between 1 and 1000."); });
var publicCommand = new Command("public", "Public readers through the shipped nginx proxy (deploy/nginx-public.conf) on loopback, the Release API started with Caucus:PublicResults: how many requests reach the API per document, then the API killed and the proxy's stale answers checked. Exit 1 when the stale-if-error check or a check fails.")
{
    startApi, proxy, proxyConfig, publicRate, publicSeconds, reportRate, counties, precincts, staleSeconds, publicInFlight, connections, timeout, seed, publicReport, label,
};
publicCommand.Validators.Add(r => { if (!r.GetValue(startApi)) r.AddError("public needs --start-api: it kills the API to check stale-if-error, so it runs its own."); });
publicCommand.SetAction(async (parse, cancellationToken) =>
{
    var options = new PublicOptions
    {
        Nginx = parse.GetValue(proxy)!, Config = parse.GetValue(proxyConfig) ?? Path.Combine(ChildProcess.RepoRoot(), "deploy", "nginx-public.conf"),
        Rate = parse.GetValue(publicRate), Seconds = parse.GetValue(publicSeconds), ReportRate = parse.GetValue(reportRate), Counties = parse.GetValue(counties),
        Precincts = parse.GetValue(precincts), StaleSeconds = parse.GetValue(staleSeconds), MaxInFlight = parse.GetValue(publicInFlight), Connections = parse.GetValue(connections),
        TimeoutSeconds = parse.GetValue(timeout), Seed = parse.GetValue(seed), ReportPath = parse.GetValue(publicReport), Label = parse.GetValue(label), Raw = args,
    };
    PublicResult result;
    try
    {
        result = await PublicRun.RunAsync(options, cancellationToken);
    }
    catch (Exception e) when (e is InvalidOperationException or HttpRequestException or System.ComponentModel.Win32Exception)
    {
        Console.Error.WriteLine($"The run could not go on: {e.Message}");
        return 2;
    }
    var markdown = PublicRun.Markdown(result);
    Console.Write(markdown);
    if (options.ReportPath is { } reportPath)
    {
        File.WriteAllText(reportPath, markdown);
        Console.WriteLine($"Report: {Path.GetFullPath(reportPath)}");
    }
    return result.Passed ? 0 : 1;
});

var count = new Option<int>("--count") { Description = "Stream listeners to hold on the one instance.", DefaultValueFactory = _ => 10_000 };
var perSource = new Option<int>("--per-source") { Description = "Listeners per warroom credential and per loopback source address (127.0.0.2, …): under the API's shipped 2,500 of each.", DefaultValueFactory = _ => 2_000 };
var maxRss = new Option<double>("--max-rss-mb") { Description = "The API's RSS bound at the end.", DefaultValueFactory = _ => 200 };
count.Validators.Add(r => { if (r.GetValueOrDefault<int>() is var v && (v < 1 || v > 50_000)) r.AddError("--count must be between 1 and 50000."); });
perSource.Validators.Add(r => { if (r.GetValueOrDefault<int>() is var v && (v < 1 || v > 2_500)) r.AddError("--per-source must be between 1 and 2500 (the API's shipped stream limits)."); });
var listenersCommand = new Command("listeners", "Many stream listeners on one instance: --count listeners over several credentials and loopback source addresses, then the one-second burst; " +
    "every listener must reach the final version within 1 s of the last 201 and the API's RSS stay under --max-rss-mb (exit 1 otherwise).")
{
    url, startApi, store, connection, token, apiPid, count, perSource, maxRss, seed, report,
};
listenersCommand.Validators.Add(r =>
{
    if (r.GetValue(startApi) == (r.GetValue(url) is not null)) r.AddError("Give exactly one of --url and --start-api.");
    if (r.GetValue(store) == "postgres" && string.IsNullOrEmpty(r.GetValue(connection))) r.AddError("--store postgres needs --connection.");
});
listenersCommand.SetAction(async (parse, cancellationToken) =>
{
    var options = new ListenersOptions
    {
        Url = parse.GetValue(url), StartApi = parse.GetValue(startApi), Store = parse.GetValue(store)!, Connection = parse.GetValue(connection),
        Token = parse.GetValue(startApi) ? null : parse.GetValue(token), ApiPid = parse.GetValue(apiPid), Count = parse.GetValue(count),
        PerSource = parse.GetValue(perSource), MaxRssMb = parse.GetValue(maxRss), Seed = parse.GetValue(seed), ReportPath = parse.GetValue(report), Raw = args,
    };
    try
    {
        return await ListenersRun.RunAsync(options, cancellationToken);
    }
    catch (Exception e) when (e is InvalidOperationException or HttpRequestException)
    {
        Console.Error.WriteLine($"The run could not go on: {e.Message}");
        return 2;
    }
});

var port = new Option<int>("--port") { Required = true };
var bytes = new Option<int>("--bytes") { Required = true };
var ceilingServer = new Command("ceiling-server", "Bare Kestrel serving fixed bytes on GET / (started by `night` as the ceiling).") { port, bytes };
ceilingServer.Hidden = true;
ceilingServer.SetAction((parse, _) => CeilingServer.RunAsync(parse.GetValue(port), parse.GetValue(bytes)));

var root = new RootCommand("Caucus.LoadTests — open-model load runner for the Caucus API (loopback only). See loadtests/README.md.") { night, publicCommand, listenersCommand, ceilingServer };
return await root.Parse(args).InvokeAsync();
