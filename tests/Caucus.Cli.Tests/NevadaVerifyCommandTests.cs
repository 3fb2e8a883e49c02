using Caucus.Cli.Commands;
using Caucus.Core.Text;

namespace Caucus.Cli.Tests;

/// <summary>
/// `caucus verify --election elections/nevada-2020 --results …/nv-caucus-results-2020-02-24.csv`: issue 20, item 5. The
/// figures are the ones measured when the Nevada format landed (root README, "Measured"); a change to the rule set or
/// the reader that loses a precinct fails here.
/// </summary>
public class NevadaVerifyCommandTests
{
    private static (int Code, string Output, string Error) Run(string resultsPath, string format)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = VerifyCommand.Run(new FileInfo(resultsPath), new DirectoryInfo(Paths.NevadaElection), format, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void Csv_classifies_every_precinct_of_the_file_with_a_reason_for_every_inconsistent_one()
    {
        var (code, output, error) = Run(Paths.NevadaResults, "csv");
        Assert.Equal("", error);
        Assert.Equal(0, code);
        var records = Csv.Parse(output).ToList();
        Assert.Equal(["county", "precinct", "verdict", "reason"], records[0].Fields);

        // One row per site of the file (precinct_full), in the order the file first names it.
        var file = Csv.Parse(File.ReadAllText(Paths.NevadaResults)).Skip(1)
            .Select(r => (r.Fields[0], r.Fields[1])).Distinct().ToList();
        Assert.Equal(2_097, file.Count);
        var rows = records.Skip(1).ToList();
        Assert.Equal(file, rows.Select(r => (r.Fields[0], r.Fields[1])));
        Assert.All(rows, r =>
        {
            Assert.Equal(4, r.Fields.Count);
            Assert.Contains(r.Fields[2], new[] { "consistent", "tie-consistent", "inconsistent", "not-held" });
            Assert.Equal(r.Fields[2] == "consistent", r.Fields[3].Length == 0);
        });

        var byVerdict = rows.GroupBy(r => r.Fields[2]).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(1_441, byVerdict["consistent"]);
        Assert.Equal(89, byVerdict["tie-consistent"]);
        Assert.Equal(118, byVerdict["inconsistent"]);
        Assert.Equal(449, byVerdict["not-held"]);
        // 1,648 sites had people in an alignment (elections/nevada-2020/README.md): each has a verdict from the rules.
        Assert.Equal(1_648, byVerdict["consistent"] + byVerdict["tie-consistent"] + byVerdict["inconsistent"]);
        Assert.All(rows.Where(r => r.Fields[2] == "tie-consistent"), r => Assert.StartsWith("consistent if ", r.Fields[3], StringComparison.Ordinal));
        Assert.All(rows.Where(r => r.Fields[2] == "not-held"), r => Assert.Equal("no one aligned: no caucus was held", r.Fields[3]));
    }

    [Fact]
    public void An_inconsistent_site_names_the_groups_and_the_numbers()
    {
        var (_, output, _) = Run(Paths.NevadaResults, "csv");
        var carson107 = Csv.Parse(output).Single(r => r.Fields[0] == "CARSON" && r.Fields[1] == "107");
        Assert.Equal("inconsistent", carson107.Fields[2]);
        Assert.Equal("more delegates were awarded than the precinct elects (Biden reported 2, rules give 1)", carson107.Fields[3]);
    }

    [Fact]
    public void Text_gives_the_statewide_county_delegates_recomputed_beside_the_published_ones()
    {
        var (code, output, error) = Run(Paths.NevadaResults, "text");
        Assert.Equal(0, code);
        Assert.Equal("", error);
        var lines = output.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        Assert.Contains("Statewide county delegates (recomputed from the alignments; published: the delegates the file reports):", lines);
        // Published: the file's reported_del_given summed (14,491 statewide, Sanders 6,788: elections/nevada-2020/README.md).
        Assert.Equal(["Sanders", "6746", "6788", "-42", "35652", "41075"], Words(lines.Single(l => l.StartsWith("Sanders ", StringComparison.Ordinal))));
        Assert.Equal(["total", "14398", "14491", "-93"], Words(lines.Single(l => l.StartsWith("total ", StringComparison.Ordinal))));
        Assert.Contains("   1441  consistent", lines);
        Assert.Contains("    449  not-held", lines);
        Assert.DoesNotContain(lines, l => l.Contains("SDE", StringComparison.Ordinal));
    }

    [Fact]
    public void An_unreadable_count_is_an_error_naming_its_line_and_column_and_the_other_sites_are_classified()
    {
        var lines = File.ReadAllLines(Paths.NevadaResults);
        var carson = lines.Take(1 + 12 * 2).ToList();   // the header and the first two sites, 12 candidates each
        carson[3] = carson[3].Replace(",2,21,24,", ",2,twenty-one,24,", StringComparison.Ordinal);
        var path = Path.Combine(Path.GetTempPath(), $"caucus-nv-verify-{Guid.NewGuid():N}.csv");
        try
        {
            File.WriteAllLines(path, carson);
            var (code, output, error) = Run(path, "csv");
            Assert.Equal(1, code);
            Assert.Contains(":4: align1 must be a whole number of 0 or more, not 'twenty-one'", error, StringComparison.Ordinal);
            var rows = Csv.Parse(output).Skip(1).ToList();
            Assert.Equal(["CARSON", "103", "consistent", ""], Assert.Single(rows).Fields);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static string[] Words(string line) => line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
