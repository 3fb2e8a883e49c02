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
        Action<Exception> onConnectionFault)
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
                SamplingDuration = TimeSpan.FromSeconds(10),
                BreakDuration = options.BreakDuration,
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
