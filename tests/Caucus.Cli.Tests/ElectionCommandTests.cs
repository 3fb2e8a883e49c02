using Caucus.Cli.Commands;

namespace Caucus.Cli.Tests;

/// <summary>`caucus election new` and `caucus election check`, as the README's walk-through uses them.</summary>
public sealed class ElectionCommandTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("caucus-election-new-");

    public void Dispose() => _work.Delete(recursive: true);

    private FileInfo Csv(string name, string text)
    {
        var file = new FileInfo(Path.Combine(_work.FullName, name));
        File.WriteAllText(file.FullName, text);
        return file;
    }

    private (int Code, string Out, string Error) New(FileInfo csv, string ruleSet = "iowa-2020", string candidates = "Harris,Buttigieg,Klobuchar",
        string? state = "19", string id = "story-2028", string outName = "story-2028")
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = ElectionCommand.New(csv, ruleSet, candidates, state, id, "Story and Boone Counties 2028", "2028-01-15",
            new DirectoryInfo(Path.Combine(_work.FullName, outName)), stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void A_clean_precinct_list_becomes_a_folder_the_service_loads_and_check_describes()
    {
        var csv = Csv("precincts-2028.csv", """
            county,precinct,delegates,stateDelegates,registered
            Story,Ames 1-1,6,40,1200
            Story,Ames 1-2,5,40,980
            Boone,Boone 1,5,12,1010
            """);
        var (code, output, error) = New(csv);
        Assert.True(code == 0, error);
        Assert.Contains("2 counties, 3 precincts, 0 satellites, 16 delegates", output, StringComparison.Ordinal);
        var folder = Path.Combine(_work.FullName, "story-2028");
        Assert.Equal("""
            county,district,countyDelegates,stateDelegates
            Story,State,11,40
            Boone,State,5,12

            """.ReplaceLineEndings("\n"), File.ReadAllText(Path.Combine(folder, "counties.csv")));
        Assert.Contains("story/ames-1-1,Story,Ames 1-1,6,precinct,1200", File.ReadAllText(Path.Combine(folder, "precincts.csv")), StringComparison.Ordinal);

        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        Assert.Equal(0, ElectionCommand.Check(new DirectoryInfo(folder), stdout, stderr));
        Assert.Contains("Story and Boone Counties 2028 (story-2028), rule set iowa-2020, 3 candidates, 2 counties, 3 precincts", stdout.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_problem_is_named_by_file_line_and_column_and_nothing_is_written()
    {
        var csv = Csv("bad.csv", """
            county,precinct,delegates,stateDelegates,kind
            Story,Ames 1-1,six,40,precinct
            ,Ames 1-2,5,40,precinct
            Story,Ames 1-1,4,40,precinct
            Story,Ames 2-1,4,41,caucus
            """);
        var (code, _, error) = New(csv, candidates: "Harris,Harris", state: "IA");
        Assert.Equal(2, code);
        foreach (var expected in new[]
        {
            "command line: --candidates: 'Harris' is listed twice",
            "command line: --state 'IA': a two-digit Census state code",
            "bad.csv:2:3: delegates 'six' is not a whole number of zero or more",
            "bad.csv:3:1: the county is empty",
            "bad.csv:4:2: 'Ames 1-1' in Story has the same id (story/ames-1-1) as line 2",
            "bad.csv:5:5: kind 'caucus': precinct or satellite",
        })
        {
            Assert.Contains(expected, error, StringComparison.Ordinal);
        }
        Assert.Contains("nothing was written", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_work.FullName, "story-2028")));
    }

    [Fact]
    public void A_county_weighted_twice_differently_and_a_weighted_rule_set_without_weights_are_refused()
    {
        var twice = Csv("twice.csv", "county,precinct,delegates,stateDelegates\nStory,A,4,40\nStory,B,4,41\n");
        Assert.Contains("twice.csv:3:4: Story's stateDelegates is 40 on line 2, not 41", New(twice).Error, StringComparison.Ordinal);
        var none = Csv("none.csv", "county,precinct,delegates\nStory,A,4\n");
        Assert.Contains("none.csv:2: Story: iowa-2020 weighs each county's delegates (SDE): give the county's stateDelegates", New(none).Error, StringComparison.Ordinal);
        // A rule set that counts each delegate as one needs no weights.
        Assert.Equal(0, New(none, ruleSet: "walking-subcaucus", candidates: "Climate,Jobs,Peace", state: "27", id: "mn-sd-example", outName: "mn").Code);
    }

    [Fact]
    public void An_existing_folder_is_never_overwritten_and_check_names_a_broken_folder()
    {
        var csv = Csv("p.csv", "county,precinct,delegates,stateDelegates\nStory,A,4,40\n");
        Assert.Equal(0, New(csv).Code);
        var (code, _, error) = New(csv);
        Assert.Equal(2, code);
        Assert.Contains("the folder exists and is not empty", error, StringComparison.Ordinal);

        var folder = Path.Combine(_work.FullName, "story-2028");
        File.WriteAllText(Path.Combine(folder, "precincts.csv"), "id,county,name,delegates,kind\nstory/a,Nowhere,A,4,precinct\n");
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        Assert.Equal(2, ElectionCommand.Check(new DirectoryInfo(folder), stdout, stderr));
        Assert.StartsWith("precincts.csv:2:", stderr.ToString(), StringComparison.Ordinal);
    }
}
