using Caucus.Core.Projection;

namespace Caucus.Core.Tests.Projection;

/// <summary>`caucus backtest --diagnose` on a synthetic election: the simulated unreported precincts against their truth.</summary>
public class ProjectionDiagnosticTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public void At_half_reporting_in_random_orders_the_simulated_unreported_precincts_match_their_final_alignment()
    {
        var s = SyntheticElections.Create(11);
        var rows = ProjectionDiagnostic.Run(s.Election, s.Final, orders: 8, level: 0.5, draws: 100, seed: 2020);
        foreach (var row in rows.Where(r => r.SizeClass == "all in-state"))
        {
            output.WriteLine($"{row.Candidate}: simulated {row.SimulatedAlignment:0.00}, true {row.TrueAlignment:0.00}; SDEs {row.SimulatedDelegates:0.00} against {row.TrueDelegates:0.00}");
            Assert.True(Math.Abs(row.SimulatedAlignment - row.TrueAlignment) < 1.0, $"{row.Candidate}: {row.SimulatedAlignment:0.00} against {row.TrueAlignment:0.00}");
        }
    }
}
