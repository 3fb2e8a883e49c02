using Caucus.Cli.Commands;
using Caucus.Core.Text;

namespace Caucus.Cli.Tests;

/// <summary>`caucus allocate` and `caucus verify --format csv` write a name a spreadsheet would run as text (a quote in front).</summary>
public class CsvFormulaGuardTests
{
    [Fact]
    public void Allocate_writes_precinct_and_group_names_that_begin_with_a_formula_character_as_text()
    {
        var input = $"{AllocateCommand.InputHeader}\n" +
            "=cmd|' /C calc'!A0,4,30,@Sanders,16,16\n" +
            "=cmd|' /C calc'!A0,4,30,+Warren,8,8\n" +
            "=cmd|' /C calc'!A0,4,30,-Biden,6,6\n";
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var code = AllocateCommand.Run(new StringReader(input), stdout, stderr);

        Assert.True(code == 0, stderr.ToString());
        var lines = stdout.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(4, lines.Length);
        Assert.All(lines.Skip(1), l => Assert.StartsWith("'=cmd|' /C calc'!A0,", l, StringComparison.Ordinal));
        Assert.Equal(["'@Sanders", "'+Warren", "'-Biden"], lines.Skip(1).Select(l => l.Split(',')[1]));
        // Read back with our reader, the names are the input's.
        Assert.Equal(["@Sanders", "+Warren", "-Biden"], Csv.Parse(stdout.ToString()).Skip(1).Select(r => r.Fields[1]));
    }

    [Fact]
    public void Verify_writes_a_precinct_name_that_begins_with_a_formula_character_as_text()
    {
        var lines = File.ReadAllLines(Paths.HundredPercentResults);
        var path = Path.Combine(Path.GetTempPath(), $"caucus-verify-{Guid.NewGuid():N}.csv");
        try
        {
            File.WriteAllLines(path, lines.Take(3)
                .Append("Adair,=HYPERLINK(\"\"http://example.invalid/\"\"),0,1,0,0,0,0,0,0,0,0,0,0,0,0,0,1,0,0,0,0,0,0,0,0,0,0,0,0,0,0.0784,0,0,0,0,0,0,0,0,0,0,0,0".Replace(
                    "=HYPERLINK(\"\"http://example.invalid/\"\")", "\"=HYPERLINK(\"\"http://example.invalid/\"\")\"", StringComparison.Ordinal)));
            using var stdout = new StringWriter();
            using var stderr = new StringWriter();

            var code = VerifyCommand.Run(new FileInfo(path), null, "csv", stdout, stderr);

            Assert.True(code == 0, stderr.ToString());
            var written = stdout.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            Assert.Equal("Adair,\"'=HYPERLINK(\"\"http://example.invalid/\"\")\",unknown,the precinct is not in the election definition", written[1]);
            Assert.Equal("=HYPERLINK(\"http://example.invalid/\")", Csv.Parse(stdout.ToString()).Skip(1).Single().Fields[1]);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
