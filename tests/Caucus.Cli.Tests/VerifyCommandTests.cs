using Caucus.Cli.Commands;
using Caucus.Core.Text;

namespace Caucus.Cli.Tests;

public class VerifyCommandTests
{
    private static (int Code, string Output, string Error) Run(string resultsPath, string format)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = VerifyCommand.Run(new FileInfo(resultsPath), null, format, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void Csv_output_is_the_header_and_one_row_per_precinct_of_the_file_and_nothing_else()
    {
        var (code, output, error) = Run(Paths.HundredPercentResults, "csv");
        Assert.Equal(0, code);
        Assert.Equal("", error);
        var records = Csv.Parse(output).ToList();
        Assert.Equal(["county", "precinct", "status", "reason"], records[0].Fields);

        // The file's precinct rows: everything after its three header rows except the county "Total" rows.
        var expected = Csv.Parse(File.ReadAllText(Paths.HundredPercentResults)).Skip(3)
            .Where(r => r.Fields[1].Trim() != "Total").Select(r => (r.Fields[0].Trim(), r.Fields[1].Trim())).ToList();
        Assert.Equal(1_678 + 87, expected.Count);
        Assert.Equal(expected, records.Skip(1).Select(r => (r.Fields[0], r.Fields[1])));
        Assert.All(records.Skip(1), r =>
        {
            Assert.Equal(4, r.Fields.Count);
            Assert.Contains(r.Fields[2], new[] { "consistent", "tie-consistent", "inconsistent", "unknown" });
            Assert.Equal(r.Fields[2] == "consistent", r.Fields[3].Length == 0);
        });
        Assert.Equal(expected.Count + 1, output.TrimEnd('\n', '\r').Split('\n').Count(l => l.Length > 0) - QuotedLineBreaks(output));
    }

    [Fact]
    public void A_precinct_missing_from_the_election_is_unknown()
    {
        var lines = File.ReadAllLines(Paths.HundredPercentResults);
        var path = Path.Combine(Path.GetTempPath(), $"caucus-verify-{Guid.NewGuid():N}.csv");
        try
        {
            File.WriteAllLines(path, lines.Take(3).Append(lines.Single(l => l.StartsWith("Adair,4SE ORIENT,", StringComparison.Ordinal)))
                .Append("Adair,9ZZ NOWHERE,0,1,0,0,0,0,0,0,0,0,0,0,0,0,0,1,0,0,0,0,0,0,0,0,0,0,0,0,0,0.0784,0,0,0,0,0,0,0,0,0,0,0,0"));
            var (code, output, error) = Run(path, "csv");
            Assert.Equal(0, code);
            Assert.Equal("", error);
            var records = Csv.Parse(output).Skip(1).ToList();
            Assert.Equal(2, records.Count);
            Assert.Equal(["Adair", "4SE ORIENT", "inconsistent"], records[0].Fields.Take(3));
            Assert.StartsWith("the right number of delegates, but the rounding adjustment went to the wrong group", records[0].Fields[3], StringComparison.Ordinal);
            Assert.Equal(["Adair", "9ZZ NOWHERE", "unknown"], records[1].Fields.Take(3));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_missing_results_file_is_an_error()
    {
        var (code, output, error) = Run(Path.Combine(Path.GetTempPath(), $"{Guid.NewGuid():N}.csv"), "csv");
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Contains("no such file", error, StringComparison.Ordinal);
    }

    private static int QuotedLineBreaks(string csv)
    {
        var inside = false;
        var count = 0;
        foreach (var ch in csv)
        {
            if (ch == '"') inside = !inside;
            else if (ch == '\n' && inside) count++;
        }
        return count;
    }
}
