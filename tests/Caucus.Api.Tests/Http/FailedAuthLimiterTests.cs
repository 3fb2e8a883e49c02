using Caucus.Api.Auth;
using Microsoft.Extensions.Time.Testing;

namespace Caucus.Api.Tests.Http;

/// <summary>The failed-auth window on a fake clock: exactly when a failure counts, and that idle clients are forgotten.</summary>
public sealed class FailedAuthLimiterTests
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(10);

    [Fact]
    public void A_failure_counts_for_at_least_the_window_and_at_most_one_step_more()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var limiter = new FailedAuthLimiter(1, Window, time);

        time.Advance(Step - TimeSpan.FromTicks(1)); // the failure falls at the end of a step
        Assert.True(limiter.TryRecordFailure("198.51.100.7"));
        time.Advance(Window);
        Assert.False(limiter.TryRecordFailure("198.51.100.7")); // a window and a tick after it: still counted
        time.Advance(TimeSpan.FromTicks(1));
        Assert.True(limiter.TryRecordFailure("198.51.100.7")); // the next step: aged out

        time.Advance(Window + Step - TimeSpan.FromTicks(1)); // now at the end of the step the last failure fell in, plus a window
        Assert.False(limiter.TryRecordFailure("198.51.100.7"));
        Assert.Equal(TimeSpan.FromSeconds(10), limiter.RetryAfter);
    }

    [Fact]
    public void A_refused_guess_is_not_counted_and_another_address_is_not_affected()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var limiter = new FailedAuthLimiter(2, Window, time);

        Assert.True(limiter.TryRecordFailure("198.51.100.7"));
        time.Advance(Step * 3);
        Assert.True(limiter.TryRecordFailure("198.51.100.7"));
        for (var i = 0; i < 10; i++) Assert.False(limiter.TryRecordFailure("198.51.100.7"));
        Assert.True(limiter.TryRecordFailure("198.51.100.8"));

        // The first failure ages out 7 steps after its own: one guess is free again, not eleven.
        time.Advance(Step * 4);
        Assert.True(limiter.TryRecordFailure("198.51.100.7"));
        Assert.False(limiter.TryRecordFailure("198.51.100.7"));
    }

    [Fact]
    public void Clients_whose_failures_aged_out_are_forgotten()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var limiter = new FailedAuthLimiter(20, Window, time);

        for (var i = 0; i < 1_000; i++) limiter.TryRecordFailure($"203.0.113.{i}");
        Assert.Equal(1_000, limiter.TrackedClients);

        time.Advance(Window);
        Assert.Equal(1_000, limiter.TrackedClients);
        time.Advance(Step);
        Assert.Equal(0, limiter.TrackedClients);
    }
}
