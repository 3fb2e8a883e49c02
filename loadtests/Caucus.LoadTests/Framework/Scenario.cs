namespace Caucus.LoadTests.Framework;

// The scenario API follows NBomber's (Scenario.Create(name, step), .WithLoadSimulations(Simulation.Inject(rate,
// interval, during)), Response.Ok / Response.Fail), so that swapping NBomber in later means changing the
// `using` and the runner call, not the scenarios. NBomber itself is not available from this machine's registry.

/// <summary>What a step sees: which invocation this is (0-based, in schedule order) and the run's cancellation.</summary>
public sealed class ScenarioContext(string scenarioName, long invocationNumber, CancellationToken cancellationToken)
{
    public string ScenarioName { get; } = scenarioName;
    public long InvocationNumber { get; } = invocationNumber;
    public CancellationToken ScenarioCancellationToken { get; } = cancellationToken;
}

/// <summary>A step's answer. <see cref="StatusCode"/> names the outcome ("201", "304", "duplicate: replayed"); a failure carries a message.</summary>
public sealed record Response(bool IsError, string StatusCode, string? Message)
{
    public static Response Ok(string statusCode = "ok") => new(false, statusCode, null);
    public static Response Fail(string statusCode, string? message = null) => new(true, statusCode, message);

    /// <summary>How errors are grouped in the report.</summary>
    public string ErrorKind => Message is null ? StatusCode : $"{StatusCode}: {Message}";
}

/// <summary>One phase of open-model injection, as NBomber names them.</summary>
public abstract record LoadSimulation(TimeSpan During);

/// <summary><c>Rate</c> new invocations every <c>Interval</c>, evenly spread, for <c>During</c>.</summary>
public sealed record InjectSimulation(int Rate, TimeSpan Interval, TimeSpan During) : LoadSimulation(During);

/// <summary>The injection rate moves linearly from the previous phase's rate (0 for the first) to <c>Rate</c> per <c>Interval</c> over <c>During</c>.</summary>
public sealed record RampingInjectSimulation(int Rate, TimeSpan Interval, TimeSpan During) : LoadSimulation(During);

public static class Simulation
{
    public static LoadSimulation Inject(int rate, TimeSpan interval, TimeSpan during) => new InjectSimulation(rate, interval, during);
    public static LoadSimulation RampingInject(int rate, TimeSpan interval, TimeSpan during) => new RampingInjectSimulation(rate, interval, during);
}

/// <summary>A named scenario: an optional init, a step run once per scheduled invocation, and its load simulations.</summary>
public sealed record ScenarioProps(string Name, Func<ScenarioContext, Task<Response>> Run)
{
    public Func<CancellationToken, Task>? Init { get; init; }
    public IReadOnlyList<LoadSimulation> LoadSimulations { get; init; } = [];
    /// <summary>The first part of the schedule, run but not measured (JIT, connection pool).</summary>
    public TimeSpan WarmUpDuration { get; init; }
    /// <summary>Per-interval buckets for the latency-over-time plot (1 s; 100 ms for a one-second burst).</summary>
    public TimeSpan PlotBucket { get; init; } = TimeSpan.FromSeconds(1);

    public ScenarioProps WithInit(Func<CancellationToken, Task> init) => this with { Init = init };
    public ScenarioProps WithLoadSimulations(params LoadSimulation[] simulations) => this with { LoadSimulations = simulations };
    public ScenarioProps WithWarmUpDuration(TimeSpan duration) => this with { WarmUpDuration = duration };
    public ScenarioProps WithoutWarmUp() => this with { WarmUpDuration = TimeSpan.Zero };
    public ScenarioProps WithPlotBucket(TimeSpan bucket) => this with { PlotBucket = bucket };

    public TimeSpan TotalDuration => LoadSimulations.Aggregate(TimeSpan.Zero, (sum, s) => sum + s.During);
}

public static class Scenario
{
    public static ScenarioProps Create(string name, Func<ScenarioContext, Task<Response>> run) => new(name, run);
}

/// <summary>The intended start of every invocation, from the load simulations (seconds from the scenario's start).</summary>
public static class Schedule
{
    /// <summary>More than this many invocations in one scenario is a mistake on the command line, not a load test.</summary>
    public const int MaxInvocations = 2_000_000;

    public static double[] DueSeconds(IReadOnlyList<LoadSimulation> simulations)
    {
        var due = new List<double>();
        double phaseStart = 0, countBefore = 0, previousRate = 0;
        foreach (var simulation in simulations)
        {
            var (rate, interval, during) = simulation switch
            {
                InjectSimulation i => (i.Rate, i.Interval, i.During),
                RampingInjectSimulation r => (r.Rate, r.Interval, r.During),
                _ => throw new ArgumentException($"Unknown simulation {simulation}."),
            };
            if (rate < 0 || interval <= TimeSpan.Zero || during < TimeSpan.Zero) throw new ArgumentException($"Bad simulation {simulation}.");
            var end = rate / interval.TotalSeconds;
            var start = simulation is RampingInjectSimulation ? previousRate : end;
            var seconds = during.TotalSeconds;
            // Invocation k is due when the integral of the rate reaches k: within a phase whose rate moves
            // linearly from a to b over T, count(t) = a·t + (b − a)·t² / 2T, solved for t.
            var phaseCount = (start + end) / 2 * seconds;
            var slope = seconds > 0 ? (end - start) / (2 * seconds) : 0;
            for (var k = Math.Ceiling(countBefore); k < countBefore + phaseCount - 1e-9; k++)
            {
                var local = k - countBefore;
                var t = Math.Abs(slope) < 1e-12 ? local / start : (-start + Math.Sqrt(start * start + 4 * slope * local)) / (2 * slope);
                due.Add(phaseStart + Math.Clamp(t, 0, seconds));
                if (due.Count > MaxInvocations) throw new ArgumentException($"More than {MaxInvocations:N0} invocations in one scenario.");
            }
            countBefore += phaseCount;
            phaseStart += seconds;
            previousRate = end;
        }
        return [.. due];
    }
}
