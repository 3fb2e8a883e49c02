using Caucus.Core.Arithmetic;
using Caucus.Core.Counting;
using Caucus.Core.Model;
using Caucus.Core.Rules.Iowa2020;
using Caucus.Core.Rules;
using CsCheck;

namespace Caucus.Core.Tests.Counting;

/// <summary>RULES.md "State delegate equivalents" for one precinct, and "Satellite caucuses": provisional until the group is in.</summary>
public class PrecinctSdeTests
{
    private static readonly Iowa2020RuleSet Rules = new();

    /// <summary>
    /// Adair (CD 51, SD 4) with 1NW ADAIR, and two satellite counties: CD1 Satellite (SD 6, satellites a and b) and
    /// Out of State Satellite (SD 4, satellite c).
    /// </summary>
    private static readonly Election Election = new("sde", "SDE", Rules, TinyElection.Candidates,
        [
            new County("Adair", "CD3", 51, 4, false),
            new County("CD1 Satellite", "CD1", 5, 6, true),
            new County("Out of State Satellite", "OOS", 3, 4, true),
        ],
        [
            new Precinct("adair/1nw-adair", "Adair", "1NW ADAIR", 8, PrecinctKind.Precinct),
            new Precinct("cd1-sat/a", "CD1 Satellite", "A", 2, PrecinctKind.Satellite),
            new Precinct("cd1-sat/b", "CD1 Satellite", "B", 3, PrecinctKind.Satellite),
            new Precinct("oos-sat/c", "Out of State Satellite", "C", 3, PrecinctKind.Satellite),
        ]);

    private static Precinct P(string id) => Election.FindPrecinct(id)!;

    [Fact]
    public void Adair_1NW_with_Klobuchars_toss_gives_each_group_its_delegates_times_4_51()
    {
        // Biden 1, Buttigieg 1, Klobuchar 2, Sanders 2, Warren 2 county delegates; one is 4/51 SDE.
        var sde = PrecinctSde.Of(Election, P("adair/1nw-adair"), Rules.Allocate(8, TinyElection.AdairNorthwestSettled()))!;
        Assert.Equal(new Rational(4, 51), sde["Biden"]);
        Assert.Equal(new Rational(4, 51), sde["Buttigieg"]);
        Assert.Equal(new Rational(8, 51), sde["Klobuchar"]);
        Assert.Equal(new Rational(8, 51), sde["Sanders"]);
        Assert.Equal("0.1569", sde["Klobuchar"].ToDecimalString(4));
        Assert.Equal(new Rational(32, 51), Rational.Sum(sde.Values));
    }

    [Fact]
    public void A_precincts_SDEs_are_its_delegates_times_SD_over_CD_exactly()
    {
        Gen.Select(PrecinctGenerators.Precinct, Gen.Int[1, 500], Gen.Int[0, 60]).Sample((p, cd, sd) =>
        {
            var precinct = new Precinct("x/1", "X", "1", p.Delegates, PrecinctKind.Precinct);
            var election = new Election("x", "X", Rules, PrecinctGenerators.Names, [new County("X", "CD1", cd, sd, false)], [precinct]);
            var allocation = Rules.Allocate(p.Delegates, p.ToTally());
            var sde = PrecinctSde.Of(election, precinct, allocation)!;
            Assert.Equal(allocation.Groups.Select(g => g.Group), sde.Keys);
            // SDE × CD = delegates × SD, in integers: no rounding anywhere.
            foreach (var g in allocation.Groups) Assert.Equal(Rational.FromInteger((long)g.Delegates * sd), sde[g.Group] * cd);
        }, iter: 500);
    }

    [Fact]
    public void A_satellites_SDEs_are_not_the_precincts_alone_to_say_under_attendance_weighting()
    {
        var allocation = Rules.Allocate(2, Tallies.Same(10, ("Sanders", 6), ("Warren", 4)));
        Assert.Null(PrecinctSde.Of(Election, P("cd1-sat/a"), allocation));
    }

    [Fact]
    public void Under_delegate_weighting_a_satellites_SDEs_are_its_delegates_times_SD_over_CD_of_its_satellite_county()
    {
        var byDelegates = Election.WithRuleSet(Rules.WithSatelliteWeighting(SatelliteWeighting.Delegates));
        var allocation = Rules.Allocate(2, Tallies.Same(10, ("Sanders", 6), ("Warren", 4)));
        var sde = PrecinctSde.Of(byDelegates, P("cd1-sat/a"), allocation)!;
        // CD1 Satellite: CD 5, SD 6; one delegate each.
        Assert.Equal(new Rational(6, 5), sde["Sanders"]);
        Assert.Equal(new Rational(6, 5), sde["Warren"]);
    }

    [Fact]
    public void A_satellite_is_provisional_until_every_satellite_of_its_county_has_reported()
    {
        var reported = new HashSet<string>(StringComparer.Ordinal);
        bool Provisional(string id) => PrecinctSde.IsProvisional(Election, P(id), reported.Contains);

        Assert.True(Provisional("cd1-sat/a"));
        reported.Add("cd1-sat/a");
        Assert.True(Provisional("cd1-sat/a"));
        Assert.True(Provisional("cd1-sat/b"));
        // Another satellite county reporting completes only itself.
        reported.Add("oos-sat/c");
        Assert.False(Provisional("oos-sat/c"));
        Assert.True(Provisional("cd1-sat/a"));
        reported.Add("cd1-sat/b");
        Assert.False(Provisional("cd1-sat/a"));
        Assert.False(Provisional("cd1-sat/b"));
    }

    [Fact]
    public void A_precinct_is_never_provisional_nor_a_satellite_under_delegate_weighting()
    {
        Assert.False(PrecinctSde.IsProvisional(Election, P("adair/1nw-adair"), _ => false));
        var byDelegates = Election.WithRuleSet(Rules.WithSatelliteWeighting(SatelliteWeighting.Delegates));
        Assert.False(PrecinctSde.IsProvisional(byDelegates, P("cd1-sat/a"), _ => false));
        Assert.True(PrecinctSde.IsProvisional(Election, P("cd1-sat/a"), _ => false));
    }
}
