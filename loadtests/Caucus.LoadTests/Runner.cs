using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Caucus.LoadTests;

/// <summary>One request, planned on the scheduler thread (so the plan is deterministic for a seed) and run on the pool.</summary>
internal delegate Task<RequestResult> PlannedRequest(HttpClient client, CancellationToken cancellationToken);

/// <summary>How a request ended: <see cref="Error"/> null when the answer was the expected one; <see cref="Outcome"/> names what happened.</summary>
internal readonly record struct RequestResult(string? Error, string Outcome)
{
    public static RequestResult Pass(string outcome) => new(null, outcome);
    public static RequestResult Fail(string error) => new(error, error);
}

/// <summary>A named scenario: set up once, then asked for one planned request per scheduled slot.</summary>
internal abstract class Scenario(string name, double rate)
{
    public string Name { get; } = name;
    public double Rate { get; } = rate;
    public virtual Task InitAsync(HttpClient client, CancellationToken cancellationToken) => Task.CompletedTask;
    public abstract PlannedRequest Plan(long index);
    /// <summary>Facts for the report (e.g. how many precincts, shares of retries), filled in during the run.</summary>
    public virtual IEnumerable<string> Notes() => [];
}

/// <summary>
/// Open-model injection: request i of a scenario is due at start + i / rate, whatever happened to the requests
/// before it. A request's latency runs from that due time. When the scheduler wakes late it sends every overdue
/// request at once (still measured from its due time), so the average rate holds. Requests over the
/// concurrency cap are not sent and count as errors.
/// </summary>
internal sealed class Runner(HttpClient client, Options options)
{
    public async Task<ScenarioStats> RunAsync(Scenario scenario, long startTicks, CancellationToken cancellationToken)
    {
        var stats = new ScenarioStats(scenario.Name, scenario.Rate) { DurationSeconds = options.DurationSeconds };
        stats.MeasureStartTicks = startTicks + (long)(options.WarmupSeconds * Stopwatch.Frequency);
        var running = new List<Task>();
        // The schedule runs on a thread of its own: pool timers (Task.Delay) fire several milliseconds late
        // under load, a dedicated thread's 1 ms sleep does not.
        var scheduled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                Schedule(scenario, stats, startTicks, running, cancellationToken);
                scheduled.SetResult();
            }
            catch (Exception e)
            {
                scheduled.SetException(e);
            }
        })
        { IsBackground = true, Name = $"schedule {scenario.Name}", Priority = ThreadPriority.AboveNormal };
        thread.Start();
        await scheduled.Task;
        Task[] rest;
        lock (running) rest = [.. running];
        await Task.WhenAll(rest);
        return stats;
    }

    private void Schedule(Scenario scenario, ScenarioStats stats, long startTicks, List<Task> running, CancellationToken cancellationToken)
    {
        var intervalTicks = Stopwatch.Frequency / scenario.Rate;
        var total = (long)Math.Round(scenario.Rate * (options.WarmupSeconds + options.DurationSeconds));
        var timeout = TimeSpan.FromSeconds(options.TimeoutSeconds);
        var inFlight = 0;
        for (long i = 0; i < total && !cancellationToken.IsCancellationRequested; i++)
        {
            var due = startTicks + (long)(i * intervalTicks);
            WaitUntil(due);
            var measured = due >= stats.MeasureStartTicks;
            var plan = scenario.Plan(i);
            var now = Interlocked.Increment(ref inFlight);
            if (now > options.MaxInFlight)
            {
                Interlocked.Decrement(ref inFlight);
                if (measured) stats.RecordDrop(due);
                continue;
            }
            if (now > stats.PeakInFlight) stats.PeakInFlight = now;
            var task = Task.Run(async () =>
            {
                try
                {
                    var sent = Stopwatch.GetTimestamp();
                    var result = await ExecuteAsync(plan, timeout, cancellationToken);
                    var done = Stopwatch.GetTimestamp();
                    if (measured) stats.Record(due, sent, done, result.Error, result.Outcome);
                }
                finally
                {
                    Interlocked.Decrement(ref inFlight);
                }
            }, CancellationToken.None);
            lock (running)
            {
                running.Add(task);
                if (running.Count > 4096) running.RemoveAll(t => t.IsCompleted);
            }
        }
    }

    private async Task<RequestResult> ExecuteAsync(PlannedRequest plan, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            return await plan(client, cts.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return RequestResult.Fail("timeout");
        }
        catch (HttpRequestException e)
        {
            var socket = e.InnerException as SocketException ?? e.InnerException?.InnerException as SocketException;
            return RequestResult.Fail(socket is not null ? $"socket {socket.SocketErrorCode}"
                : e.HttpRequestError != HttpRequestError.Unknown ? $"http client {e.HttpRequestError}"
                : "http client error");
        }
        catch (IOException)
        {
            return RequestResult.Fail("connection reset");
        }
    }

    /// <summary>
    /// Sleeps until the due time, in 1 ms steps at the end. The runner never spins (it shares the machine with
    /// the API), so a request may go out up to ~1 ms after its due time; that lag is counted in its latency and
    /// reported as send lag. Overdue requests go out at once.
    /// </summary>
    private static void WaitUntil(long dueTicks)
    {
        while (true)
        {
            var remaining = dueTicks - Stopwatch.GetTimestamp();
            if (remaining <= 0) return;
            var ms = (int)(remaining * 1000 / Stopwatch.Frequency);
            Thread.Sleep(Math.Max(1, ms));
        }
    }

    public static HttpClient CreateClient(Options options)
    {
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = Math.Max(16, options.MaxInFlight * 2),
            PooledConnectionLifetime = TimeSpan.FromMinutes(10),
            ConnectTimeout = TimeSpan.FromSeconds(5),
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
        };
        return new HttpClient(handler, disposeHandler: true)
        {
            BaseAddress = options.Url,
            Timeout = Timeout.InfiniteTimeSpan, // the runner's own per-request timeout applies
            DefaultRequestVersion = HttpVersion.Version11,
        };
    }
}
