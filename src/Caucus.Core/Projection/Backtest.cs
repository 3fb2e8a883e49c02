using System.Collections.Immutable;
using Caucus.Core.Aggregation;
using Caucus.Core.Model;

namespace Caucus.Core.Projection;

/// <summary>Backtest settings: how many random orders, the reporting levels, and the projection's draws and seed.</summary>
public sealed record BacktestOptions(int RandomOrders = 8, int Draws = 500, ulong Seed = 2020, int MaxDegreeOfParallelism = -1)
{
    public ImmutableArray<double> Levels { get; init; } = [0.10, 0.25, 0.5, 0.75];

    /// <summary>How many orders of each biased kind (<see cref="ReportingOrders.All"/>).</summary>
    public int BiasedRepeats { get; init; } = 1;

    /// <summary>Which kinds of order to run (null: all of them).</summary>
    public ImmutableArray<string>? Kinds { get; init; }
}

/// <summary>
/// One line of the backtest table, over the orders of one kind at one reporting level. Errors are mean absolute errors
/// of SDE shares in percentage points over the candidates with at least 1% of the final SDEs; coverage is the share of
/// those candidates' 90% intervals holding their final SDEs; width is the mean width of those intervals in points of
/// SDE share. Brier is the win probability's (over all candidates: Σ (p − won)², 0 perfect, 2 worst), beside a coin
/// toss's (50% each to the two leading the current SDEs: 0.5 when the winner is one of them, 1.5 otherwise).
/// <see cref="HighestProbability"/> is the most any candidate was given to win in any of the orders.
/// </summary>
public sealed record BacktestRow(string Kind, double Level, int Orders, double ProjectedError, double NaiveError, double Coverage, double WinnerRight)
{
    public double Width { get; init; }
    public double Brier { get; init; }
    public double CoinBrier { get; init; }
    public double HighestProbability { get; init; }
}

/// <summary>One projection of one order at one level, for whoever wants more than the table.</summary>
public sealed record BacktestRun(ReportingOrder Order, double Level, ProjectionResult Projection, double ProjectedError, double NaiveError,
    int Covered, int Candidates, bool WinnerRight)
{
    /// <summary>Mean 90% interval width of the scored candidates, points of SDE share.</summary>
    public double Width { get; init; }

    /// <summary>Σ over candidates of (win probability − 1 if the final winner else 0)².</summary>
    public double Brier { get; init; }

    /// <summary>The same for 50% each to the two leading the current SDEs.</summary>
    public double CoinBrier { get; init; }

    /// <summary>The naive projection of a candidate's SDE share: the current share.</summary>
    public double NaiveShare(string name)
    {
        var total = Projection.Candidates.Sum(c => (double)c.CurrentSde.Numerator / (double)c.CurrentSde.Denominator);
        var sde = Projection[name].CurrentSde;
        return total == 0 ? 0 : (double)sde.Numerator / (double)sde.Denominator / total;
    }
}

public sealed record BacktestReport(ImmutableArray<BacktestRow> Rows, ImmutableArray<BacktestRun> Runs, ImmutableDictionary<string, double> FinalShares);

/// <summary>
/// Replays a complete set of precinct reports in random and region-biased orders and scores the projection at each
/// reporting level against the final result, beside the naive projection (the current SDE shares).
/// </summary>
public static class Backtest
{
    /// <summary>Candidates below this share of the final SDEs are left out of the scores (a 0.0 share projected as 0.1 says nothing).</summary>
    public const double ScoredShare = 0.01;

    public static BacktestReport Run(Election election, IReadOnlyDictionary<string, Tally> final, BacktestOptions options)
    {
        ArgumentNullException.ThrowIfNull(election);
        ArgumentNullException.ThrowIfNull(final);
        ArgumentNullException.ThrowIfNull(options);
        var truth = new ResultsAggregate(election);
        foreach (var p in election.Precincts)
        {
            if (final.TryGetValue(p.Id, out var t)) truth.Apply(PrecinctResult.Compute(election, p, t));
        }
        var finalSde = truth.Statewide().Candidates.ToDictionary(c => c.Name, c => (double)c.Sde.Numerator / (double)c.Sde.Denominator, StringComparer.Ordinal);
        var finalTotal = finalSde.Values.Sum();
        var finalShares = finalSde.ToImmutableDictionary(kv => kv.Key, kv => kv.Value / finalTotal, StringComparer.Ordinal);
        var scored = finalShares.Where(kv => kv.Value >= ScoredShare).Select(kv => kv.Key).Order(StringComparer.Ordinal).ToList();
        var winner = finalSde.MaxBy(kv => kv.Value).Key;

        var orders = ReportingOrders.All(election, options.RandomOrders, options.Seed, options.BiasedRepeats)
            .Where(o => options.Kinds is not { } kinds || kinds.Contains(o.Kind)).ToList();
        var runs = ImmutableArray.CreateBuilder<BacktestRun>();
        foreach (var order in orders)
        {
            foreach (var level in options.Levels)
            {
                var reported = order.Reported(level).Where(p => final.ContainsKey(p.Id)).ToDictionary(p => p.Id, p => final[p.Id], StringComparer.Ordinal);
                var projection = Projector.Project(election, reported,
                    new ProjectionOptions(options.Draws, options.Seed, options.MaxDegreeOfParallelism));
                var currentTotal = projection.Candidates.Sum(c => ToDouble(c.CurrentSde));
                double projectedError = 0, naiveError = 0;
                var covered = 0;
                double width = 0;
                foreach (var name in scored)
                {
                    var c = projection[name];
                    projectedError += Math.Abs(projection.ProjectedSdeShare(name) - finalShares[name]);
                    naiveError += Math.Abs((currentTotal == 0 ? 0 : ToDouble(c.CurrentSde) / currentTotal) - finalShares[name]);
                    if (c.SdeInterval90.Contains(finalSde[name])) covered++;
                    width += projection.TotalSde == 0 ? 0 : (c.SdeInterval90.High - c.SdeInterval90.Low) / projection.TotalSde;
                }
                var brier = projection.Candidates.Sum(c => Math.Pow(c.ProbabilityFirst - (c.Name == winner ? 1 : 0), 2));
                var leading = projection.Candidates.OrderByDescending(c => ToDouble(c.CurrentSde)).ThenBy(c => c.Name, StringComparer.Ordinal)
                    .Take(2).Select(c => c.Name).ToList();
                var coin = leading.Contains(winner) ? 0.5 : 1.5;
                runs.Add(new BacktestRun(order, level, projection, 100 * projectedError / scored.Count, 100 * naiveError / scored.Count,
                    covered, scored.Count, projection.SdeLeader == winner)
                {
                    Width = 100 * width / scored.Count,
                    Brier = brier,
                    CoinBrier = coin,
                });
            }
        }
        var rows = runs.GroupBy(r => (r.Order.Kind, r.Level))
            .Select(g => new BacktestRow(g.Key.Kind, g.Key.Level, g.Count(), g.Average(r => r.ProjectedError), g.Average(r => r.NaiveError),
                (double)g.Sum(r => r.Covered) / g.Sum(r => r.Candidates), g.Average(r => r.WinnerRight ? 1.0 : 0.0))
            {
                Width = g.Average(r => r.Width),
                Brier = g.Average(r => r.Brier),
                CoinBrier = g.Average(r => r.CoinBrier),
                HighestProbability = g.Max(r => r.Projection.Candidates.Max(c => c.ProbabilityFirst)),
            })
            .ToImmutableArray();
        return new BacktestReport(rows, runs.ToImmutable(), finalShares);
    }

    private static double ToDouble(Arithmetic.Rational r) => (double)r.Numerator / (double)r.Denominator;
}

/// <summary>One line of the unreported-precinct diagnostic: a size class, a candidate, simulated against true shares (points).</summary>
public sealed record DiagnosticRow(string SizeClass, string Candidate, int Precincts, double SimulatedAlignment, double TrueAlignment,
    double SimulatedDelegates, double TrueDelegates);

/// <summary>
/// Whether the simulation of the precincts still out is unbiased: in random orders at one reporting level, the mean
/// simulated share of final alignment and of SDEs (delegates × SD/CD; satellites by delegates × attendance / D) of the unreported
/// precincts against the truth for the same precincts, overall and by size class (D), averaged over the orders.
/// </summary>
public static class ProjectionDiagnostic
{
    private static readonly (string Name, int Upper)[] SizeClasses = [("D 0-2", 2), ("D 3-4", 4), ("D 5-7", 7), ("D 8-14", 14), ("D 15+", int.MaxValue)];

    public static ImmutableArray<DiagnosticRow> Run(Election election, IReadOnlyDictionary<string, Tally> final, int orders, double level, int draws, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(election);
        ArgumentNullException.ThrowIfNull(final);
        var counties = election.Counties.ToDictionary(c => c.Name, StringComparer.Ordinal);
        var byId = election.Precincts.ToDictionary(p => p.Id, StringComparer.Ordinal);
        // key (class, candidate) → sums over orders of shares in points
        var sums = new Dictionary<(string, string), double[]>();
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var order in ReportingOrders.All(election, orders, seed, 0).Where(o => o.Kind == ReportingOrders.Random))
        {
            var reported = order.Reported(level).Where(p => final.ContainsKey(p.Id)).ToDictionary(p => p.Id, p => final[p.Id], StringComparer.Ordinal);
            var (names, ids, simFinal, simAward) = Projector.SimulateOpen(election, reported, draws, seed);
            var k = names.Length;
            var classOf = ids.Select(id => byId[id].Kind == PrecinctKind.Satellite ? "satellites"
                : SizeClasses.First(c => byId[id].Delegates <= c.Upper).Name).ToArray();
            foreach (var cls in classOf.Distinct().Append("all in-state").Append("all"))
            {
                var members = Enumerable.Range(0, ids.Length).Where(i => cls == "all" || (cls == "all in-state" ? classOf[i] != "satellites" : classOf[i] == cls)).ToArray();
                var simA = new double[k];
                var trueA = new double[k];
                var simD = new double[k];
                var trueD = new double[k];
                foreach (var i in members)
                {
                    var precinct = byId[ids[i]];
                    var county = counties[precinct.County];
                    var weight = precinct.Kind == PrecinctKind.Satellite ? (precinct.Delegates == 0 ? 0 : (double)final[precinct.Id].Attendees / precinct.Delegates)
                        : county.CountyDelegates == 0 ? 1.0 : (double)county.StateDelegates / county.CountyDelegates;
                    var allocation = PrecinctResult.Compute(election, precinct, final[precinct.Id]).Allocation;
                    for (var c = 0; c < k; c++)
                    {
                        simA[c] += simFinal[i * k + c];
                        trueA[c] += final[precinct.Id].FinalOf(names[c]);
                        simD[c] += (precinct.Kind == PrecinctKind.Satellite ? 1 : weight) * simAward[i * k + c];
                        trueD[c] += weight * allocation.DelegatesOf(names[c]);
                    }
                }
                counts[cls] = members.Length;
                for (var c = 0; c < k; c++)
                {
                    var key = (cls, names[c]);
                    if (!sums.TryGetValue(key, out var row)) sums[key] = row = new double[4];
                    row[0] += 100 * Share(simA, c);
                    row[1] += 100 * Share(trueA, c);
                    row[2] += 100 * Share(simD, c);
                    row[3] += 100 * Share(trueD, c);
                }
            }
        }
        return [.. sums.Select(kv => new DiagnosticRow(kv.Key.Item1, kv.Key.Item2, counts[kv.Key.Item1],
            kv.Value[0] / orders, kv.Value[1] / orders, kv.Value[2] / orders, kv.Value[3] / orders))];

        static double Share(double[] values, int c)
        {
            var total = values.Sum();
            return total == 0 ? 0 : values[c] / total;
        }
    }
}
