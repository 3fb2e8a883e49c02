using System.Diagnostics;
using HdrHistogram;

namespace Caucus.LoadTests;

/// <summary>
/// What one scenario measured. Latency is taken from each request's <em>intended</em> start (its slot in the
/// fixed-rate schedule), not from when it was actually sent: a stall in the server (or in this runner) then
/// shows up in every request scheduled behind it — the coordinated-omission correction. Service time (from
/// the actual send) is kept beside it, so the gap between the two shows how much was queueing.
/// </summary>
internal sealed class ScenarioStats(string name, double targetRate)
{
    /// <summary>Values are microseconds; anything up to 10 minutes is tracked at 3 significant digits.</summary>
    private const long HighestMicros = 600_000_000;

    private readonly Lock gate = new();
    private readonly LongHistogram latency = new(HighestMicros, 3);
    private readonly LongHistogram service = new(HighestMicros, 3);
    private readonly LongHistogram sendLag = new(HighestMicros, 3);
    private readonly Dictionary<int, Second> seconds = [];
    private readonly Dictionary<string, long> errors = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> outcomes = new(StringComparer.Ordinal);
    private long lastCompletionTicks;

    public string Name { get; } = name;
    public double TargetRate { get; } = targetRate;
    public long Requests { get; private set; }
    public long Ok { get; private set; }
    public long Failed { get; private set; }
    public int PeakInFlight { get; set; }
    /// <summary>Stopwatch ticks at which measurement started (end of warm-up).</summary>
    public long MeasureStartTicks { get; set; }
    public double DurationSeconds { get; set; }

    public sealed class Second
    {
        public LongHistogram Latency { get; } = new(HighestMicros, 2);
        public long Ok { get; set; }
        public long Failed { get; set; }
    }

    /// <summary>A completed request. <paramref name="error"/> is null when the answer was the expected one.</summary>
    public void Record(long intendedTicks, long sentTicks, long doneTicks, string? error, string outcome)
    {
        var latencyMicros = Math.Max(1, TicksToMicros(doneTicks - intendedTicks));
        var serviceMicros = Math.Max(1, TicksToMicros(doneTicks - sentTicks));
        var second = (int)((intendedTicks - MeasureStartTicks) / Stopwatch.Frequency);
        lock (gate)
        {
            Requests++;
            latency.RecordValue(Math.Min(latencyMicros, HighestMicros));
            service.RecordValue(Math.Min(serviceMicros, HighestMicros));
            sendLag.RecordValue(Math.Clamp(TicksToMicros(sentTicks - intendedTicks), 0, HighestMicros));
            var s = SecondAt(second);
            s.Latency.RecordValue(Math.Min(latencyMicros, HighestMicros));
            if (error is null) { Ok++; s.Ok++; }
            else { Failed++; s.Failed++; errors[error] = errors.GetValueOrDefault(error) + 1; }
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
            if (doneTicks > lastCompletionTicks) lastCompletionTicks = doneTicks;
        }
    }

    /// <summary>A scheduled request that was never sent because the concurrency cap was reached: an error, no latency.</summary>
    public void RecordDrop(long intendedTicks)
    {
        var second = (int)((intendedTicks - MeasureStartTicks) / Stopwatch.Frequency);
        lock (gate)
        {
            Requests++;
            Failed++;
            SecondAt(second).Failed++;
            errors["dropped (concurrency cap)"] = errors.GetValueOrDefault("dropped (concurrency cap)") + 1;
        }
    }

    private Second SecondAt(int index)
    {
        if (!seconds.TryGetValue(index, out var s)) seconds[index] = s = new Second();
        return s;
    }

    private static long TicksToMicros(long ticks) => ticks * 1_000_000 / Stopwatch.Frequency;

    public double LatencyMs(double percentile) { lock (gate) return latency.TotalCount == 0 ? double.NaN : latency.GetValueAtPercentile(percentile) / 1000.0; }
    public double ServiceMs(double percentile) { lock (gate) return service.TotalCount == 0 ? double.NaN : service.GetValueAtPercentile(percentile) / 1000.0; }
    /// <summary>How late requests went out after their due time (the runner's own lag: timer granularity, CPU).</summary>
    public double SendLagMs(double percentile) { lock (gate) return sendLag.TotalCount == 0 ? double.NaN : sendLag.GetValueAtPercentile(percentile) / 1000.0; }
    public double MaxLatencyMs { get { lock (gate) return latency.TotalCount == 0 ? double.NaN : latency.GetMaxValue() / 1000.0; } }
    public double MeanLatencyMs { get { lock (gate) return latency.TotalCount == 0 ? double.NaN : latency.GetMean() / 1000.0; } }
    public double ErrorRate => Requests == 0 ? 0 : (double)Failed / Requests;

    /// <summary>
    /// OK answers per second over the measured window, stretched to the last completion: a server that falls
    /// behind and drains its queue after the window does not get credit for the target rate.
    /// </summary>
    public double OkPerSecond
    {
        get
        {
            lock (gate)
            {
                var drained = (lastCompletionTicks - MeasureStartTicks) / (double)Stopwatch.Frequency;
                var window = Math.Max(DurationSeconds, drained);
                return window <= 0 ? 0 : Ok / window;
            }
        }
    }

    public IReadOnlyList<KeyValuePair<string, long>> Errors { get { lock (gate) return [.. errors.OrderByDescending(e => e.Value)]; } }
    public IReadOnlyList<KeyValuePair<string, long>> Outcomes { get { lock (gate) return [.. outcomes.OrderByDescending(e => e.Value)]; } }

    /// <summary>Per measured second (by intended start): p50, p99, max in ms, OK and failed counts.</summary>
    public IReadOnlyList<(int Second, double P50, double P99, double Max, long Ok, long Failed)> PerSecond()
    {
        lock (gate)
        {
            return [.. seconds.Where(s => s.Key >= 0 && s.Key < Math.Ceiling(DurationSeconds)).OrderBy(s => s.Key).Select(s =>
            {
                var h = s.Value.Latency;
                return h.TotalCount == 0
                    ? (s.Key, double.NaN, double.NaN, double.NaN, s.Value.Ok, s.Value.Failed)
                    : (s.Key, h.GetValueAtPercentile(50) / 1000.0, h.GetValueAtPercentile(99) / 1000.0, h.GetMaxValue() / 1000.0, s.Value.Ok, s.Value.Failed);
            })];
        }
    }
}
