using System.Globalization;
using Caucus.Core.Model;
using Caucus.Core.Projection;

namespace Caucus.Cli.Commands;

/// <summary>
/// The backtest's table as the README quotes it. A headline summed from the precincts (SDEs, county delegates) is scored
/// in points of its share; a statewide headline (a secret ballot's national delegates, a few whole seats shared out from
/// the summed vote) in its own unit, beside the error of the vote share it is allocated from: a point of share of 40
/// delegates hides whether the projection was a delegate out.
/// </summary>
internal static class BacktestTable
{
    public static void Write(Election election, BacktestReport report, int precincts, int draws, ulong seed, TextWriter output)
    {
        var headline = election.RuleSet.Headline;
        var scored = report.FinalShares.Where(kv => kv.Value >= Backtest.ScoredShare).OrderByDescending(kv => kv.Value).Select(kv => kv.Key).ToList();
        if (headline.Statewide)
        {
            WriteStatewide(headline.Name.ToLowerInvariant(), report, scored, precincts, draws, seed, output);
        }
        else
        {
            WriteShares(report, scored, precincts, draws, seed, output);
        }
        output.Flush();
    }

    private static void WriteShares(BacktestReport report, List<string> scored, int precincts, int draws, ulong seed, TextWriter output)
    {
        output.WriteLine($"{precincts} precincts replayed; {draws} draws per projection; seed {seed}; scored: candidates with at least 1% of the final SDEs " +
            $"({string.Join(", ", scored.Select(n => string.Create(CultureInfo.InvariantCulture, $"{n} {100 * report.FinalShares[n]:0.00}%")))})");
        output.WriteLine();
        output.WriteLine("| order | reporting | orders | projection error (points) | naive error (points) | 90% intervals holding the final | mean 90% width (points) | Brier of the win probability | Brier of a coin toss | highest win probability | projected SDE winner right |");
        output.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var row in report.Rows)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {row.Kind} | {row.Level:P0} | {row.Orders} | {row.ProjectedError:0.00} | {row.NaiveError:0.00} | {row.Coverage:P0} | {row.Width:0.00} | {row.Brier:0.000} | {row.CoinBrier:0.000} | {row.HighestProbability:P0} | {row.WinnerRight:P0} |"));
        }
        var all = report.Runs;
        output.WriteLine();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Overall: projection error {all.Average(r => r.ProjectedError):0.00} points, naive {all.Average(r => r.NaiveError):0.00}; " +
            $"90% intervals hold the final {(double)all.Sum(r => r.Covered) / all.Sum(r => r.Candidates):P1}; Brier {all.Average(r => r.Brier):0.000} (coin toss {all.Average(r => r.CoinBrier):0.000}); winner right {all.Average(r => r.WinnerRight ? 1.0 : 0.0):P0}."));
        output.WriteLine("Mean signed error of the projected SDE share by candidate (points; + means projected too high):");
        foreach (var name in scored)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {name,-10} projection {all.Average(r => 100 * (r.Projection.ProjectedSdeShare(name) - report.FinalShares[name])),6:+0.00;-0.00}  " +
                $"naive {all.Average(r => 100 * (r.NaiveShare(name) - report.FinalShares[name])),6:+0.00;-0.00}"));
        }
    }

    private static void WriteStatewide(string unit, BacktestReport report, List<string> scored, int precincts, int draws, ulong seed, TextWriter output)
    {
        output.WriteLine($"{precincts} precincts replayed; {draws} draws per projection; seed {seed}; scored: candidates with at least 1% of the final {unit} " +
            $"({string.Join(", ", scored.Select(n => string.Create(CultureInfo.InvariantCulture, $"{n} {report.FinalUnits[n]:0}")))} of {report.FinalUnits.Values.Sum():0})");
        output.WriteLine();
        output.WriteLine($"| order | reporting | orders | projection error ({unit}) | naive error ({unit}) | vote share error (points) | naive vote share error (points) | 90% intervals holding the final | mean 90% width ({unit}) | Brier of the win probability | Brier of a coin toss | highest win probability | projected winner right (most {unit}) |");
        output.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var row in report.Rows)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {row.Kind} | {row.Level:P0} | {row.Orders} | {row.ProjectedUnits:0.00} | {row.NaiveUnits:0.00} | {row.VoteError:0.00} | {row.NaiveVoteError:0.00} | {row.Coverage:P0} | {row.WidthUnits:0.00} | {row.Brier:0.000} | {row.CoinBrier:0.000} | {row.HighestProbability:P0} | {row.WinnerRight:P0} |"));
        }
        var all = report.Runs;
        output.WriteLine();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Overall: projection error {all.Average(r => r.ProjectedUnits):0.00} {unit}, naive {all.Average(r => r.NaiveUnits):0.00}; vote share error {all.Average(r => r.VoteError):0.00} points, naive {all.Average(r => r.NaiveVoteError):0.00}; " +
            $"90% intervals hold the final {(double)all.Sum(r => r.Covered) / all.Sum(r => r.Candidates):P1}; Brier {all.Average(r => r.Brier):0.000} (coin toss {all.Average(r => r.CoinBrier):0.000}); winner right {all.Average(r => r.WinnerRight ? 1.0 : 0.0):P0}."));
        output.WriteLine($"Mean signed error by candidate ({unit}; + means projected too high):");
        foreach (var name in scored)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {name,-10} projection {all.Average(r => r.Projection[name].ProjectedSde - report.FinalUnits[name]),6:+0.00;-0.00}  " +
                $"naive {all.Average(r => r.NaiveShare(name) * report.FinalUnits.Values.Sum() - report.FinalUnits[name]),6:+0.00;-0.00}"));
        }
    }
}
