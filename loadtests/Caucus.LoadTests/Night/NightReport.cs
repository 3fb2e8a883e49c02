using System.Globalization;
using System.Text;
using Caucus.LoadTests.Framework;

namespace Caucus.LoadTests.Night;

/// <summary>Thresholds against a run, the console summary, and the Markdown report with its SVG plots.</summary>
public static class NightReport
{
    private static string Ms(double v) => double.IsFinite(v) ? v.ToString(v >= 100 ? "0" : v >= 10 ? "0.0" : "0.00", CultureInfo.InvariantCulture) : "–";
    private static string Ratio(double a, double b) => double.IsFinite(a) && double.IsFinite(b) && b > 0 ? (a / b).ToString(a / b >= 10 ? "0" : "0.0", CultureInfo.InvariantCulture) + "×" : "–";

    /// <summary>Which ceiling a scenario is read against: the burst against the bare burst, everything else against bare 200s at the polling rate.</summary>
    public static string CeilingOf(string scenario) => scenario == "burst" ? "ceiling-burst" : "ceiling-200";

    public static IReadOnlyList<ThresholdCheck> Check(NightResult run, Thresholds thresholds)
    {
        var checks = new List<ThresholdCheck>();
        foreach (var (name, limits) in thresholds.Scenarios)
        {
            if (run.Find(name) is not { } s) { checks.Add(new(name, "scenario", "run", "not run", false)); continue; }
            if (limits.MaxP99Ms is { } p99) checks.Add(new(name, "p99 latency", $"≤ {p99} ms", $"{Ms(s.LatencyMs(99))} ms", s.LatencyMs(99) <= p99));
            if (limits.MaxErrorRate is { } er) checks.Add(new(name, "error rate", $"≤ {er:P2}", $"{s.ErrorRate:P2} ({s.Failed})", s.ErrorRate <= er));
            if (limits.MinRpsShare is { } share) checks.Add(new(name, "OK/s", $"≥ {share * s.TargetRate:0.#}", $"{s.OkPerSecond:0.#}", s.OkPerSecond >= share * s.TargetRate));
        }
        foreach (var (name, limits) in thresholds.Streams)
        {
            if (run.Streams.FirstOrDefault(d => d.Name == name) is not { } d) { checks.Add(new(name, "listeners", "run", "not run", false)); continue; }
            if (limits.MaxDelayP99Ms is { } p99) checks.Add(new(name, "slowest-listener delay p99", $"≤ {p99} ms", $"{Ms(d.P99Ms)} ms", d.P99Ms <= p99));
            if (limits.MaxFinalDelayMs is { } fin) checks.Add(new(name, "final version at the slowest listener", $"≤ {fin} ms", $"{Ms(d.FinalSlowestMs)} ms", d.FinalSlowestMs <= fin));
            if (limits.MinConnectedShare is { } c) checks.Add(new(name, "connected", $"≥ {c:P0}", $"{d.Connected}/{d.Listeners}", d.Connected >= c * d.Listeners));
            checks.Add(new(name, "reports missed by a listener", "0", $"{d.Missed}", d.Missed == 0));
        }
        foreach (var c in run.Checks) checks.Add(new("check", c.Name, "holds", c.Passed ? "yes" : "no", c.Passed));
        return checks;
    }

    /// <summary>The command as run, with the token left out.</summary>
    public static string CommandLine(NightOptions o)
    {
        var parts = new List<string> { "dotnet run -c Release --project loadtests/Caucus.LoadTests --" };
        for (var i = 0; i < o.Raw.Count; i++)
        {
            var a = o.Raw[i];
            parts.Add(a.Contains(' ', StringComparison.Ordinal) || a.Contains(';', StringComparison.Ordinal) ? $"\"{a}\"" : a);
            if (a == "--token" && i + 1 < o.Raw.Count) { parts.Add("***"); i++; }
        }
        return string.Join(' ', parts);
    }

    public static string Console(NightResult run, IReadOnlyList<ThresholdCheck> checks)
    {
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"{"scenario",-16} {"target/s",9} {"requests",9} {"errors",7} {"OK/s",8} {"p50 ms",8} {"p99 ms",8} {"max ms",8} {"p99/ceil",9}");
        foreach (var s in run.AllStats)
        {
            var ceiling = run.Find(CeilingOf(s.Name));
            sb.AppendLine(CultureInfo.InvariantCulture, $"{s.Name,-16} {s.TargetRate,9:0.#} {s.Requests,9} {s.Failed,7} {s.OkPerSecond,8:0.0} {Ms(s.LatencyMs(50)),8} {Ms(s.LatencyMs(99)),8} {Ms(s.MaxLatencyMs),8} {(s.Name.StartsWith("ceiling", StringComparison.Ordinal) ? "" : Ratio(s.LatencyMs(99), ceiling?.LatencyMs(99) ?? double.NaN)),9}");
            foreach (var (kind, n) in s.Errors) sb.AppendLine(CultureInfo.InvariantCulture, $"    error: {kind} × {n}");
        }
        foreach (var d in run.Streams)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"{d.Name}: {d.Connected}/{d.Listeners} connected, {d.Reports} reports, slowest-listener delay p50 {Ms(d.P50Ms)} / p99 {Ms(d.P99Ms)} / max {Ms(d.MaxMs)} ms, final version {d.FinalVersion} at the slowest after {Ms(d.FinalSlowestMs)} ms, missed {d.Missed}");
        }
        foreach (var (moment, rss, peak) in run.Memory) sb.AppendLine(CultureInfo.InvariantCulture, $"API memory, {moment}: RSS {rss / 1024.0:0.0} MB, peak {peak / 1024.0:0.0} MB");
        foreach (var c in checks.Where(c => !c.Passed || c.Subject == "check")) sb.AppendLine($"{(c.Passed ? "ok    " : "FAILED")} {c.Subject}: {c.What} {c.Limit} → {c.Actual}");
        sb.AppendLine(checks.All(c => c.Passed) ? "PASS" : $"FAIL ({checks.Count(c => !c.Passed)} of {checks.Count} thresholds and checks failed)");
        return sb.ToString();
    }

    public static void Write(NightResult run, IReadOnlyList<ThresholdCheck> checks, string path)
    {
        var o = run.Options;
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(dir);
        var stem = Path.GetFileNameWithoutExtension(full);
        var passed = checks.All(c => c.Passed);
        var maxOk = run.Find("ceiling-max")?.OkPerSecond ?? double.NaN;
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"# Caucus night — {run.StoreLabel}{(o.Label is null ? "" : $" — {o.Label}")}");
        sb.AppendLine();
        sb.AppendLine(CultureInfo.InvariantCulture, $"**{(passed ? "PASS" : "FAIL")}** · {run.StartedAt:yyyy-MM-dd HH:mm} UTC · wave {o.WaveMinutes:0.##} min · results document {run.ResultsBytes:N0} bytes");
        sb.AppendLine();
        sb.AppendLine("```");
        sb.AppendLine(CommandLine(o));
        sb.AppendLine("```");
        sb.AppendLine();
        sb.AppendLine("Open model: each scenario's invocations are due on a fixed schedule (NBomber-style `Inject` / `RampingInject`), whatever happened before; " +
            "latency runs from each invocation's *intended* start (coordinated-omission corrected), *service* from the actual send. " +
            $"At most {o.MaxInFlight} in flight per scenario (over it = dropped = error); timeout {o.TimeoutSeconds:0.#} s; seed {o.Seed}.");
        sb.AppendLine();
        sb.AppendLine("## Results, as ratios of the ceiling");
        sb.AppendLine();
        sb.AppendLine("The ceiling is bare Kestrel on this machine serving fixed bytes of the results document's size (304 on If-None-Match), polled the same way by the same runner. " +
            "*p99 ÷ ceiling* compares each scenario's p99 with the ceiling's for the same shape (the burst with 1,765 bare GETs in one second, everything else with bare 200s at the polling rate); " +
            "*OK/s ÷ max* compares throughput with `ceiling-max`, what the machine answered at all.");
        sb.AppendLine();
        sb.AppendLine("| scenario | target/s | requests | errors | OK/s | p50 ms | p95 ms | p99 ms | max ms | service p99 ms | p99 ÷ ceiling | OK/s ÷ max | peak in flight |");
        sb.AppendLine("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
        foreach (var s in run.AllStats)
        {
            var isCeiling = s.Name.StartsWith("ceiling", StringComparison.Ordinal);
            var ceiling = run.Find(CeilingOf(s.Name));
            sb.AppendLine(CultureInfo.InvariantCulture, $"| {s.Name} | {s.TargetRate:0.#} | {s.Requests} | {s.Failed} | {s.OkPerSecond:0.0} | {Ms(s.LatencyMs(50))} | {Ms(s.LatencyMs(95))} | {Ms(s.LatencyMs(99))} | {Ms(s.MaxLatencyMs)} | {Ms(s.ServiceMs(99))} | " +
                $"{(isCeiling ? "" : Ratio(s.LatencyMs(99), ceiling?.LatencyMs(99) ?? double.NaN))} | {(s.OkPerSecond / maxOk).ToString("P1", CultureInfo.InvariantCulture)} | {s.PeakInFlight} |");
        }
        sb.AppendLine();
        sb.AppendLine("## Stream listeners");
        sb.AppendLine();
        sb.AppendLine("Delay of a report = from its 201 at the runner to the first `results` event whose id (the results version, the highest commit seq applied) is at least the report's commit seq (read back from the audit trail), at the *slowest* listener. " +
            "Percentiles are over reports; *final* is the last report's version at the slowest listener.");
        sb.AppendLine();
        sb.AppendLine("| listeners | connected | reports | slowest p50 ms | slowest p99 ms | slowest max ms | final version | final at slowest ms | missed | events received |");
        sb.AppendLine("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
        foreach (var d in run.Streams)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"| {d.Name} | {d.Connected}/{d.Listeners} | {d.Reports} | {Ms(d.P50Ms)} | {Ms(d.P99Ms)} | {Ms(d.MaxMs)} | {d.FinalVersion} | {Ms(d.FinalSlowestMs)} | {d.Missed} | {d.EventsReceived:N0} |");
        }
        sb.AppendLine();
        if (run.Memory.Count > 0)
        {
            sb.AppendLine("## API memory");
            sb.AppendLine();
            sb.AppendLine("From `/proc/<pid>/status` of the API: VmRSS (resident now) and VmHWM (the peak resident so far).");
            sb.AppendLine();
            sb.AppendLine("| moment | RSS MB | peak RSS MB |");
            sb.AppendLine("|---|--:|--:|");
            foreach (var (moment, rss, peak) in run.Memory) sb.AppendLine(CultureInfo.InvariantCulture, $"| {moment} | {rss / 1024.0:0.0} | {peak / 1024.0:0.0} |");
            sb.AppendLine();
        }
        sb.AppendLine("## Thresholds and checks");
        sb.AppendLine();
        sb.AppendLine(o.ThresholdsPath is null ? "No thresholds file; the checks still count." : $"Thresholds: `{Path.GetRelativePath(Directory.GetCurrentDirectory(), o.ThresholdsPath)}`.");
        sb.AppendLine();
        foreach (var c in checks) sb.AppendLine($"- {(c.Passed ? "ok" : "**FAILED**")} — {c.Subject}: {c.What} {c.Limit} → {c.Actual}");
        foreach (var c in run.Checks) sb.AppendLine($"  - {c.Name}: {c.Detail}");
        sb.AppendLine();
        sb.AppendLine("## Answers by kind");
        sb.AppendLine();
        foreach (var s in run.AllStats)
        {
            sb.AppendLine($"- **{s.Name}**: " + string.Join(", ", s.Outcomes.Select(e => $"{e.Key} × {e.Value}")));
            if (s.Errors.Count > 0) sb.AppendLine("  - errors: " + string.Join(", ", s.Errors.Select(e => $"{e.Key} × {e.Value}")));
        }
        sb.AppendLine();
        sb.AppendLine("## Machine");
        sb.AppendLine();
        foreach (var fact in Machine.Facts()) sb.AppendLine($"- {fact}");
        sb.AppendLine($"- Load average (1/5/15 min) before the run: {run.LoadBefore ?? "?"}; after: {run.LoadAfter ?? "?"}");
        sb.AppendLine("- The runner, the API and the ceiling server share this machine (loopback); other work on the machine shows in the load average and the machine's busy share.");
        foreach (var p in run.Phases)
        {
            var cpu = new List<string>();
            if (p.Cpu.MachineBusy is { } busy) cpu.Add($"machine {busy:P0} busy");
            if (p.Cpu.ApiCores is { } apiCores) cpu.Add($"{(p.Name.StartsWith("ceiling", StringComparison.Ordinal) ? "ceiling server" : "API")} {apiCores:0.00} cores");
            cpu.Add($"runner {p.Cpu.RunnerCores:0.00} cores");
            // The figure to push for ingest (issue 25): the API process's CPU over the phase (/proc utime + stime) per request
            // answered OK (an invocation dropped over the in-flight cap never reached the API; a failed one may have).
            var answered = p.Stats.Sum(s => s.Ok);
            if (p.Cpu.ApiSeconds is { } apiSeconds && answered > 0 && !p.Name.StartsWith("ceiling", StringComparison.Ordinal))
                cpu.Add(string.Create(CultureInfo.InvariantCulture, $"API {apiSeconds * 1000 / answered:0.000} ms CPU per OK request ({apiSeconds:0.0} s over {answered} OK)"));
            sb.AppendLine($"- CPU during `{p.Name}`: {string.Join(", ", cpu)}");
        }
        sb.AppendLine();
        sb.AppendLine("## Latency over time");
        sb.AppendLine();
        foreach (var p in run.Phases.Where(p => p.Name is "night" or "burst"))
        {
            var svgName = $"{stem}-{p.Name}.svg";
            var series = new List<SvgChart.Series>();
            for (var i = 0; i < p.Stats.Count; i++)
            {
                var rows = p.Stats[i].OverTime();
                series.Add(new($"{p.Stats[i].Name} p99", SvgChart.Color(i), [.. rows.Select(r => (r.Seconds, r.P99))]));
                series.Add(new($"{p.Stats[i].Name} p50", SvgChart.Color(i), [.. rows.Select(r => (r.Seconds, r.P50))], Thin: true));
            }
            var bucket = p.Stats[0].BucketSize.TotalMilliseconds;
            File.WriteAllText(Path.Combine(dir, svgName), SvgChart.LineChart($"{p.Name}: latency per {bucket:0} ms of intended start ({run.StoreLabel.Split(' ')[0]})",
                "seconds since the phase started", "ms (p99 bold, p50 thin)", series));
            sb.AppendLine($"![{p.Name} latency over time]({svgName})");
            sb.AppendLine();
        }
        sb.AppendLine("<details><summary>Per-bucket table</summary>");
        sb.AppendLine();
        sb.AppendLine("| scenario | from s | OK | errors | p50 ms | p99 ms | max ms |");
        sb.AppendLine("|---|--:|--:|--:|--:|--:|--:|");
        foreach (var s in run.AllStats.Where(s => !s.Name.StartsWith("ceiling", StringComparison.Ordinal)))
        {
            foreach (var r in s.OverTime()) sb.AppendLine(CultureInfo.InvariantCulture, $"| {s.Name} | {r.Seconds:0.#} | {r.Ok} | {r.Failed} | {Ms(r.P50)} | {Ms(r.P99)} | {Ms(r.Max)} |");
        }
        sb.AppendLine();
        sb.AppendLine("</details>");
        File.WriteAllText(full, sb.ToString());
    }
}
