using Caucus.Core.Counting;
using Caucus.Core.Definitions;
using Caucus.Core.Model;

namespace Caucus.Core.Tests;

/// <summary>
/// precincts.csv may add the optional columns <c>registered</c> and <c>pastTurnout</c> after its five required ones
/// (Fixtures/turnout); the plausibility limit then considers them. Folders without them load as before.
/// </summary>
public class PrecinctFiguresTests
{
    private const string Counties = "county,district,countyDelegates,stateDelegates\nNorth,CD1,7,2\n";

    private static Election LoadFolder(string folder) => ElectionDefinition.Load(name =>
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Fixtures", folder, name);
        return File.Exists(path) ? File.ReadAllText(path) : null;
    });

    private static Election Load(string precincts) => ElectionDefinition.Load(name => name switch
    {
        ElectionDefinition.ElectionFile => """{"id":"t","ruleSet":"iowa-2020","candidates":["A"]}""",
        ElectionDefinition.CountiesFile => Counties,
        ElectionDefinition.PrecinctsFile => precincts,
        _ => null,
    });

    [Fact]
    public void A_folder_with_registered_voters_and_past_turnout_loads_them_and_an_empty_cell_is_unknown()
    {
        var election = LoadFolder("turnout");

        Assert.Equal(new Precinct("north/both", "North", "Both", 8, PrecinctKind.Precinct, 400, 200), election.FindPrecinct("north/both"));
        Assert.Equal((250, (int?)null), (election.FindPrecinct("north/registered")!.Registered, election.FindPrecinct("north/registered")!.PastTurnout));
        Assert.Equal(((int?)null, (int?)null), (election.FindPrecinct("north/none")!.Registered, election.FindPrecinct("north/none")!.PastTurnout));
    }

    [Fact]
    public void The_fixture_folders_figures_set_each_precincts_limit()
    {
        var election = LoadFolder("turnout");
        var limits = CountingRules.Default.PlausibilityOf(election);

        Assert.Equal([900L, 550L, 1100L], election.Precincts.Select(p => limits.MostAttendees(p).Most));
        var held = limits.Implausible(election.FindPrecinct("north/registered")!, Tallies.Same(551, ("Sanders", 551)));
        Assert.Equal("551 people reported where this precinct (D = 4, 250 registered) could plausibly hold at most 550 " +
            "(its registered voters + 300): held out of every total until an admin confirms it.", held);
    }

    [Fact]
    public void The_shipped_Iowa_folder_has_neither_column()
    {
        Assert.All(IowaElection.Shipped.Precincts, p => Assert.Equal(((int?)null, (int?)null), (p.Registered, p.PastTurnout)));
    }

    [Fact]
    public void Either_column_alone_and_in_either_order_is_read()
    {
        var past = Load("id,county,name,delegates,kind,pastTurnout\nnorth/one,North,One,7,precinct,120\n");
        var swapped = Load("id,county,name,delegates,kind,pastTurnout,registered\nnorth/one,North,One,7,precinct,120,900\n");

        Assert.Equal(((int?)null, (int?)120), (past.Precincts[0].Registered, past.Precincts[0].PastTurnout));
        Assert.Equal(((int?)900, (int?)120), (swapped.Precincts[0].Registered, swapped.Precincts[0].PastTurnout));
    }

    [Theory]
    [InlineData("id,county,name,delegates,kind,voters")]
    [InlineData("id,county,name,delegates,kind,registered,registered")]
    [InlineData("id,county,name,delegates,registered,kind")]
    [InlineData("id,county,name,delegates,kind,priorShare:")]
    [InlineData("id,county,name,delegates,kind,priorShare:A,priorShare:A")]
    public void An_unknown_repeated_or_misplaced_column_is_refused_on_line_one(string header)
    {
        var e = Assert.Throws<ElectionDefinitionException>(() => Load(header + "\n"));

        Assert.Equal((ElectionDefinition.PrecinctsFile, 1), (e.File, e.Line));
        Assert.Equal("the header must be 'id,county,name,delegates,kind', optionally followed by registered, pastTurnout and priorShare:<group> columns", e.Reason);
    }

    [Theory]
    [InlineData("registered", "-5")]
    [InlineData("pastTurnout", "lots")]
    public void A_bad_figure_is_refused_with_its_line_and_column(string column, string value)
    {
        var e = Assert.Throws<ElectionDefinitionException>(() =>
            Load($"id,county,name,delegates,kind,{column}\nnorth/one,North,One,7,precinct,{value}\n"));

        Assert.Equal((ElectionDefinition.PrecinctsFile, 2), (e.File, e.Line));
        Assert.Equal($"{column} must be a whole number of 0 or more, not '{value}'", e.Reason);
    }

    [Fact]
    public void Prior_share_columns_are_read_by_group_and_an_empty_cell_is_left_out()
    {
        var election = Load("id,county,name,delegates,kind,priorShare:Clinton,registered,priorShare:Sanders\n" +
            "north/one,North,One,4,precinct,0.4,100,0.6\nnorth/two,North,Two,3,precinct,,,0.25\n");

        Assert.Equal(new Dictionary<string, double> { ["Clinton"] = 0.4, ["Sanders"] = 0.6 }, election.Precincts[0].PriorShares);
        Assert.Equal(new Dictionary<string, double> { ["Sanders"] = 0.25 }, election.Precincts[1].PriorShares);
        Assert.Equal(100, election.Precincts[0].Registered);
    }

    [Fact]
    public void A_folder_without_prior_share_columns_has_none()
    {
        Assert.All(Load("id,county,name,delegates,kind\nnorth/one,North,One,7,precinct\n").Precincts, p => Assert.Null(p.PriorShares));
    }

    [Fact]
    public void The_shipped_Iowa_folder_has_2016_shares_for_every_precinct_and_none_for_satellites()
    {
        Assert.All(IowaElection.Shipped.Precincts, p => Assert.Equal(p.Kind == PrecinctKind.Precinct ? 2 : 0, p.PriorShares!.Count));
        Assert.All(IowaElection.Shipped.Precincts.Where(p => p.Kind == PrecinctKind.Precinct),
            p => Assert.InRange(p.PriorShares!["Clinton"] + p.PriorShares!["Sanders"], 0, 1.0001));
    }

    [Theory]
    [InlineData("1.5")]
    [InlineData("-0.1")]
    [InlineData("half")]
    public void A_bad_prior_share_is_refused_naming_its_column_and_line(string value)
    {
        var e = Assert.Throws<ElectionDefinitionException>(() =>
            Load($"id,county,name,delegates,kind,priorShare:Sanders\nnorth/one,North,One,7,precinct,{value}\n"));

        Assert.Equal((ElectionDefinition.PrecinctsFile, 2), (e.File, e.Line));
        Assert.Equal($"priorShare:Sanders must be a share from 0 to 1, not '{value}'", e.Reason);
    }
}
