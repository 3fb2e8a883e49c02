using System.Text.RegularExpressions;
using Caucus.Cli.Commands;

namespace Caucus.Cli.Tests;

/// <summary>
/// `caucus backtest --election elections/iowa-gop-2024 --synthetic`: the secret ballot's synthetic night (one unit per
/// county, CD4 leaning to Hutchinson) replayed through the projection, whose headline is the statewide allocation of
/// each draw's vote. The table is in national delegates and vote share, and the README's "Projection backtest" quotes
/// it: the test runs the README's own command line and checks every line the README shows.
/// </summary>
public partial class SecretBallotBacktestCommandTests
{
    private static readonly string Readme = File.ReadAllText(Path.Combine(Paths.RepoRoot, "README.md"));

    [Fact]
    public void The_readmes_secret_ballot_backtest_is_what_its_command_prints()
    {
        var command = CommandLine().Match(Readme);
        Assert.True(command.Success, "the README gives the secret ballot's backtest command");
        var options = command.Groups;
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = BacktestCommand.Run(null, new DirectoryInfo(Path.Combine(Paths.RepoRoot, "elections", "iowa-gop-2024")),
            orders: int.Parse(options["orders"].Value, System.Globalization.CultureInfo.InvariantCulture),
            biased: int.Parse(options["biased"].Value, System.Globalization.CultureInfo.InvariantCulture),
            draws: int.Parse(options["draws"].Value, System.Globalization.CultureInfo.InvariantCulture),
            seed: 2020, timing: false, stdout, stderr, synthetic: true);
        Assert.Equal("", stderr.ToString());
        Assert.Equal(0, code);
        var lines = stdout.ToString().Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        Assert.Equal("Synthetic night of seed 2020 under secret-ballot: CD4 leans to Hutchinson.", lines[0]);
        // Whole delegates of 40; every one of the 99 county units reports in the synthetic night.
        Assert.Equal("99 precincts replayed; 500 draws per projection; seed 2020; scored: candidates with at least 1% of the final national delegates " +
            "(DeSantis 12, Hutchinson 10, Haley 6, Ramaswamy 5, Trump 4, Binkley 3 of 40)", lines[1]);
        var table = lines.Where(l => l.StartsWith('|')).ToList();
        Assert.Contains("| projection error (national delegates) | naive error (national delegates) | vote share error (points) |", table[0], StringComparison.Ordinal);
        // A folder whose counties elect no county delegates has no size to order by: no big-counties or small-rural rows.
        Assert.Equal(["random", "one district first", "satellites last"], table.Skip(2).Select(l => l.Split('|')[1].Trim()).Distinct());
        // The README shows the scored line's candidates, the table and the overall line as printed.
        Assert.Contains("Scored: DeSantis 12, Hutchinson 10, Haley 6, Ramaswamy 5, Trump 4, Binkley 3 of the 40 national delegates.", Readme, StringComparison.Ordinal);
        foreach (var line in table) Assert.Contains(line + "\n", Readme, StringComparison.Ordinal);
        Assert.Contains(lines.Single(l => l.StartsWith("Overall: ", StringComparison.Ordinal)), Readme, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"backtest --election elections/iowa-gop-2024 --synthetic --orders (?<orders>\d+) --biased-orders (?<biased>\d+) --draws (?<draws>\d+)\n")]
    private static partial Regex CommandLine();
}
