using System.Diagnostics;
using System.Text.Json;

namespace Caucus.LoadTests.Night;

/// <summary>
/// Several API instances on one PostgreSQL (<c>--instances N</c>): reports are split between them by precinct (so a
/// precinct's corrections, retries and hotline pair go to the instance that took its first report, as behind a
/// load balancer with affinity), and stream listeners attach to every instance, an equal share each.
/// </summary>
public static class Instances
{
    /// <summary>The instance (0-based) a precinct's reports go to: a fixed hash (FNV-1a), the same on every run.</summary>
    public static int Of(string precinct, int count)
    {
        if (count <= 1) return 0;
        var hash = 2166136261u;
        foreach (var c in precinct) hash = (hash ^ c) * 16777619u;
        return (int)(hash % (uint)count);
    }

    /// <summary>After the run: every instance serves the same results version.</summary>
    public static async Task<CheckResult> SameVersionAsync(IReadOnlyList<HttpClient> readers, CancellationToken cancellationToken)
    {
        var versions = new List<long>();
        foreach (var reader in readers)
        {
            using var doc = JsonDocument.Parse(await reader.GetStringAsync("api/v1/results", cancellationToken));
            versions.Add(doc.RootElement.GetProperty("version").GetInt64());
        }

        return new CheckResult("every instance serves the same results version at the end", versions.Distinct().Count() == 1,
            string.Join(", ", versions.Select((v, i) => $"instance {i + 1}: {v}")));
    }
}

/// <summary>
/// One <see cref="StreamListeners"/> set per instance. With one instance it is exactly the single set of before
/// (same name, same figures); with several, each report's delay is read at each instance's set, split by whether the
/// report was sent to that instance or to another one: the cross-instance delay.
/// </summary>
public sealed class ListenerSets : IAsyncDisposable
{
    private readonly List<StreamListeners> sets;

    public ListenerSets(IReadOnlyList<Uri> urls, string token, int total)
    {
        var each = urls.Count == 1 ? total : (total + urls.Count - 1) / urls.Count;
        sets = [.. urls.Select(u => new StreamListeners(u, token, each))];
    }

    public IReadOnlyList<StreamListeners> Sets => sets;
    public int Count => sets.Sum(s => s.Count);
    public int ConnectedCount => sets.Sum(s => s.ConnectedCount);

    public async Task ConnectAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        foreach (var set in sets) await set.ConnectAsync(timeout, cancellationToken);
    }

    /// <summary>The delays table's rows: one set as before; per instance and sending instance with several.</summary>
    public IEnumerable<StreamDelays> Delays(IReadOnlyList<(long Seq, long AckTicks, string Precinct)> reports)
    {
        if (sets.Count == 1)
        {
            yield return StreamDelays.Compute(sets[0], [.. reports.Select(r => (r.Seq, r.AckTicks))]);
            yield break;
        }

        for (var at = 0; at < sets.Count; at++)
        {
            foreach (var own in new[] { false, true })
            {
                var subset = reports.Where(r => Instances.Of(r.Precinct, sets.Count) == at == own).Select(r => (r.Seq, r.AckTicks)).ToList();
                yield return StreamDelays.Compute(sets[at], subset) with
                {
                    Name = $"{sets[at].Name} on instance {at + 1}, reports sent to {(own ? "it" : "another")}",
                };
            }
        }
    }

    /// <summary>
    /// The cross-instance check: for reports sent to one instance, the delay until another instance's stream shows
    /// them, read at its first listener to show them (how soon that instance knows; its listeners are spread over the
    /// stream's 200 ms send gap, so the first one is near the instance's own delay) against <paramref name="limitMs"/>;
    /// the same figure for the instance the report was sent to is given beside it.
    /// </summary>
    public CheckResult CrossInstance(string phase, IReadOnlyList<(long Seq, long AckTicks, string Precinct)> reports, double limitMs)
    {
        var cross = new List<double>();
        var own = new List<double>();
        var missed = 0;
        for (var at = 0; at < sets.Count; at++)
        {
            var events = sets[at].All.Select(l => { lock (l) return l.Events.ToArray(); }).Where(e => e.Length > 0).ToList();
            foreach (var (seq, ack, precinct) in reports)
            {
                var first = double.PositiveInfinity;
                foreach (var e in events)
                {
                    var i = StreamDelays.FirstAtLeast(e, seq);
                    if (i >= 0) first = Math.Min(first, Math.Max(0, e[i].Ticks - ack) * 1000.0 / Stopwatch.Frequency);
                }

                if (double.IsPositiveInfinity(first)) missed++;
                else (Instances.Of(precinct, sets.Count) == at ? own : cross).Add(first);
            }
        }

        var p99 = Percentile(cross, 99);
        return new CheckResult($"{phase}: a report sent to one instance is on another's stream within {limitMs:0} ms (p99, first listener)",
            cross.Count > 0 && missed == 0 && p99 <= limitMs,
            $"other instance: p50 {Percentile(cross, 50):0.0} / p99 {p99:0.0} / max {Percentile(cross, 100):0.0} ms over {cross.Count} report-instance pairs; " +
            $"the instance it was sent to: p50 {Percentile(own, 50):0.0} / p99 {Percentile(own, 99):0.0} / max {Percentile(own, 100):0.0} ms; missed {missed}");
    }

    private static double Percentile(List<double> values, double p)
    {
        if (values.Count == 0) return double.NaN;
        values.Sort();
        return values[Math.Clamp((int)Math.Ceiling(p / 100 * values.Count) - 1, 0, values.Count - 1)];
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var set in sets) await set.DisposeAsync();
    }
}
