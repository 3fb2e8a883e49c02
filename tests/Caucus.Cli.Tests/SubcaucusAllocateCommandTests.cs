using Caucus.Cli.Commands;

namespace Caucus.Cli.Tests;

/// <summary>`caucus allocate --election elections/mn-dfl-example`: the walking subcaucus's own CSV (the final count).</summary>
public sealed class SubcaucusAllocateCommandTests
{
    private static readonly DirectoryInfo Example = new(Path.Combine(AppContext.BaseDirectory, "elections", "mn-dfl-example"));

    private static (int Code, string Out, string Error) Run(string input, ulong? seed = null)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = AllocateCommand.Run(new StringReader(input), stdout, stderr, Example, seed);
        return (code, stdout.ToString().ReplaceLineEndings("\n"), stderr.ToString());
    }

    [Fact]
    public void The_worked_example_final_count_comes_out_Red_4_Blue_4_Green_2()
    {
        var (code, output, error) = Run("precinct,delegates,subcaucus,members\np1,10,Red,31\np1,10,Blue,27\np1,10,Green,12\np1,10,Gold,5\n");
        Assert.True(code == 0, error);
        Assert.Equal("precinct,subcaucus,members,delegates\np1,Red,31,4\np1,Blue,27,4\np1,Green,12,2\np1,Gold,5,0\n", output);
    }

    [Fact]
    public void A_lot_is_drawn_from_the_seed_and_reported_or_left_for_the_chair()
    {
        const string input = "precinct,delegates,subcaucus,members\np2,4,Climate,20\np2,4,Peace,20\np2,4,Jobs,20\n";
        var pending = Run(input);
        Assert.Contains("p2: a lot must decide 1 delegate(s) among", pending.Error, StringComparison.Ordinal);
        Assert.Equal(3, pending.Out.Split('\n').Skip(1).Where(l => l.Length > 0).Sum(l => int.Parse(l.Split(',')[3], System.Globalization.CultureInfo.InvariantCulture)));

        var drawn = Run(input, seed: 2026);
        Assert.Equal(0, drawn.Code);
        Assert.Contains("p2: lot for 1 delegate(s) among Climate, Peace, Jobs: won ", drawn.Error, StringComparison.Ordinal);
        Assert.Equal(drawn.Out, Run(input, seed: 2026).Out);
    }

    [Fact]
    public void A_malformed_row_names_its_line_and_its_precinct_is_not_computed()
    {
        var (code, output, error) = Run("precinct,delegates,subcaucus,members\np1,10,Red,thirty\np2,2,A,5\n");
        Assert.Equal(1, code);
        Assert.Contains("line 2:", error, StringComparison.Ordinal);
        Assert.DoesNotContain("p1,", output, StringComparison.Ordinal);
        Assert.Contains("p2,A,5,2", output, StringComparison.Ordinal);
    }
}
