using System.Threading.RateLimiting;
using Caucus.Api.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Caucus.Api.Tests.Http;

/// <summary>The per-credential bucket on a fake clock: exactly when tokens come back, what a refusal says, when it is idle.</summary>
public sealed class TokenBucketTests
{
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(10);

    [Fact]
    public void A_full_bucket_gives_its_limit_then_per_step_tokens_at_each_whole_step()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var bucket = new TokenBucket(5, 2, Step, time);

        for (var i = 0; i < 5; i++) Assert.True(bucket.AttemptAcquire().IsAcquired);
        using var refused = bucket.AttemptAcquire();
        Assert.False(refused.IsAcquired);
        Assert.True(refused.TryGetMetadata(MetadataName.RetryAfter, out var wait));
        Assert.Equal(Step, wait);

        time.Advance(Step - TimeSpan.FromTicks(1));
        Assert.False(bucket.AttemptAcquire().IsAcquired);
        time.Advance(TimeSpan.FromTicks(1));
        Assert.True(bucket.AttemptAcquire().IsAcquired);
        Assert.True(bucket.AttemptAcquire().IsAcquired);
        Assert.False(bucket.AttemptAcquire().IsAcquired);

        // Never above the limit, however long it rests.
        time.Advance(Step * 100);
        Assert.Equal(5, bucket.GetStatistics()!.CurrentAvailablePermits);
    }

    [Fact]
    public void The_bucket_is_idle_only_while_full()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var bucket = new TokenBucket(2, 1, Step, time);

        time.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal(TimeSpan.FromSeconds(3), bucket.IdleDuration);
        Assert.True(bucket.AttemptAcquire().IsAcquired);
        Assert.Null(bucket.IdleDuration);

        // Refilled at the 10 s step: idle from then, however late the bucket is asked.
        time.Advance(TimeSpan.FromSeconds(14));
        Assert.Equal(TimeSpan.FromSeconds(7), bucket.IdleDuration);
    }
}
