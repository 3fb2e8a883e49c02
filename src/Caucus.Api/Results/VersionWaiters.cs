namespace Caucus.Api.Results;

/// <summary>
/// Callers waiting for the results version to reach a value (stream listeners, an ingest waiting for its
/// own revision to be counted). One task per round: released all at once when the version moves.
/// </summary>
internal sealed class VersionWaiters
{
    private readonly Lock _lock = new();
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task WaitAsync(long atLeast, Func<long> current, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task next;
            lock (_lock)
            {
                if (current() >= atLeast) return;
                next = _next.Task;
            }

            await next.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Wakes every waiter; each checks the version again.</summary>
    public void Release(long version)
    {
        TaskCompletionSource released;
        lock (_lock)
        {
            released = _next;
            _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        released.TrySetResult();
    }
}
