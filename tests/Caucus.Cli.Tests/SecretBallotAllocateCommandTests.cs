using Caucus.Cli.Commands;

namespace Caucus.Cli.Tests;

/// <summary>`caucus allocate --election DIR` when the folder's rule set is the secret ballot: votes per unit in, the statewide allocation out.</summary>
public sealed class SecretBallotAllocateCommandTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("caucus-secret-ballot-");

    public void Dispose() => _folder.Delete(recursive: true);

    private DirectoryInfo Folder(string parameters)
    {
        File.WriteAllText(Path.Combine(_folder.FullName, "election.json"),
            $$"""{"id":"iowa-gop-2024","name":"2024 Iowa Republican Caucuses","ruleSet":"secret-ballot","candidates":["Trump","DeSantis","Haley","Ramaswamy","Binkley","Hutchinson","Other"],"secretBallot":{{parameters}}}""");
        return _folder;
    }

    private static (int Code, string Out, string Error) Run(DirectoryInfo folder, string input, IReadOnlyList<string>? lot = null)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = AllocateCommand.Run(new StringReader(input), stdout, stderr, folder, lot: lot);
        return (code, stdout.ToString().ReplaceLineEndings("\n"), stderr.ToString());
    }

    [Fact]
    public void Iowa_gop_2024_summed_over_two_units_gives_20_9_8_3()
    {
        var folder = Folder("""{"delegates":40,"threshold":null,"majorityTakesAll":false,"rounding":"nearest-with-adjustment","unallocated":["Other"]}""");
        // The certified statewide counts split over two made-up units: only the sums matter.
        const string input = """
            unit,candidate,votes
            east,Trump,30000
            east,DeSantis,13491
            east,Haley,11027
            east,Ramaswamy,4430
            west,Trump,26243
            west,DeSantis,10000
            west,Haley,10000
            west,Ramaswamy,4000
            west,Binkley,774
            west,Hutchinson,191
            west,Other,90
            """;
        var (code, output, error) = Run(folder, input);
        Assert.True(code == 0, error);
        Assert.Equal("""
            candidate,votes,delegates
            Trump,56243,20
            DeSantis,23491,9
            Haley,21027,8
            Ramaswamy,8430,3
            Binkley,774,0
            Hutchinson,191,0
            Other,90,0

            """.ReplaceLineEndings("\n"), output);
    }

    [Fact]
    public void A_lot_is_reported_until_its_order_is_given_and_bad_parameters_name_the_field()
    {
        var folder = Folder("""{"delegates":4,"rounding":"largest-remainder"}""");
        const string input = "unit,candidate,votes\nu,A,10\nu,B,10\nu,C,10\n";
        Assert.Contains("a lot must decide 1 delegate(s) among A, B, C", Run(folder, input).Error, StringComparison.Ordinal);
        Assert.Contains("B,10,2", Run(folder, input, lot: ["B", "A", "C"]).Out, StringComparison.Ordinal);

        var bad = Folder("""{"delegates":4,"rounding":"nearest"}""");
        var refused = Run(bad, input);
        Assert.Equal(2, refused.Code);
        Assert.Contains("\"secretBallot.rounding\": nearest-with-adjustment or largest-remainder, not 'nearest'", refused.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_candidate_counted_twice_in_a_unit_or_a_bad_count_allocates_nothing()
    {
        var folder = Folder("""{"delegates":4,"rounding":"largest-remainder"}""");
        var (code, output, error) = Run(folder, "unit,candidate,votes\nu,A,10\nu,A,3\nv,B,x\n");
        Assert.Equal(1, code);
        Assert.Contains("line 3: A is counted twice in unit 'u'", error, StringComparison.Ordinal);
        Assert.Contains("line 4:", error, StringComparison.Ordinal);
        Assert.Equal("", output);
    }
}
