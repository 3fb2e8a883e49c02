using System.Threading.RateLimiting;

namespace Caucus.Api.Infrastructure;

/// <summary>
/// A token bucket that reads the app's <see cref="TimeProvider"/>: full at first, <c>perStep</c> tokens back at each
/// whole <c>step</c> after it was made (never above <c>limit</c>), no queue.
/// <para>
/// What System.Threading.RateLimiting's <c>TokenBucketRateLimiter</c> does, except for the clock: that one refills
/// on its own timer and <c>Stopwatch</c> (also through <c>TryReplenish</c>), so a test of "the bucket holds 12" raced
/// the refill on a slow machine. Here refills are counted from the clock when a request asks, so a test with a fake
/// clock knows exactly how many tokens there are.
/// </para>
/// </summary>
public sealed class TokenBucket : RateLimiter
{
    private static readonly RateLimitLease Granted = new Lease(true, null);

    private readonly TimeProvider _time;
    private readonly int _limit;
    private readonly int _perStep;
    private readonly TimeSpan _step;
    private readonly long _start;
    private readonly Lock _lock = new();
    private int _tokens;
    private long _stepsCredited;
    private long? _fullSince;
    private long _granted;
    private long _refused;

    public TokenBucket(int limit, int perStep, TimeSpan step, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(perStep);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(step, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _limit = limit;
        _perStep = perStep;
        _step = step;
        _start = time.GetTimestamp();
        _tokens = limit;
        _fullSince = _start;
    }

    /// <summary>How long the bucket has been full: the partitioned limiter drops a bucket idle this way (it would be made full again).</summary>
    public override TimeSpan? IdleDuration
    {
        get
        {
            lock (_lock)
            {
                Refill();
                return _fullSince is { } since ? _time.GetElapsedTime(since) : null;
            }
        }
    }

    public override RateLimiterStatistics? GetStatistics()
    {
        lock (_lock)
        {
            Refill();
            return new RateLimiterStatistics
            {
                CurrentAvailablePermits = _tokens,
                CurrentQueuedCount = 0,
                TotalSuccessfulLeases = _granted,
                TotalFailedLeases = _refused,
            };
        }
    }

    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(permitCount);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(permitCount, _limit);
        lock (_lock)
        {
            Refill();
            if (_tokens >= permitCount && (permitCount > 0 || _tokens > 0))
            {
                _tokens -= permitCount;
                if (_tokens < _limit) _fullSince = null;
                _granted++;
                return Granted;
            }

            _refused++;
            // The soonest the missing tokens are back: the end of as many whole steps as they need.
            var stepsNeeded = (Math.Max(1, permitCount - _tokens) + _perStep - 1) / _perStep;
            var elapsed = _time.GetElapsedTime(_start);
            return new Lease(false, (_stepsCredited + stepsNeeded) * _step - elapsed);
        }
    }

    protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken) =>
        ValueTask.FromResult(AttemptAcquireCore(permitCount));

    private void Refill()
    {
        var steps = _time.GetElapsedTime(_start).Ticks / _step.Ticks;
        if (steps <= _stepsCredited) return;
        if (_tokens < _limit)
        {
            var stepsToFull = (_limit - _tokens + _perStep - 1) / _perStep;
            _tokens = (int)Math.Min(_limit, _tokens + (steps - _stepsCredited) * _perStep);
            // Full since the step that filled it, not since someone asked: the timer-driven bucket's idle time.
            if (_tokens == _limit) _fullSince = _start + ToTimestamp((_stepsCredited + stepsToFull) * _step);
        }

        _stepsCredited = steps;
    }

    private long ToTimestamp(TimeSpan span) => (long)(span.Ticks * (double)_time.TimestampFrequency / TimeSpan.TicksPerSecond);

    private sealed class Lease(bool acquired, TimeSpan? retryAfter) : RateLimitLease
    {
        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            if (retryAfter is { } wait && metadataName == MetadataName.RetryAfter.Name)
            {
                metadata = wait;
                return true;
            }

            metadata = null;
            return false;
        }
    }
}
