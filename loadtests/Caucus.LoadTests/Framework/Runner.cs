using System.Diagnostics;
using System.Net.Http;
using System.Net.Sockets;

namespace Caucus.LoadTests.Framework;

/// <summary>
/// Runs scenarios side by side, each on its open-model schedule: invocation i is due at its slot in the load
/// simulations, whatever happened to the invocations before it, and its latency runs from that slot. When the
/// scheduler wakes late it starts every overdue invocation at once (still measured from its slot). Above the
/// concurrency cap an invocation is not started and counts as an error. Every step has a timeout.
/// </summary>
public sealed class Runner(int maxInFlight, TimeSpan timeout)
{
    /// <summary>Runs the scenarios together from one start; prints a live progress line while they run.</summary>
    public async Task<IReadOnlyList<ScenarioStats>> RunAsync(string phase, IReadOnlyList<ScenarioProps> scenarios, CancellationToken cancellationToken)
    {
        foreach (var s in scenarios)
        {
            if (s.Init is { } init) await init(cancellationToken);
        }
        var origin = Stopwatch.GetTimestamp() + Stopwatch.Frequency / 20;
        var runs = scenarios.Select(s => (Props: s, Due: Framework.Schedule.DueSeconds(s.LoadSimulations))).ToList();
        var stats = runs.Select(r => new ScenarioStats(r.Props.Name, origin,
            origin + (long)(r.Props.WarmUpDuration.TotalSeconds * Stopwatch.Frequency),
            (r.Props.TotalDuration - r.Props.WarmUpDuration).TotalSeconds,
            r.Due.LongCount(d => d >= r.Props.WarmUpDuration.TotalSeconds), r.Props.PlotBucket)).ToList();
        using var progressStop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var longest = runs.Max(r => r.Props.TotalDuration);
        var progress = ProgressAsync(phase, stats, longest, progressStop.Token);
        var tasks = runs.Select((r, i) => RunOneAsync(r.Props, r.Due, stats[i], origin, cancellationToken)).ToArray();
        await Task.WhenAll(tasks);
        await progressStop.CancelAsync();
        await progress;
        return stats;
    }

    private async Task RunOneAsync(ScenarioProps scenario, double[] due, ScenarioStats stats, long origin, CancellationToken cancellationToken)
    {
        var running = new List<Task>();
        // The schedule runs on a thread of its own: pool timers (Task.Delay) fire several milliseconds late
        // under load, a dedicated thread's 1 ms sleep does not.
        var scheduled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                Schedule(scenario, due, stats, origin, running, cancellationToken);
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
    }

    private void Schedule(ScenarioProps scenario, double[] due, ScenarioStats stats, long origin, List<Task> running, CancellationToken cancellationToken)
    {
        var inFlight = 0;
        for (long i = 0; i < due.Length && !cancellationToken.IsCancellationRequested; i++)
        {
            var dueTicks = origin + (long)(due[i] * Stopwatch.Frequency);
            WaitUntil(dueTicks);
            var measured = stats.IsMeasured(dueTicks);
            var now = Interlocked.Increment(ref inFlight);
            if (now > maxInFlight)
            {
                Interlocked.Decrement(ref inFlight);
                if (measured) stats.RecordDrop(dueTicks);
                continue;
            }
            if (now > stats.PeakInFlight) stats.PeakInFlight = now;
            var context = i;
            var task = Task.Run(async () =>
            {
                try
                {
                    var sent = Stopwatch.GetTimestamp();
                    var response = await InvokeAsync(scenario, context, cancellationToken);
                    if (measured) stats.Record(dueTicks, sent, Stopwatch.GetTimestamp(), response);
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

    private async Task<Response> InvokeAsync(ScenarioProps scenario, long invocation, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            return await scenario.Run(new ScenarioContext(scenario.Name, invocation, cts.Token));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Response.Fail("timeout");
        }
        catch (HttpRequestException e)
        {
            var socket = e.InnerException as SocketException ?? e.InnerException?.InnerException as SocketException;
            return Response.Fail(socket is not null ? $"socket {socket.SocketErrorCode}"
                : e.HttpRequestError != HttpRequestError.Unknown ? $"http client {e.HttpRequestError}" : "http client error");
        }
        catch (IOException)
        {
            return Response.Fail("connection reset");
        }
    }

    /// <summary>
    /// Sleeps until the due time, 1 ms steps at the end. The runner never spins (it shares the machine with the
    /// API), so an invocation may start up to ~1 ms late; that lag is in its latency and reported as send lag.
    /// </summary>
    private static void WaitUntil(long dueTicks)
    {
        while (true)
        {
            var remaining = dueTicks - Stopwatch.GetTimestamp();
            if (remaining <= 0) return;
            Thread.Sleep(Math.Max(1, (int)(remaining * 1000 / Stopwatch.Frequency)));
        }
    }

    /// <summary>
    /// One line a second while the phase runs: rewritten in place on a terminal, a line every 5 s otherwise
    /// (CI logs), so a stalled run is visible while it happens.
    /// </summary>
    private static async Task ProgressAsync(string phase, IReadOnlyList<ScenarioStats> stats, TimeSpan total, CancellationToken cancellationToken)
    {
        var interactive = !Console.IsErrorRedirected;
        var started = Stopwatch.StartNew();
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                var line = $"[{phase} {started.Elapsed.TotalSeconds,4:0}/{total.TotalSeconds:0} s] {string.Join(" | ", stats.Select(s => s.Progress()))}";
                if (interactive) Console.Error.Write($"\r{line,-150}");
                else if ((int)started.Elapsed.TotalSeconds % 5 == 0) Console.Error.WriteLine(line);
            }
        }
        catch (OperationCanceledException)
        {
            // The phase ended.
        }
        if (interactive) Console.Error.WriteLine();
    }
}
