using System.Diagnostics;
using System.Text.Json;

namespace Caucus.LoadTests.Night;

/// <summary>
/// After a phase, the quiet moment: how long from the phase's last acknowledged report until the projection is
/// based on the results' final version (issue 21: "it catches up within 1 s of a quiet moment"): the final projection's
/// <c>computedAt</c> less the wall-clock time of the last acknowledged report.
/// </summary>
public static class ProjectionCatchUp
{
    public const double LimitMs = 1000;

    public static async Task<CheckResult> MeasureAsync(HttpClient reader, string phase, long lastAckTicks, CancellationToken cancellationToken)
    {
        // The check may start a while after the phase's last report (other checks run first): the catch-up is read from
        // the projection's own computedAt against the wall-clock time of that report (runner and API share the clock).
        var lastAckAt = DateTimeOffset.UtcNow - Stopwatch.GetElapsedTime(lastAckTicks);
        using var results = JsonDocument.Parse(await reader.GetStringAsync("api/v1/results", cancellationToken));
        var version = results.RootElement.GetProperty("version").GetInt64();
        long based = -1;
        DateTimeOffset? computedAt = null;
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
                if (based >= version)
                {
                    computedAt = doc.RootElement.GetProperty("computedAt").GetDateTimeOffset();
                    break;
                }
            }
            await Task.Delay(TimeSpan.FromMilliseconds(10), cancellationToken);
        }
        var caughtUp = computedAt is not null;
        var ms = ((computedAt ?? DateTimeOffset.UtcNow) - lastAckAt).TotalMilliseconds;
        return new CheckResult($"{phase}: the projection catches up within {LimitMs:0} ms of the last report", caughtUp && ms <= LimitMs,
            (caughtUp ? $"version {version} projected (computedAt) {ms:0} ms after the last acknowledged report" : $"still on version {based} of {version} after 30 s")
            + $" (projections seen: {string.Join("; ", seen)})");
    }
}
