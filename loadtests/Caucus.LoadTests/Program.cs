using System.Diagnostics;
using System.Net.Http.Headers;
using Caucus.LoadTests;

Options options;
try
{
    options = Options.Parse(args);
}
catch (UsageException e)
{
    if (e.Message.Length > 0) Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(Options.Usage);
    return e.Message.Length == 0 ? 0 : 2;
}

// Enough pool threads up front that a burst of overdue requests does not wait for the pool to grow.
ThreadPool.GetMinThreads(out var workers, out var io);
ThreadPool.SetMinThreads(Math.Max(workers, 64), Math.Max(io, 64));

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
using var client = Runner.CreateClient(options);
if (!string.IsNullOrEmpty(options.Token)) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.Token);

try
{
    using var health = await client.GetAsync("healthz", cancel.Token);
    if (!health.IsSuccessStatusCode) throw new HttpRequestException($"/healthz answered {(int)health.StatusCode}");
}
catch (HttpRequestException e)
{
    Console.Error.WriteLine($"The API at {options.Url} is not ready ({e.Message}). Start it first; see loadtests/README.md.");
    return 2;
}
if (string.IsNullOrEmpty(options.Token) && options.Scenario is "ingest" or "mixed")
{
    Console.Error.WriteLine("Ingest needs an admin token: --token or CAUCUS_ADMIN_TOKEN.");
    return 2;
}

List<Scenario> scenarios = options.Scenario switch
{
    "ingest" => [new IngestScenario(options.Rate, options)],
    "results" => [new ResultsScenario(options.Rate)],
    _ => [new IngestScenario(options.Rate, options), new ResultsScenario(options.ReadRate ?? options.Rate * 4)],
};
foreach (var s in scenarios) await s.InitAsync(client, cancel.Token);

var startedAt = DateTimeOffset.UtcNow;
var loadBefore = Machine.LoadAverage();
Console.WriteLine($"Running {string.Join(" + ", scenarios.Select(s => $"{s.Name} at {s.Rate:0.#}/s"))} for {options.WarmupSeconds:0.#} s warm-up + {options.DurationSeconds:0.#} s against {options.Url} …");
var runner = new Runner(client, options);
var start = Stopwatch.GetTimestamp() + Stopwatch.Frequency / 20;
var measureStart = start + (long)(options.WarmupSeconds * Stopwatch.Frequency);
var cpuAtStart = Task.Run(async () =>
{
    var wait = (measureStart - Stopwatch.GetTimestamp()) * 1000 / Stopwatch.Frequency;
    if (wait > 0) await Task.Delay(TimeSpan.FromMilliseconds(wait));
    return Machine.Sample(options.ApiPid);
});
var runs = scenarios.Select(s => runner.RunAsync(s, start, cancel.Token)).ToArray();
var cpuAtEnd = Task.Run(async () =>
{
    var wait = (measureStart + (long)(options.DurationSeconds * Stopwatch.Frequency) - Stopwatch.GetTimestamp()) * 1000 / Stopwatch.Frequency;
    if (wait > 0) await Task.Delay(TimeSpan.FromMilliseconds(wait));
    return Machine.Sample(options.ApiPid);
});
var stats = await Task.WhenAll(runs);
var cpu = Machine.Between(await cpuAtStart, await cpuAtEnd);

var result = new RunResult(options, [.. scenarios.Zip(stats)], Report.Check(options, stats), cpu, startedAt, loadBefore);
Console.Write(Report.Console(result));
if (options.ReportPath is { } path)
{
    Report.Write(result, path);
    Console.WriteLine($"Report: {Path.GetFullPath(path)}");
}
return result.Passed ? 0 : 1;
