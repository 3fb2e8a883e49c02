using Caucus.Cli.Commands;

namespace Caucus.Cli.Tests;

/// <summary>
/// `caucus backtest --synthetic`: the folder's synthetic night (Caucus.Core/Simulation) replayed through the projection
/// like a published night, here Iowa's precincts counted as walking subcaucuses (`--rule-set`), as the README's
/// "Projection backtest" runs it with more orders and draws.
/// </summary>
public class SyntheticBacktestCommandTests
{
    private static (int Code, string Output, string Error) Run(FileInfo? results, bool synthetic, string? ruleSet, int draws = 20)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = BacktestCommand.Run(results, new DirectoryInfo(Path.Combine(Paths.RepoRoot, "elections", "iowa-2020")), orders: 1, biased: 0,
            draws: draws, seed: 2020, timing: false, stdout, stderr, synthetic: synthetic, ruleSet: ruleSet);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void Replays_a_synthetic_walking_subcaucus_night_on_iowas_precincts_the_same_for_the_same_seed()
    {
        var (code, output, error) = Run(null, synthetic: true, "walking-subcaucus");
        Assert.Equal("", error);
        Assert.Equal(0, code);
        var lines = output.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        // The README's "Projection backtest" names this night's leaning region.
        Assert.Equal("Synthetic night of seed 2020 under walking-subcaucus: CD3 leans to Steyer.", lines[0]);
        // Every precinct and satellite of the folder reports in the synthetic night.
        Assert.StartsWith("1765 precincts replayed; 20 draws per projection; seed 2020; scored: ", lines[1], StringComparison.Ordinal);
        Assert.Equal(["10 %", "25 %", "50 %", "75 %"], lines.Where(l => l.StartsWith("| random", StringComparison.Ordinal)).Select(l => l.Split('|')[2].Trim()));
        Assert.Equal(output, Run(null, synthetic: true, "walking-subcaucus").Output);
    }

    [Theory]
    [InlineData(false, null, "give either --results FILE or --synthetic")]
    [InlineData(true, "no-such-rules", "--rule-set no-such-rules: no such rule set; the rule sets are iowa-2020, nevada-2020, ")]
    public void Refuses_a_command_line_that_names_no_night_or_an_unknown_rule_set(bool synthetic, string? ruleSet, string message)
    {
        var (code, _, error) = Run(null, synthetic, ruleSet);
        Assert.Equal(2, code);
        Assert.StartsWith(message, error.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_results_file_and_a_synthetic_night_together_are_refused()
    {
        var (code, _, error) = Run(new FileInfo(Paths.HundredPercentResults), synthetic: true, null);
        Assert.Equal(2, code);
        Assert.Equal("give either --results FILE or --synthetic", error.Trim());
    }
}
