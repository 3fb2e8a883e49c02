using System.Collections.Concurrent;

namespace Caucus.Api.Auth;

/// <summary>
/// Counts bad tokens per client address in a fixed window; past the limit the client gets 429 until
/// the window ends, so nobody can guess tokens at speed. Good tokens are never counted.
/// </summary>
public sealed class FailedAuthLimiter(TimeProvider clock, int limit, TimeSpan window)
{
    private readonly ConcurrentDictionary<string, (DateTimeOffset Start, int Count)> _failures = new(StringComparer.Ordinal);

    public int Limit => limit;

    public bool IsBlocked(string client, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        if (!_failures.TryGetValue(client, out var entry)) return false;
        var elapsed = clock.GetUtcNow() - entry.Start;
        if (elapsed >= window)
        {
            _failures.TryRemove(KeyValuePair.Create(client, entry));
            return false;
        }
        retryAfter = window - elapsed;
        return entry.Count >= limit;
    }

    public void RecordFailure(string client)
    {
        var now = clock.GetUtcNow();
        _failures.AddOrUpdate(client, _ => (now, 1),
            (_, e) => now - e.Start >= window ? (now, 1) : (e.Start, e.Count + 1));
    }
}
