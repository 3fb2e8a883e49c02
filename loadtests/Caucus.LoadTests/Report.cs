using System.Globalization;
using System.Text;

namespace Caucus.LoadTests;

internal sealed record ThresholdCheck(string Scenario, string What, string Limit, string Actual, bool Passed);

internal sealed record RunResult(
    Options Options,
    IReadOnlyList<(Scenario Scenario, ScenarioStats Stats)> Scenarios,
    IReadOnlyList<ThresholdCheck> Checks,
    (double? MachineBusy, double? ApiCores, double RunnerCores) Cpu,
    DateTimeOffset StartedAt,
    string? LoadAverageBefore)
{
    public bool Passed => Checks.All(c => c.Passed);
}

internal static class Report
{
    private static string Ms(double v) => double.IsFinite(v) ? v.ToString(v >= 100 ? "0" : v >= 10 ? "0.0" : "0.00", CultureInfo.InvariantCulture) : "–";

    public static IReadOnlyList<ThresholdCheck> Check(Options o, IEnumerable<ScenarioStats> all)
    {
        var checks = new List<ThresholdCheck>();
        foreach (var s in all)
        {
            if (o.MaxP99Ms is { } p99) checks.Add(new(s.Name, "p99 latency", $"≤ {p99} ms", $"{Ms(s.LatencyMs(99))} ms", s.LatencyMs(99) <= p99));
            if (o.MaxErrorRate is { } er) checks.Add(new(s.Name, "error rate", $"≤ {er:P2}", $"{s.ErrorRate:P2} ({s.Failed})", s.ErrorRate <= er));
            if (o.MinRpsShare is { } share) checks.Add(new(s.Name, "OK/s", $"≥ {share * s.TargetRate:0.#}", $"{s.OkPerSecond:0.#}", s.OkPerSecond >= share * s.TargetRate));
            if (s.Requests == 0) checks.Add(new(s.Name, "requests", "> 0", "0", false));
        }
        return checks;
    }

    /// <summary>The command line as run, with the token's value left out.</summary>
    public static string CommandLine(Options o)
    {
        var parts = new List<string> { "dotnet run -c Release --project loadtests/Caucus.LoadTests --" };
        for (var i = 0; i < o.Raw.Count; i++)
        {
            var a = o.Raw[i];
            parts.Add(a.Contains(' ', StringComparison.Ordinal) ? $"\"{a}\"" : a);
            if (a == "--token" && i + 1 < o.Raw.Count) { parts.Add("***"); i++; }
        }
        return string.Join(' ', parts);
    }

    public static string Console(RunResult run)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"{"scenario",-8} {"target/s",9} {"requests",9} {"errors",7} {"OK/s",8} {"p50 ms",8} {"p95 ms",8} {"p99 ms",8} {"max ms",8} {"svc p99",8} {"lag p99",8}");
        foreach (var (_, s) in run.Scenarios)
        {
            sb.AppendLine($"{s.Name,-8} {s.TargetRate,9:0.#} {s.Requests,9} {s.Failed,7} {s.OkPerSecond,8:0.0} {Ms(s.LatencyMs(50)),8} {Ms(s.LatencyMs(95)),8} {Ms(s.LatencyMs(99)),8} {Ms(s.MaxLatencyMs),8} {Ms(s.ServiceMs(99)),8} {Ms(s.SendLagMs(99)),8}");
            foreach (var (kind, n) in s.Errors) sb.AppendLine($"    error: {kind} × {n}");
        }
        if (run.Cpu.MachineBusy is { } busy) sb.Append($"CPU over the window: machine {busy:P0} busy");
        if (run.Cpu.ApiCores is { } api) sb.Append($", API {api:0.00} cores");
        sb.AppendLine($", runner {run.Cpu.RunnerCores:0.00} cores");
        foreach (var c in run.Checks) sb.AppendLine($"threshold {c.Scenario} {c.What} {c.Limit}: {c.Actual} {(c.Passed ? "ok" : "FAILED")}");
        sb.AppendLine(run.Passed ? "PASS" : "FAIL");
        return sb.ToString();
    }

    public static void Write(RunResult run, string path)
    {
        var o = run.Options;
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var pngName = Path.GetFileNameWithoutExtension(full) + ".png";
        var sb = new StringBuilder();
        sb.AppendLine($"# Load test: `{o.Scenario}`{(o.Label is null ? "" : $" — {o.Label}")}");
        sb.AppendLine();
        sb.AppendLine($"**{(run.Passed ? "PASS" : "FAIL")}** · {run.StartedAt:yyyy-MM-dd HH:mm} UTC · target {o.Url}");
        sb.AppendLine();
        sb.AppendLine("```");
        sb.AppendLine(CommandLine(o));
        sb.AppendLine("```");
        sb.AppendLine();
        sb.AppendLine($"Open model: fixed-rate injection for {o.DurationSeconds:0.#} s measured (after {o.WarmupSeconds:0.#} s of warm-up at the same rate, not counted); " +
            $"at most {o.MaxInFlight} requests in flight per scenario (requests over the cap are dropped and counted as errors); timeout {o.TimeoutSeconds:0.#} s; seed {o.Seed}. " +
            "Latency runs from each request's *intended* start (coordinated-omission corrected); *service* time runs from the actual send; " +
            "*send lag* is how late the runner sent requests after their due time (its timer granularity and CPU share; counted in latency, never hidden).");
        sb.AppendLine();
        sb.AppendLine("| scenario | target/s | requests | errors | error rate | OK/s achieved | p50 ms | p95 ms | p99 ms | max ms | service p50 ms | service p99 ms | send lag p50 / p99 ms | peak in flight |");
        sb.AppendLine("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
        foreach (var (_, s) in run.Scenarios)
        {
            sb.AppendLine($"| {s.Name} | {s.TargetRate:0.#} | {s.Requests} | {s.Failed} | {s.ErrorRate:P2} | {s.OkPerSecond:0.0} | {Ms(s.LatencyMs(50))} | {Ms(s.LatencyMs(95))} | " +
                $"{Ms(s.LatencyMs(99))} | {Ms(s.MaxLatencyMs)} | {Ms(s.ServiceMs(50))} | {Ms(s.ServiceMs(99))} | {Ms(s.SendLagMs(50))} / {Ms(s.SendLagMs(99))} | {s.PeakInFlight} |");
        }
        sb.AppendLine();

        sb.AppendLine("## Thresholds");
        sb.AppendLine();
        if (run.Checks.Count == 0) sb.AppendLine("None given (`--max-p99-ms`, `--max-error-rate`, `--min-rps-share`).");
        foreach (var c in run.Checks) sb.AppendLine($"- {c.Scenario}: {c.What} {c.Limit} → {c.Actual} — **{(c.Passed ? "ok" : "FAILED")}**");
        sb.AppendLine();

        sb.AppendLine("## Answers and errors by kind");
        sb.AppendLine();
        foreach (var (scenario, s) in run.Scenarios)
        {
            sb.AppendLine($"- **{s.Name}**: " + string.Join(", ", s.Outcomes.Select(e => $"{e.Key} × {e.Value}")) +
                (s.Errors.Any(e => e.Key.StartsWith("dropped", StringComparison.Ordinal)) ? $", {s.Errors.First(e => e.Key.StartsWith("dropped", StringComparison.Ordinal)).Value} dropped" : ""));
            if (s.Errors.Count > 0) sb.AppendLine($"  - errors: " + string.Join(", ", s.Errors.Select(e => $"{e.Key} × {e.Value}")));
            foreach (var note in scenario.Notes()) sb.AppendLine($"  - {note}");
        }
        sb.AppendLine();

        sb.AppendLine("## Machine");
        sb.AppendLine();
        foreach (var fact in Machine.Facts()) sb.AppendLine($"- {fact}");
        if (run.LoadAverageBefore is { } before) sb.AppendLine($"- Load average (1/5/15 min) before the run: {before}; after: {Machine.LoadAverage() ?? "?"}");
        sb.AppendLine("- The runner and the API share this machine (loopback), so the runner's own CPU is taken from the API's budget.");
        var cpu = new List<string>();
        if (run.Cpu.MachineBusy is { } busy) cpu.Add($"machine {busy:P0} busy (all cores, every process: other work on the machine counts here)");
        if (run.Cpu.ApiCores is { } api) cpu.Add($"API process {api:0.00} cores");
        cpu.Add($"runner {run.Cpu.RunnerCores:0.00} cores");
        sb.AppendLine($"- CPU over the measured window: {string.Join(", ", cpu)}.");
        sb.AppendLine();

        sb.AppendLine("## Latency over time");
        sb.AppendLine();
        sb.AppendLine($"![p99 and p50 latency per second]({pngName})");
        sb.AppendLine();
        sb.AppendLine("Per measured second, by intended start (bold lines p99, thin lines p50; red dashes: the p99 threshold).");
        sb.AppendLine();
        sb.AppendLine("<details><summary>Per-second table</summary>");
        sb.AppendLine();
        sb.AppendLine("| scenario | second | OK | errors | p50 ms | p99 ms | max ms |");
        sb.AppendLine("|---|--:|--:|--:|--:|--:|--:|");
        foreach (var (_, s) in run.Scenarios)
        {
            foreach (var r in s.PerSecond()) sb.AppendLine($"| {s.Name} | {r.Second} | {r.Ok} | {r.Failed} | {Ms(r.P50)} | {Ms(r.P99)} | {Ms(r.Max)} |");
        }
        sb.AppendLine();
        sb.AppendLine("</details>");
        File.WriteAllText(full, sb.ToString());

        (byte, byte, byte)[] colors = [(31, 119, 180), (255, 127, 14), (44, 160, 44)];
        var series = new List<PngChart.Series>();
        for (var i = 0; i < run.Scenarios.Count; i++)
        {
            var s = run.Scenarios[i].Stats;
            var rows = s.PerSecond();
            var color = colors[i % colors.Length];
            series.Add(new PngChart.Series($"{s.Name} p99", color, [.. rows.Select(r => ((double)r.Second, r.P99))]));
            var light = ((byte)((color.Item1 + 255) / 2), (byte)((color.Item2 + 255) / 2), (byte)((color.Item3 + 255) / 2));
            series.Add(new PngChart.Series($"{s.Name} p50", light, [.. rows.Select(r => ((double)r.Second, r.P50))], Thin: true));
        }
        var png = PngChart.LineChart($"{o.Scenario} latency per second", "second", "ms", series, o.MaxP99Ms);
        File.WriteAllBytes(Path.Combine(Path.GetDirectoryName(full)!, pngName), png);
    }
}
