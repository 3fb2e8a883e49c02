using System.Diagnostics;
using HdrHistogram;

namespace Caucus.LoadTests.Framework;

/// <summary>
/// What one scenario measured. Latency is taken from each invocation's <em>intended</em> start (its slot in the
/// open-model schedule), not from when it was actually sent: a stall in the server (or in this runner) then
/// shows up in every invocation scheduled behind it. That is the coordinated-omission correction;
/// HdrHistogram's <c>RecordValueWithExpectedInterval</c> approximates the same thing for closed loops, and
/// applying both would count each stalled slot twice. Service time (from the actual send) is kept beside it.
/// </summary>
public sealed class ScenarioStats(string name, long originTicks, long measureStartTicks, double measuredSeconds, long planned, TimeSpan bucket)
{
    /// <summary>Values are microseconds; anything up to 10 minutes is tracked at 3 significant digits.</summary>
    private const long HighestMicros = 600_000_000;

    private readonly Lock gate = new();
    private readonly LongHistogram latency = new(HighestMicros, 3);
    private readonly LongHistogram service = new(HighestMicros, 3);
    private readonly LongHistogram sendLag = new(HighestMicros, 3);
    private readonly Dictionary<int, Bucket> buckets = [];
    private readonly Dictionary<string, long> errors = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> outcomes = new(StringComparer.Ordinal);
    private readonly long bucketTicks = Math.Max(1, (long)(bucket.TotalSeconds * Stopwatch.Frequency));
    private long lastCompletionTicks;

    public string Name { get; } = name;
    /// <summary>Invocations the schedule holds in the measured window (the target).</summary>
    public long Planned { get; } = planned;
    public double MeasuredSeconds { get; } = measuredSeconds;
    public double TargetRate => MeasuredSeconds <= 0 ? Planned : Planned / MeasuredSeconds;
    public TimeSpan BucketSize { get; } = bucket;
    public long Requests { get; private set; }
    public long Ok { get; private set; }
    public long Failed { get; private set; }
    public int PeakInFlight { get; set; }

    private sealed class Bucket
    {
        public LongHistogram Latency { get; } = new(HighestMicros, 2);
        public long Ok { get; set; }
        public long Failed { get; set; }
    }

    public bool IsMeasured(long dueTicks) => dueTicks >= measureStartTicks;

    public void Record(long dueTicks, long sentTicks, long doneTicks, Response response)
    {
        var latencyMicros = Math.Clamp(TicksToMicros(doneTicks - dueTicks), 1, HighestMicros);
        var serviceMicros = Math.Clamp(TicksToMicros(doneTicks - sentTicks), 1, HighestMicros);
        lock (gate)
        {
            Requests++;
            latency.RecordValue(latencyMicros);
            service.RecordValue(serviceMicros);
            sendLag.RecordValue(Math.Clamp(TicksToMicros(sentTicks - dueTicks), 0, HighestMicros));
            var b = BucketAt(dueTicks);
            b.Latency.RecordValue(latencyMicros);
            if (response.IsError) { Failed++; b.Failed++; errors[response.ErrorKind] = errors.GetValueOrDefault(response.ErrorKind) + 1; }
            else { Ok++; b.Ok++; }
            outcomes[response.StatusCode] = outcomes.GetValueOrDefault(response.StatusCode) + 1;
            if (doneTicks > lastCompletionTicks) lastCompletionTicks = doneTicks;
        }
    }

    /// <summary>A scheduled invocation never sent because the concurrency cap was reached: an error, no latency.</summary>
    public void RecordDrop(long dueTicks)
    {
        lock (gate)
        {
            Requests++;
            Failed++;
            BucketAt(dueTicks).Failed++;
            errors["dropped (concurrency cap)"] = errors.GetValueOrDefault("dropped (concurrency cap)") + 1;
            outcomes["dropped"] = outcomes.GetValueOrDefault("dropped") + 1;
        }
    }

    private Bucket BucketAt(long dueTicks)
    {
        var index = (int)((dueTicks - originTicks) / bucketTicks);
        if (!buckets.TryGetValue(index, out var b)) buckets[index] = b = new Bucket();
        return b;
    }

    private static long TicksToMicros(long ticks) => ticks * 1_000_000 / Stopwatch.Frequency;

    public double LatencyMs(double percentile) { lock (gate) return latency.TotalCount == 0 ? double.NaN : latency.GetValueAtPercentile(percentile) / 1000.0; }
    public double ServiceMs(double percentile) { lock (gate) return service.TotalCount == 0 ? double.NaN : service.GetValueAtPercentile(percentile) / 1000.0; }
    public double SendLagMs(double percentile) { lock (gate) return sendLag.TotalCount == 0 ? double.NaN : sendLag.GetValueAtPercentile(percentile) / 1000.0; }
    public double MaxLatencyMs { get { lock (gate) return latency.TotalCount == 0 ? double.NaN : latency.GetMaxValue() / 1000.0; } }
    public double ErrorRate => Requests == 0 ? 0 : (double)Failed / Requests;

    /// <summary>
    /// OK answers per second over the measured window, stretched to the last completion: a server that falls
    /// behind and drains its queue after the window gets no credit for the target rate.
    /// </summary>
    public double OkPerSecond
    {
        get
        {
            lock (gate)
            {
                var drained = (lastCompletionTicks - measureStartTicks) / (double)Stopwatch.Frequency;
                var window = Math.Max(MeasuredSeconds, drained);
                return window <= 0 ? 0 : Ok / window;
            }
        }
    }

    public IReadOnlyList<KeyValuePair<string, long>> Errors { get { lock (gate) return [.. errors.OrderByDescending(e => e.Value)]; } }
    public IReadOnlyList<KeyValuePair<string, long>> Outcomes { get { lock (gate) return [.. outcomes.OrderByDescending(e => e.Value)]; } }

    /// <summary>Per bucket (by intended start, seconds from the phase's origin): p50, p99, max in ms, OK and failed counts.</summary>
    public IReadOnlyList<(double Seconds, double P50, double P99, double Max, long Ok, long Failed)> OverTime()
    {
        lock (gate)
        {
            return [.. buckets.OrderBy(b => b.Key).Select(b =>
            {
                var h = b.Value.Latency;
                var t = b.Key * BucketSize.TotalSeconds;
                return h.TotalCount == 0
                    ? (t, double.NaN, double.NaN, double.NaN, b.Value.Ok, b.Value.Failed)
                    : (t, h.GetValueAtPercentile(50) / 1000.0, h.GetValueAtPercentile(99) / 1000.0, h.GetMaxValue() / 1000.0, b.Value.Ok, b.Value.Failed);
            })];
        }
    }

    /// <summary>A one-line summary for the live progress line.</summary>
    public string Progress()
    {
        lock (gate) return $"{Name} {Ok}/{Planned}{(Failed > 0 ? $" ({Failed} err)" : "")} p99 {(latency.TotalCount == 0 ? "–" : $"{latency.GetValueAtPercentile(99) / 1000.0:0.#}")} ms";
    }
}
