namespace Caucus.Api.Storage;

/// <summary>The database cannot take the request now; the API answers 503 with <see cref="RetryAfter"/>.</summary>
public sealed class StoreUnavailableException : Exception
{
    public StoreUnavailableException()
        : this("The store is unavailable.", TimeSpan.FromSeconds(5), null)
    {
    }

    public StoreUnavailableException(string message)
        : this(message, TimeSpan.FromSeconds(5), null)
    {
    }

    public StoreUnavailableException(string message, Exception innerException)
        : this(message, TimeSpan.FromSeconds(5), innerException)
    {
    }

    public StoreUnavailableException(string message, TimeSpan retryAfter, Exception? innerException)
        : base(message, innerException)
    {
        RetryAfter = retryAfter;
    }

    public TimeSpan RetryAfter { get; }

    /// <summary>The write was in a transaction when the caller stopped waiting: it may commit later (a same-key retry replays it).</summary>
    public bool MayHaveCommitted { get; init; }
}
