using Caucus.Core.Projection;

namespace Caucus.Core.Tests.Projection;

/// <summary>The 2020 backtest, cut down to run in the suite (the full one is `caucus backtest`, README).</summary>
public class BacktestTests
{
    [Fact]
    public void Replaying_2020_with_one_district_first_the_projection_at_half_reporting_beats_the_naive_one()
    {
        var election = IowaElection.Shipped;
        var final = PublishedReports.Tallies(election, File.ReadAllText(Paths.HundredPercentResults));
        Assert.Equal(election.Precincts.Length, final.Count);
        var report = Backtest.Run(election, final, new BacktestOptions(RandomOrders: 0, Draws: 150, Seed: 2020)
        {
            Levels = [0.5],
            Kinds = [ReportingOrders.DistrictFirst],
        });
        var row = Assert.Single(report.Rows);
        Assert.Equal(4, row.Orders);
        Assert.True(row.ProjectedError < row.NaiveError, $"projection {row.ProjectedError:0.00} points, naive {row.NaiveError:0.00}");
        Assert.InRange(row.Coverage, 0.5, 1.0);
    }
}
