using System.Globalization;
using Caucus.Core.Definitions;
using Caucus.Core.Model;
using Caucus.Core.Text;

namespace Caucus.Core.Tests;

/// <summary>
/// The shipped Nevada 2020 folder (elections/nevada-2020, written by tools/derive-nevada-2020.py) loads with the
/// project's loader and says what its README says. The apportionment in ../shared is re-read here, without Python,
/// so a hand edit of precincts.csv or a changed script that drifts from the party's figures fails.
/// </summary>
public class Nevada2020FolderTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "elections", "nevada-2020");
    private static readonly string SharedData = Path.GetFullPath(Path.Combine(Paths.RepoRoot, "..", "shared", "data", "nevada-2020"));
    private const string ResultsFile = "nv-caucus-results-2020-02-24.csv";

    private static readonly Lazy<Election> Shipped = new(() => ElectionDefinition.Load(name =>
    {
        var path = Path.Combine(Folder, name);
        return File.Exists(path) ? File.ReadAllText(path) : null;
    }));

    private static List<IReadOnlyList<string>> Rows(string path) =>
        Csv.Parse(File.ReadAllText(path)).Skip(1).Select(r => r.Fields).ToList();

    /// <summary>The results file spells a county as its first word upper-cased (CARSON for Carson City): README.</summary>
    private static string ResultsCounty(string county) => county.Split(' ')[0].ToUpperInvariant();

    [Fact]
    public void The_folder_loads_with_17_counties_and_the_precincts_and_delegates_its_README_states()
    {
        var election = Shipped.Value;
        Assert.Equal("nevada-2020", election.Id);
        Assert.Equal(new DateOnly(2020, 2, 22), election.Date);
        Assert.Equal(17, election.Counties.Length);
        // README: 2,088 apportioned precincts + 7 at-large (Strip) caucuses + 6 results-only rows with no caucus.
        Assert.Equal(2_101, election.Precincts.Length);
        Assert.All(election.Precincts, p => Assert.Equal(PrecinctKind.Precinct, p.Kind));
        Assert.Equal(election.Precincts.Length, election.Precincts.Select(p => p.Id).Distinct(StringComparer.Ordinal).Count());
        // README: D = 14,675 apportioned + 208 at the at-large caucuses.
        Assert.Equal(14_883, election.Precincts.Sum(p => p.Delegates));
        Assert.Equal(14_883, election.Counties.Sum(c => c.CountyDelegates));
        // No weighting in Nevada: one state-delegate unit per county delegate, so delegate equivalents are county delegates.
        Assert.All(election.Counties, c => Assert.Equal(c.CountyDelegates, c.StateDelegates));
        Assert.Equal(new County("Clark", "CD1/CD3/CD4", 11_069, 11_069, false), election.FindCounty("Clark"));
        Assert.Equal(new County("Carson City", "CD2", 217, 217, false), election.FindCounty("Carson City"));
    }

    [Fact]
    public void Every_apportioned_precinct_has_its_D_and_registered_Democrats_from_the_apportionment_file()
    {
        var election = Shipped.Value;
        var apportionment = Rows(Path.Combine(SharedData, "nv-delegate-apportionment.csv"));
        Assert.Equal(2_088, apportionment.Count);
        var matched = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in apportionment)
        {
            string county = row[0], name = row[1];
            // README: a four-digit Washoe apportionment id is the results file's six-digit id / 100 (1005 -> 100500).
            if (county == "Washoe" && name.Length == 4) name += "00";
            var precinct = election.Precincts.Single(p => p.County == county && p.Name == name);
            Assert.Equal(int.Parse(row[5], CultureInfo.InvariantCulture), precinct.Delegates);
            Assert.Equal(int.Parse(row[3], CultureInfo.InvariantCulture), precinct.Registered);
            matched.Add(precinct.Id);
        }
        Assert.Equal(2_088, matched.Count);
        // Registered Democrats are given for every apportioned precinct; 352 have none (NRS 293.133.3: D = 1 each).
        var zero = election.Precincts.Where(p => p.Registered == 0).ToList();
        Assert.Equal(352, zero.Count);
        Assert.All(zero, p => Assert.Equal(1, p.Delegates));
        Assert.All(election.Precincts.Where(p => matched.Contains(p.Id) && p.Registered != 0), p => Assert.True(p.Registered > 0));
        // The 13 not in the apportionment have no registered figure: 7 at-large caucuses and 6 results-only rows.
        Assert.Equal(13, election.Precincts.Count(p => p.Registered is null));
        Assert.All(election.Precincts.Where(p => !matched.Contains(p.Id)), p => Assert.Null(p.Registered));
    }

    [Theory]
    [InlineData("carson-city/101", "Carson City", "101", 9, 440)]
    [InlineData("washoe/100500", "Washoe", "100500", 1, 0)] // apportionment 1005
    [InlineData("clark/1370", "Clark", "1370", 1, 0)] // apportioned, not in the results file
    [InlineData("white-pine/1", "White Pine", "1", -1, -1)] // figures read from the apportionment below
    public void Named_precincts_carry_the_apportionment_figures(string id, string county, string name, int d, int registered)
    {
        var precinct = Shipped.Value.FindPrecinct(id);
        Assert.NotNull(precinct);
        Assert.Equal((county, name), (precinct.County, precinct.Name));
        if (d < 0)
        {
            var row = Rows(Path.Combine(SharedData, "nv-delegate-apportionment.csv")).Single(r => r[0] == county && r[1] == name);
            (d, registered) = (int.Parse(row[5], CultureInfo.InvariantCulture), int.Parse(row[3], CultureInfo.InvariantCulture));
        }
        Assert.Equal((d, (int?)registered), (precinct.Delegates, precinct.Registered));
    }

    [Theory]
    [InlineData("clark/bellagio", 51)]
    [InlineData("clark/harrahs", 34)] // no published D: the delegates it awarded
    [InlineData("clark/wynn-resorts", 11)] // the same
    [InlineData("clark/rio", 13)]
    [InlineData("clark/3778", 0)] // results only, no caucus
    [InlineData("douglas/zzzzzz", 0)]
    public void Precincts_outside_the_apportionment_are_kept_with_the_D_the_README_gives(string id, int d)
    {
        var precinct = Shipped.Value.FindPrecinct(id);
        Assert.NotNull(precinct);
        Assert.Equal((d, (int?)null), (precinct.Delegates, precinct.Registered));
    }

    [Fact]
    public void The_candidates_are_the_results_files_groups_in_its_order_and_every_results_precinct_is_in_the_folder()
    {
        var election = Shipped.Value;
        // The folder's copy is the one the demo replays; it must be the shared file unchanged.
        Assert.Equal(File.ReadAllText(Path.Combine(SharedData, ResultsFile)), File.ReadAllText(Path.Combine(Folder, ResultsFile)));
        var results = Rows(Path.Combine(Folder, ResultsFile));
        Assert.Equal(["Bennet", "Biden", "Buttigieg", "Delaney", "Gabbard", "Klobuchar", "Patrick", "Sanders", "Steyer", "Warren", "Yang", "Uncommitted"],
            results.Select(r => r[3]).Distinct(StringComparer.Ordinal));
        Assert.Equal(results.Select(r => r[3]).Distinct(StringComparer.Ordinal), election.Candidates);

        var inResults = results.Select(r => (r[0], r[1])).ToHashSet();
        Assert.Equal(2_097, inResults.Count);
        var inFolder = election.Precincts.Select(p => (ResultsCounty(p.County), p.Name)).ToHashSet();
        Assert.Equal(election.Precincts.Length, inFolder.Count); // the county spelling rule is one to one
        Assert.Subset(inFolder, inResults);
        // README: the four apportioned precincts missing from the results file held no caucus.
        Assert.Equal([("CLARK", "1370"), ("CLARK", "2712"), ("CLARK", "3878"), ("CLARK", "3879")],
            inFolder.Except(inResults).Order());
    }
}
