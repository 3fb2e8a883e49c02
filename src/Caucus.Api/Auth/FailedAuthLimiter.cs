namespace Caucus.Api.Auth;

/// <summary>
/// Counts unknown tokens per client address in a sliding window. Past the limit, that client's further unknown
/// tokens get 429 instead of 401, so nobody can guess tokens at speed; known tokens are never counted and never
/// refused, so one stale dashboard cannot lock a war room (or headquarters) out.
/// <para>
/// Its own small counter rather than System.Threading.RateLimiting's sliding window: that one slides on its own timer
/// and <c>Stopwatch</c>, which nothing can drive, so its behaviour over time could only be tested by sleeping against
/// it (a test that flaked on a busy machine). This one reads the app's <see cref="TimeProvider"/>, so a test moves the
/// window with a fake clock, and it needs no timer at all: the window is brought up to date when a failure is counted.
/// </para>
/// </summary>
public sealed class FailedAuthLimiter
{
    /// <summary>The window slides in this many steps.</summary>
    private const int Segments = 6;

    private readonly TimeProvider _time;
    private readonly long _start;
    private readonly TimeSpan _segment;
    private readonly Dictionary<string, ClientWindow> _clients = new(StringComparer.Ordinal);
    private long _sweptAt;

    public FailedAuthLimiter(int limit, TimeSpan window, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(time);
        Limit = limit;
        Window = window;
        _time = time;
        _start = time.GetTimestamp();
        _segment = window / Segments;
        RetryAfter = _segment < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : _segment;
    }

    public int Limit { get; }

    public TimeSpan Window { get; }

    /// <summary>What a refused client is told to wait: one step of the window, the soonest an old failure can age out.</summary>
    public TimeSpan RetryAfter { get; }

    /// <summary>Counts one unknown token from <paramref name="client"/>; false when the client is already past the limit (not counted again).</summary>
    public bool TryRecordFailure(string client)
    {
        var now = CurrentStep();
        lock (_clients)
        {
            SweepIdle(now);
            if (!_clients.TryGetValue(client, out var window))
            {
                window = new ClientWindow();
                _clients.Add(client, window);
            }

            return window.TryCount(now, Limit);
        }
    }

    /// <summary>How many clients have failures still inside the window (what the limiter holds in memory).</summary>
    public int TrackedClients
    {
        get
        {
            var now = CurrentStep();
            lock (_clients)
            {
                SweepIdle(now);
                return _clients.Count;
            }
        }
    }

    private long CurrentStep() => _time.GetElapsedTime(_start).Ticks / _segment.Ticks;

    /// <summary>
    /// Forgets the clients whose failures have all aged out, at most once a step, so guesses from many addresses
    /// do not stay in memory after their window (what the partitioned limiter did by dropping idle partitions).
    /// </summary>
    private void SweepIdle(long now)
    {
        if (now == _sweptAt) return;
        _sweptAt = now;
        foreach (var (client, window) in _clients)
        {
            if (window.IsIdle(now)) _clients.Remove(client);
        }
    }

    /// <summary>
    /// One client's failures per step. A failure counts from the step it falls in through <see cref="Segments"/>
    /// whole steps after it, so it counts for at least the window and ages out at most one step after it.
    /// </summary>
    private sealed class ClientWindow
    {
        private readonly int[] _perStep = new int[Segments + 1];
        private long _latest;

        public bool TryCount(long now, int limit)
        {
            Slide(now);
            if (_perStep.Sum() >= limit) return false;
            _perStep[now % _perStep.Length]++;
            return true;
        }

        public bool IsIdle(long now) => now - _latest >= _perStep.Length;

        private void Slide(long now)
        {
            var stale = Math.Min(now - _latest, _perStep.Length);
            for (var step = 1; step <= stale; step++) _perStep[(_latest + step) % _perStep.Length] = 0;
            _latest = Math.Max(_latest, now);
        }
    }
}
