using System.Threading.RateLimiting;

namespace Caucus.Api.Auth;

/// <summary>
/// Counts unknown tokens per client address in a sliding window (System.Threading.RateLimiting: one
/// <see cref="SlidingWindowRateLimiter"/> per client, dropped when idle). Past the limit, that client's further
/// unknown tokens get 429 instead of 401, so nobody can guess tokens at speed; known tokens are never counted
/// and never refused, so one stale dashboard cannot lock a war room (or headquarters) out.
/// </summary>
public sealed class FailedAuthLimiter : IDisposable
{
    /// <summary>The window slides in this many steps: a failure ages out at most one step after the window.</summary>
    private const int Segments = 6;

    private readonly PartitionedRateLimiter<string> _limiter;

    public FailedAuthLimiter(int limit, TimeSpan window)
    {
        Limit = limit;
        Window = window;
        var segment = window / Segments;
        RetryAfter = segment < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : segment;
        _limiter = PartitionedRateLimiter.Create<string, string>(client => RateLimitPartition.GetSlidingWindowLimiter(client, _ =>
            new SlidingWindowRateLimiterOptions
            {
                PermitLimit = limit,
                Window = window,
                SegmentsPerWindow = Segments,
                QueueLimit = 0,
                AutoReplenishment = true,
            }), StringComparer.Ordinal);
    }

    public int Limit { get; }

    public TimeSpan Window { get; }

    /// <summary>What a refused client is told to wait: one step of the window, the soonest an old failure can age out.</summary>
    public TimeSpan RetryAfter { get; }

    /// <summary>Counts one unknown token from <paramref name="client"/>; false when the client is already past the limit (not counted again).</summary>
    public bool TryRecordFailure(string client)
    {
        using var lease = _limiter.AttemptAcquire(client);
        return lease.IsAcquired;
    }

    public void Dispose() => _limiter.Dispose();
}
