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

    /// <summary>The errors and width in the headline's own unit (SDEs, national delegates) rather than points of share.</summary>
    public double ProjectedUnits { get; init; }
    public double NaiveUnits { get; init; }
    public double WidthUnits { get; init; }

    /// <summary>Mean absolute error of the projected final-alignment (vote) share, points, over the same candidates; naive: the current share.</summary>
    public double VoteError { get; init; }
    public double NaiveVoteError { get; init; }
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

    /// <summary>The same three in the headline's unit: mean |projected − final| and the mean interval width (SDEs, national delegates).</summary>
    public double ProjectedUnits { get; init; }
    public double NaiveUnits { get; init; }
    public double WidthUnits { get; init; }

    /// <summary>Mean absolute error of the projected and of the current final-alignment (vote) share, points.</summary>
    public double VoteError { get; init; }
    public double NaiveVoteError { get; init; }

    /// <summary>The naive projection of a candidate's SDE share: the current share.</summary>
    public double NaiveShare(string name)
    {
        var total = Projection.Candidates.Sum(c => (double)c.CurrentSde.Numerator / (double)c.CurrentSde.Denominator);
        var sde = Projection[name].CurrentSde;
        return total == 0 ? 0 : (double)sde.Numerator / (double)sde.Denominator / total;
    }
}

public sealed record BacktestReport(ImmutableArray<BacktestRow> Rows, ImmutableArray<BacktestRun> Runs, ImmutableDictionary<string, double> FinalShares)
{
    /// <summary>Each candidate's final headline in its own unit (SDEs, national delegates).</summary>
    public ImmutableDictionary<string, double> FinalUnits { get; init; } = ImmutableDictionary<string, double>.Empty;
}

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
        var finalVotes = truth.Statewide().Candidates.ToDictionary(c => c.Name, c => (double)c.FinalAlignment, StringComparer.Ordinal);
        var finalVoteTotal = finalVotes.Values.Sum();

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
                var currentVotes = projection.Candidates.Sum(c => (double)c.CurrentFinalAlignment);
                var projectedVotes = projection.Candidates.Sum(c => c.ProjectedFinalAlignment);
                double projectedError = 0, naiveError = 0, projectedUnits = 0, naiveUnits = 0, voteError = 0, naiveVoteError = 0;
                var covered = 0;
                double width = 0, widthUnits = 0;
                foreach (var name in scored)
                {
                    var c = projection[name];
                    projectedError += Math.Abs(projection.ProjectedSdeShare(name) - finalShares[name]);
                    naiveError += Math.Abs((currentTotal == 0 ? 0 : ToDouble(c.CurrentSde) / currentTotal) - finalShares[name]);
                    if (c.SdeInterval90.Contains(finalSde[name])) covered++;
                    width += projection.TotalSde == 0 ? 0 : (c.SdeInterval90.High - c.SdeInterval90.Low) / projection.TotalSde;
                    projectedUnits += Math.Abs(c.ProjectedSde - finalSde[name]);
                    // The naive headline: the current shares scaled to the final total (a statewide headline's current
                    // allocation already shares out every seat, so this is the current count itself).
                    naiveUnits += Math.Abs((currentTotal == 0 ? 0 : ToDouble(c.CurrentSde) / currentTotal * finalTotal) - finalSde[name]);
                    widthUnits += c.SdeInterval90.High - c.SdeInterval90.Low;
                    var finalVoteShare = finalVoteTotal == 0 ? 0 : finalVotes[name] / finalVoteTotal;
                    voteError += Math.Abs((projectedVotes == 0 ? 0 : c.ProjectedFinalAlignment / projectedVotes) - finalVoteShare);
                    naiveVoteError += Math.Abs((currentVotes == 0 ? 0 : c.CurrentFinalAlignment / currentVotes) - finalVoteShare);
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
                    ProjectedUnits = projectedUnits / scored.Count,
                    NaiveUnits = naiveUnits / scored.Count,
                    WidthUnits = widthUnits / scored.Count,
                    VoteError = 100 * voteError / scored.Count,
                    NaiveVoteError = 100 * naiveVoteError / scored.Count,
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
                ProjectedUnits = g.Average(r => r.ProjectedUnits),
                NaiveUnits = g.Average(r => r.NaiveUnits),
                WidthUnits = g.Average(r => r.WidthUnits),
                VoteError = g.Average(r => r.VoteError),
                NaiveVoteError = g.Average(r => r.NaiveVoteError),
            })
            .ToImmutableArray();
        return new BacktestReport(rows, runs.ToImmutable(), finalShares) { FinalUnits = finalSde.ToImmutableDictionary(StringComparer.Ordinal) };
    }

    private static double ToDouble(Arithmetic.Rational r) => (double)r.Numerator / (double)r.Denominator;
}
