using Caucus.Cli.Commands;
using Caucus.Core.Text;

namespace Caucus.Cli.Tests;

/// <summary>`caucus allocate --election elections/nevada-2020`: the same CSV as Iowa's, allocated by the election's rule set.</summary>
public class NevadaAllocateCommandTests
{
    // ../shared/rules/nevada-2020.md, Principle 2 A: D = 4, N = 76, threshold 12: R = 0.6842 (x4), 1.2632 → 1 each = 5,
    // one too many, but every group holds its only delegate: five delegates from a four-delegate precinct.
    private const string Principle2A = AllocateCommand.InputHeader + "\n" +
        "p2a,4,76,A,13,13\np2a,4,76,B,13,13\np2a,4,76,C,13,13\np2a,4,76,D,13,13\np2a,4,76,E,24,24\n";

    private static (int Code, List<CsvRecord> Output, string Error) Run(string input, DirectoryInfo? election)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = AllocateCommand.Run(new StringReader(input), stdout, stderr, election);
        return (code, Csv.Parse(stdout.ToString()).ToList(), stderr.ToString());
    }

    [Fact]
    public void Nevada_awards_five_delegates_in_a_four_delegate_precinct_under_principle_2()
    {
        var (code, output, error) = Run(Principle2A, new DirectoryInfo(Paths.NevadaElection));
        Assert.Equal("", error);
        Assert.Equal(0, code);
        Assert.Equal(AllocateCommand.OutputHeader, string.Join(",", output[0].Fields));
        Assert.Equal(
            [["p2a", "A", "true", "1", "ok", ""], ["p2a", "B", "true", "1", "ok", ""], ["p2a", "C", "true", "1", "ok", ""],
             ["p2a", "D", "true", "1", "ok", ""], ["p2a", "E", "true", "1", "ok", ""]],
            output.Skip(1).Select(r => r.Fields.ToArray()));
    }

    [Fact]
    public void Without_an_election_the_same_precinct_is_allocated_by_iowa_rules_and_elects_exactly_four()
    {
        var (code, output, error) = Run(Principle2A, null);
        Assert.Equal("", error);
        Assert.Equal(0, code);
        Assert.Equal(4, output.Skip(1).Sum(r => int.Parse(r.Fields[3], System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void An_election_folder_that_does_not_load_is_refused()
    {
        var (code, output, error) = Run(Principle2A, new DirectoryInfo(Path.Combine(Path.GetTempPath(), $"no-election-{Guid.NewGuid():N}")));
        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.StartsWith("election folder refused: ", error, StringComparison.Ordinal);
    }
}
