using Caucus.Cli.Commands;

namespace Caucus.Cli.Tests;

/// <summary>
/// `caucus backtest --election elections/nevada-2020 --results …/nv-caucus-results-2020-02-24.csv`: the file is read in
/// Nevada's published format (PublishedResultsFormats) and replayed through the projection with Nevada's own fast
/// allocator (IRuleSet.CreateFastAllocator). The figures are those of the run below (seeded: the same seed gives the same
/// draws), so a change to the reader, the rule set's allocator or the projection shows here.
/// </summary>
public class NevadaBacktestCommandTests
{
    [Fact]
    public void Replays_nevadas_results_feed_and_scores_the_projection()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = BacktestCommand.Run(new FileInfo(Paths.NevadaResults), new DirectoryInfo(Paths.NevadaElection), orders: 1, biased: 0,
            draws: 50, seed: 2020, timing: false, stdout, stderr);
        Assert.Equal("", stderr.ToString());
        Assert.Equal(0, code);
        var lines = stdout.ToString().Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        // Columns: error, naive error, 90% coverage, mean 90% width, Brier of the win probability and of a coin toss,
        // the highest win probability, winner right. Every site of the file (2,097, as `caucus verify` counts them), and the county-delegate shares of the final result.
        Assert.Equal("2097 precincts replayed; 50 draws per projection; seed 2020; scored: candidates with at least 1% of the final SDEs " +
            "(Sanders 46.85%, Biden 20.44%, Buttigieg 14.09%, Warren 9.70%, Steyer 4.63%, Klobuchar 4.17%)", lines[0]);
        Assert.Equal(
        [
            "| random | 10 % | 1 | 1.57 | 1.56 | 83 % | 4.62 | 0.000 | 0.500 | 100 % | 100 % |",
            "| random | 25 % | 1 | 1.09 | 1.05 | 67 % | 3.67 | 0.000 | 0.500 | 100 % | 100 % |",
            "| random | 50 % | 1 | 0.24 | 0.24 | 100 % | 2.93 | 0.000 | 0.500 | 100 % | 100 % |",
            "| random | 75 % | 1 | 0.13 | 0.07 | 100 % | 1.18 | 0.000 | 0.500 | 100 % | 100 % |",
        ], lines.Where(l => l.StartsWith("| random", StringComparison.Ordinal)));
    }
}
