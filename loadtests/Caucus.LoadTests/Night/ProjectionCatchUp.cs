using System.Diagnostics;
using System.Text.Json;

namespace Caucus.LoadTests.Night;

/// <summary>
/// After a phase, the quiet moment: how long from the phase's last acknowledged report until the projection is
/// based on the results' final version (issue 21: "it catches up within 1 s of a quiet moment"). Polled every 10 ms
/// from the runner, so the figure is good to about that.
/// </summary>
public static class ProjectionCatchUp
{
    public const double LimitMs = 1000;

    public static async Task<CheckResult> MeasureAsync(HttpClient reader, string phase, long lastAckTicks, CancellationToken cancellationToken)
    {
        using var results = JsonDocument.Parse(await reader.GetStringAsync("api/v1/results", cancellationToken));
        var version = results.RootElement.GetProperty("version").GetInt64();
        long based = -1;
        // Each projection seen while waiting, with how long it took to compute: what the catch-up time is made of.
        var seen = new List<string>();
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            using var response = await reader.GetAsync("api/v1/projection", cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
                var next = doc.RootElement.GetProperty("basedOnVersion").GetInt64();
                if (next != based) seen.Add($"version {next} computed in {doc.RootElement.GetProperty("computeMilliseconds").GetInt64()} ms");
                based = next;
                if (based >= version) break;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(10), cancellationToken);
        }
        var ms = Stopwatch.GetElapsedTime(lastAckTicks).TotalMilliseconds;
        var caughtUp = based >= version;
        return new CheckResult($"{phase}: the projection catches up within {LimitMs:0} ms of the last report", caughtUp && ms <= LimitMs,
            (caughtUp ? $"based on version {version} {ms:0} ms after the last acknowledged report" : $"still on version {based} of {version} after 30 s")
            + $" (projections seen: {string.Join("; ", seen)})");
    }
}
