using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;

namespace Caucus.Api.Storage;

/// <summary>
/// Retry with exponential backoff and jitter on transient faults, inside which a circuit breaker counts
/// attempts that found the database unusable. Once open, calls fail at once with the time left, which
/// becomes the 503's Retry-After, instead of queueing behind a dead database.
/// </summary>
internal static class StoreResilience
{
    public static ResiliencePipeline Build(
        CaucusStoreOptions options,
        Func<Exception, bool> isTransient,
        Func<Exception, bool> isUnavailable,
        Action<Exception> onConnectionFault,
        Circuit? circuit = null)
    {
        return new ResiliencePipelineBuilder { TimeProvider = options.TimeProvider }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(ex => ex is not BrokenCircuitException && isTransient(ex)),
                MaxRetryAttempts = options.MaxRetryAttempts,
                Delay = options.RetryBaseDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                OnRetry = args =>
                {
                    if (args.Outcome.Exception is { } ex)
                    {
                        onConnectionFault(ex);
                    }

                    return default;
                },
            })
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(isUnavailable),
                FailureRatio = 0.5,
                MinimumThroughput = 3,
                // Long enough to hold three failed attempts on a frozen server (each waits out a 5 s command time-out),
                // so a hung database opens the circuit too, not only a dead one.
                SamplingDuration = TimeSpan.FromSeconds(30),
                BreakDuration = options.BreakDuration,
                StateProvider = circuit?.Provider,
                OnOpened = args =>
                {
                    circuit?.Opened(args.BreakDuration);
                    return default;
                },
            })
            .Build();
    }

    /// <summary>What a caller sees: unavailability becomes <see cref="StoreUnavailableException"/>, anything else passes through.</summary>
    public static Exception Translate(Exception exception, CaucusStoreOptions options, Func<Exception, bool> isUnavailable) => exception switch
    {
        StoreUnavailableException => exception,
        BrokenCircuitException broken => new StoreUnavailableException(
            "The database is unavailable (circuit open).", broken.RetryAfter ?? options.BreakDuration, broken),
        _ when isUnavailable(exception) => new StoreUnavailableException(
            "The database is unavailable.", options.BreakDuration, exception),
        _ => exception,
    };

    /// <summary>
    /// What the store knows of its circuit without making a call: open, and for how long still. Polly moves an open
    /// circuit to half-open only when a call is attempted, so "open" here also ends when its break is over, and
    /// the next write is let through as the test.
    /// </summary>
    public sealed class Circuit(TimeProvider time)
    {
        private long _openUntilTicks;

        public CircuitBreakerStateProvider Provider { get; } = new();

        public void Opened(TimeSpan breakDuration) =>
            Interlocked.Exchange(ref _openUntilTicks, (time.GetUtcNow() + breakDuration).UtcTicks);

        /// <summary>Whether calls would be refused now, and the time left until the next is tried.</summary>
        public bool IsOpen(out TimeSpan retryAfter)
        {
            retryAfter = TimeSpan.Zero;
            var state = Provider.CircuitState;
            if (state == CircuitState.Isolated)
            {
                retryAfter = TimeSpan.FromSeconds(1);
                return true;
            }

            if (state != CircuitState.Open) return false;
            var left = TimeSpan.FromTicks(Interlocked.Read(ref _openUntilTicks) - time.GetUtcNow().UtcTicks);
            if (left <= TimeSpan.Zero) return false;
            retryAfter = left;
            return true;
        }
    }

    /// <summary>Runs one store call through the pipeline and translates what escapes it.</summary>
    public sealed class Runner(ResiliencePipeline pipeline, CaucusStoreOptions options, Func<Exception, bool> isUnavailable)
    {
        public async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> action, CancellationToken cancellationToken)
        {
            try
            {
                return await pipeline.ExecuteAsync(async ct => await action(ct), cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                var translated = Translate(ex, options, isUnavailable);
                if (ReferenceEquals(translated, ex)) throw;
                throw translated;
            }
        }
    }
}
