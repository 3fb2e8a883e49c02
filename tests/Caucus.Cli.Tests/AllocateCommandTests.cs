using System.Text;
using Caucus.Cli.Commands;
using Caucus.Core.Model;
using Caucus.Core.Rules.Iowa2020;
using Caucus.Core.Rules;
using Caucus.Core.Tests;
using Caucus.Core.Text;
using CsCheck;

namespace Caucus.Cli.Tests;

public class AllocateCommandTests
{
    private static readonly Iowa2020RuleSet Rules = new();

    private static (int Code, List<CsvRecord> Output, string Error) Run(string input)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = AllocateCommand.Run(new StringReader(input), stdout, stderr);
        return (code, Csv.Parse(stdout.ToString()).ToList(), stderr.ToString());
    }

    [Fact]
    public void Thousands_of_precincts_come_out_as_the_rules_allow()
    {
        PrecinctGenerators.Precinct.Array[3_000].Sample(precincts =>
        {
            var input = new StringBuilder(AllocateCommand.InputHeader).Append('\n');
            for (var i = 0; i < precincts.Length; i++)
            {
                var p = precincts[i];
                for (var g = 0; g < p.Names.Length; g++)
                {
                    input.Append($"p{i},{p.Delegates},{p.Attendees},{p.Names[g]},{p.First[g]},{p.Final[g]}\n");
                }
            }
            var (code, output, error) = Run(input.ToString());
            Assert.Equal("", error);
            Assert.Equal(0, code);
            Assert.Equal(AllocateCommand.OutputHeader, string.Join(",", output[0].Fields));
            var byPrecinct = output.Skip(1).GroupBy(r => r.Fields[0]).ToDictionary(g => g.Key, g => g.ToList());
            Assert.Equal(precincts.Length, byPrecinct.Count);
            var ties = 0;
            for (var i = 0; i < precincts.Length; i++)
            {
                var p = precincts[i];
                var rows = byPrecinct[$"p{i}"];
                Assert.Equal(p.Names, rows.Select(r => r.Fields[1]));   // groups in input order
                var expected = Rules.Allocate(p.Delegates, p.ToTally());
                var status = Assert.Single(rows.Select(r => r.Fields[4]).Distinct());
                Assert.Equal(expected.Tie is null ? "ok" : "tie", status);
                if (status == "tie") ties++;
                var delegates = rows.ToDictionary(r => r.Fields[1], r => int.Parse(r.Fields[3], System.Globalization.CultureInfo.InvariantCulture));
                foreach (var r in rows)
                {
                    var g = expected.Groups.Single(x => x.Group == r.Fields[1]);
                    Assert.Equal(g.Viable ? "true" : "false", r.Fields[2]);
                    Assert.Equal(g.Delegates, delegates[g.Group]);
                    Assert.Equal(string.Join(";", expected.Warnings.Select(w => w.Slug).Distinct()), r.Fields[5]);
                }
                // And, independently of the engine, the allocation is one the rules allow.
                if (RulesOracle.Read(p.Delegates, p.Attendees, p.FinalByName) is { } reading)
                {
                    Assert.Contains(RulesOracle.Show(delegates), reading.Allowed.Select(RulesOracle.Show));
                    Assert.Equal(reading.Allowed.Length > 1, status == "tie");
                }
            }
            Assert.True(ties > 0, "the sample had no tie at all");
        }, iter: 2, threads: 1, print: _ => "(3,000 generated precincts)");
    }

    [Fact]
    public void A_malformed_row_is_named_by_line_and_the_other_precincts_are_still_computed()
    {
        const string input = """
            precinct,delegates,attendees,group,first,final
            a,8,40,Biden,6,6
            b,5,x,Sanders,10,10
            a,8,40,Buttigieg,34,34
            c,4,20,Warren,20
            d,1,10,Yang,10,10
            b,5,10,Warren,0,0
            """;
        var (code, output, error) = Run(input);
        Assert.Equal(1, code);
        Assert.Contains("line 3", error, StringComparison.Ordinal);
        Assert.Contains("attendees", error, StringComparison.Ordinal);
        Assert.Contains("line 5", error, StringComparison.Ordinal);
        Assert.Contains("expected 6 fields", error, StringComparison.Ordinal);
        var precincts = output.Skip(1).Select(r => r.Fields[0]).Distinct().ToList();
        Assert.Equal(["a", "d"], precincts);
        // a: D 8, A 40, threshold 6: Biden 6 → raw 1.2 → 1, Buttigieg 34 → 6.8 → 7 = 8.
        Assert.Equal(["a,Biden,true,1,ok,", "a,Buttigieg,true,7,ok,", "d,Yang,true,1,ok,"],
            output.Skip(1).Select(r => string.Join(",", r.Fields)));
    }

    [Fact]
    public void A_missing_header_stops_the_run()
    {
        var (code, _, error) = Run("a,8,40,Biden,6,6\n");
        Assert.Equal(2, code);
        Assert.Contains("line 1", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_tie_is_printed_as_tie_with_the_provisional_allocation()
    {
        // Adair 1NW ADAIR: Buttigieg and Klobuchar tie for one delegate (RULES.md worked example 1).
        var input = AllocateCommand.InputHeader + "\n" + string.Join("\n",
            new[] { ("Biden", 6), ("Buttigieg", 8), ("Klobuchar", 8), ("Sanders", 9), ("Warren", 9) }.Select(g => $"1nw,8,40,{g.Item1},{g.Item2},{g.Item2}"));
        var (code, output, _) = Run(input);
        Assert.Equal(0, code);
        Assert.All(output.Skip(1), r => Assert.Equal("tie", r.Fields[4]));
        Assert.All(output.Skip(1), r => Assert.Contains("tie-break-pending", r.Fields[5], StringComparison.Ordinal));
        Assert.Equal(8, output.Skip(1).Sum(r => int.Parse(r.Fields[3], System.Globalization.CultureInfo.InvariantCulture)));
    }
}
