using Caucus.Core.Definitions;
using Caucus.Core.Model;
using Caucus.Core.Rules.Iowa2020;
using Caucus.Core.Rules;

namespace Caucus.Core.Tests;

public class ElectionDefinitionTests
{
    private const string GoodJson = """{"id":"test","name":"Test","ruleSet":"iowa-2020","candidates":["A","B"]}""";
    private const string GoodCounties = "county,district,countyDelegates,stateDelegates\nNorth,CD1,7,2\nSouth,CD2,3,1\n";
    private const string GoodPrecincts = "id,county,name,delegates,kind\nnorth/one,North,One,4,precinct\nnorth/two,North,Two,3,precinct\nsouth/one,South,One,3,precinct\n";

    private static Election Load(string json = GoodJson, string? counties = GoodCounties, string? precincts = GoodPrecincts) =>
        ElectionDefinition.Load(name => name switch
        {
            ElectionDefinition.ElectionFile => json,
            ElectionDefinition.CountiesFile => counties,
            ElectionDefinition.PrecinctsFile => precincts,
            _ => null,
        });

    private static ElectionDefinitionException Refused(string json = GoodJson, string? counties = GoodCounties, string? precincts = GoodPrecincts) =>
        Assert.Throws<ElectionDefinitionException>(() => Load(json, counties, precincts));

    [Fact]
    public void The_shipped_Iowa_folder_loads_with_every_county_precinct_and_satellite()
    {
        var election = IowaElection.Shipped;
        Assert.Equal("iowa-2020", election.Id);
        Assert.Equal(Iowa2020RuleSet.RuleSetName, election.RuleSet.Name);
        Assert.Equal(SatelliteWeighting.Attendance, election.RuleSet.SatelliteWeighting);
        Assert.Equal(14, election.Candidates.Length);
        Assert.Equal(99, election.Counties.Count(c => !c.IsSatelliteCounty));
        Assert.Equal(5, election.Counties.Count(c => c.IsSatelliteCounty));
        Assert.Equal(["CD1 Satellite", "CD2 Satellite", "CD3 Satellite", "CD4 Satellite", "Out of State Satellite"],
            election.Counties.Where(c => c.IsSatelliteCounty).Select(c => c.Name).Order(StringComparer.Ordinal));
        Assert.Equal(1678, election.Precincts.Count(p => p.Kind == PrecinctKind.Precinct));
        Assert.Equal(87, election.Precincts.Count(p => p.Kind == PrecinctKind.Satellite));
        foreach (var county in election.Counties)
        {
            Assert.Equal(county.CountyDelegates, election.PrecinctsIn(county.Name).Sum(p => p.Delegates));
        }
        // README: 11,402 county delegates and 2,107 state delegates in the 99 counties.
        Assert.Equal(11_402, election.Counties.Where(c => !c.IsSatelliteCounty).Sum(c => c.CountyDelegates));
        Assert.Equal(2_107, election.Counties.Where(c => !c.IsSatelliteCounty).Sum(c => c.StateDelegates));
        Assert.Equal(8, election.FindPrecinct("adair/1nw-adair")!.Delegates);
        Assert.Equal(new County("Adair", "CD3", 51, 4, false), election.FindCounty("Adair"));
    }

    [Fact]
    public void A_good_small_folder_loads()
    {
        var election = Load();
        Assert.Equal(3, election.Precincts.Length);
        Assert.Equal(new Caucus.Core.Arithmetic.Rational(2, 7), election.FindCounty("North")!.SdePerDelegate);
    }

    [Fact]
    public void A_precinct_in_an_unknown_county_is_refused_with_its_line()
    {
        var e = Refused(precincts: GoodPrecincts + "west/one,West,One,0,precinct\n");
        Assert.Equal((ElectionDefinition.PrecinctsFile, 5), (e.File, e.Line));
        Assert.Contains("'West'", e.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_county_whose_delegates_differ_from_its_precincts_is_refused_on_its_own_line()
    {
        var e = Refused(counties: "county,district,countyDelegates,stateDelegates\nNorth,CD1,7,2\nSouth,CD2,4,1\n");
        Assert.Equal((ElectionDefinition.CountiesFile, 3), (e.File, e.Line));
        Assert.Contains("South", e.Reason, StringComparison.Ordinal);
        Assert.Contains("4", e.Reason, StringComparison.Ordinal);
        Assert.Contains("3", e.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_duplicate_precinct_id_is_refused_with_its_line()
    {
        var e = Refused(precincts: GoodPrecincts.Replace("north/two", "north/one", StringComparison.Ordinal));
        Assert.Equal((ElectionDefinition.PrecinctsFile, 3), (e.File, e.Line));
        Assert.Contains("north/one", e.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_duplicate_county_is_refused_with_its_line()
    {
        var e = Refused(counties: GoodCounties + "North,CD1,0,0\n");
        Assert.Equal((ElectionDefinition.CountiesFile, 4), (e.File, e.Line));
    }

    [Fact]
    public void A_wrong_header_is_refused_on_line_one()
    {
        var e = Refused(counties: GoodCounties.Replace("stateDelegates", "sd", StringComparison.Ordinal));
        Assert.Equal((ElectionDefinition.CountiesFile, 1), (e.File, e.Line));
        Assert.Contains("header", e.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("four")]
    [InlineData("-1")]
    [InlineData("2.5")]
    public void A_bad_number_is_refused_with_its_line(string delegates)
    {
        var e = Refused(precincts: GoodPrecincts.Replace("north/two,North,Two,3", "north/two,North,Two," + delegates, StringComparison.Ordinal));
        Assert.Equal((ElectionDefinition.PrecinctsFile, 3), (e.File, e.Line));
        Assert.Contains("delegates", e.Reason, StringComparison.Ordinal);
        Assert.Contains(delegates, e.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_row_with_the_wrong_number_of_fields_is_refused_with_its_line()
    {
        var e = Refused(precincts: GoodPrecincts + "south/two,South,Two,0\n");
        Assert.Equal((ElectionDefinition.PrecinctsFile, 5), (e.File, e.Line));
    }

    [Fact]
    public void An_unknown_rule_set_is_refused()
    {
        var e = Refused(json: GoodJson.Replace("iowa-2020", "minnesota-dfl-2020", StringComparison.Ordinal));
        Assert.Equal(ElectionDefinition.ElectionFile, e.File);
        Assert.Contains("minnesota-dfl-2020", e.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_kind_is_refused_with_its_line()
    {
        var e = Refused(precincts: GoodPrecincts.Replace("south/one,South,One,3,precinct", "south/one,South,One,3,caucus", StringComparison.Ordinal));
        Assert.Equal((ElectionDefinition.PrecinctsFile, 4), (e.File, e.Line));
    }

    [Theory]
    [InlineData(ElectionDefinition.CountiesFile)]
    [InlineData(ElectionDefinition.PrecinctsFile)]
    public void A_missing_file_is_refused_by_name(string missing)
    {
        var e = Refused(counties: missing == ElectionDefinition.CountiesFile ? null : GoodCounties,
            precincts: missing == ElectionDefinition.PrecinctsFile ? null : GoodPrecincts);
        Assert.Equal(missing, e.File);
        Assert.Contains("missing", e.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_json_is_refused()
    {
        var e = Refused(json: "{\"id\": ");
        Assert.Equal(ElectionDefinition.ElectionFile, e.File);
    }
}
