using System.Diagnostics.Metrics;

namespace Caucus.Api.Infrastructure;

/// <summary>
/// The service's own instruments, on the <c>Caucus</c> meter (exported by OpenTelemetry on <c>/metrics</c>, see
/// <see cref="MetricsExtensions"/>). Refusals of ids that are not precincts of the election are only counted here:
/// nothing of them is stored (a counter in memory, lost at restart, is all they are worth).
/// </summary>
public sealed class CaucusMetrics
{
    public const string MeterName = "Caucus";

    private readonly Counter<long> _accepted;
    private readonly Counter<long> _held;
    private readonly Counter<long> _refused;
    private readonly Counter<long> _rateLimited;
    private readonly Histogram<double> _ingestDuration;
    private readonly Histogram<int> _batchSize;
    private readonly UpDownCounter<int> _streamListeners;
    private Func<long> _versionLag = () => 0;
    private long _unknownPrecinctRefusals;

    public CaucusMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _accepted = meter.CreateCounter<long>("caucus.reports.accepted", "{report}", "Reports stored and counted (201); replays are not counted again.");
        _held = meter.CreateCounter<long>("caucus.reports.held", "{report}", "Reports stored but held out of the totals for review (202).");
        _refused = meter.CreateCounter<long>("caucus.reports.refused", "{report}", "Reports refused, by reason (the HTTP status, or unknown-precinct).");
        _rateLimited = meter.CreateCounter<long>("caucus.http.rate_limited", "{request}", "Requests answered 429 (failed-auth and rate limits).");
        _ingestDuration = meter.CreateHistogram<double>("caucus.ingest.duration", "s", "Time from a report's arrival to its answer, by status code.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 2.5, 5, 10] });
        _batchSize = meter.CreateHistogram<int>("caucus.store.commit_batch_size", "{write}", "Writes committed together in one transaction (group commit).",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256] });
        _streamListeners = meter.CreateUpDownCounter<int>("caucus.stream.listeners", "{listener}", "Open /api/v1/stream connections.");
        meter.CreateObservableGauge("caucus.results.version_lag", () => _versionLag(), "{change}",
            "Commits known to be stored (by any instance) that this instance has not applied yet.");
        meter.CreateObservableCounter("caucus.reports.unknown_precinct", () => Interlocked.Read(ref _unknownPrecinctRefusals), "{report}",
            "Reports for ids that are not precincts of the election: counted, never stored.");
    }

    public long UnknownPrecinctRefusals => Interlocked.Read(ref _unknownPrecinctRefusals);

    public void ObserveVersionLag(Func<long> lag) => _versionLag = lag ?? throw new ArgumentNullException(nameof(lag));

    public void Accepted() => _accepted.Add(1);

    public void Held() => _held.Add(1);

    public void Refused(int status) => _refused.Add(1, new KeyValuePair<string, object?>("reason", status.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    public void UnknownPrecinct()
    {
        Interlocked.Increment(ref _unknownPrecinctRefusals);
        _refused.Add(1, new KeyValuePair<string, object?>("reason", "unknown-precinct"));
    }

    public void RateLimited() => _rateLimited.Add(1);

    public void IngestDuration(TimeSpan elapsed, int status) =>
        _ingestDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("status", status));

    public void BatchCommitted(int writes) => _batchSize.Record(writes);

    public void StreamListenerOpened() => _streamListeners.Add(1);

    public void StreamListenerClosed() => _streamListeners.Add(-1);
}
