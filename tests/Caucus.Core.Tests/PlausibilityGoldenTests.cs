using Caucus.Core.Counting;
using Caucus.Core.Model;
using Caucus.Core.Projection;
using Caucus.Core.Rules.Iowa2020;
using Caucus.Core.Rules;
using Caucus.Core.Text;

namespace Caucus.Core.Tests;

/// <summary>
/// The plausibility limits against the public record: no real 2020 caucus is held, and the figures quoted in
/// <see cref="Iowa2020RuleSet.Limits"/>'s comment and the README are what the files say.
/// </summary>
public class PlausibilityGoldenTests
{
    /// <summary>The most attendees per county delegate of any 2020 caucus (a D = 1 satellite); the property tests use it.</summary>
    public const int LargestRatio2020 = 183;

    private static readonly Lazy<List<(Precinct Precinct, Tally Tally, long Largest)>> Caucuses = new(() =>
        [.. PublishedReports.Reports(IowaElection.Shipped, File.ReadAllText(Paths.HundredPercentResults))
            .Select(r => (r.Precinct, r.Tally, Math.Max(r.Tally.Attendees, Math.Max(r.Tally.FirstTotal, r.Tally.FinalTotal))))]);

    [Fact]
    public void No_precinct_or_satellite_of_the_2020_100_percent_release_is_held_under_the_Iowa_rule_sets_limits()
    {
        var limits = CountingRules.Default.PlausibilityOf(IowaElection.Shipped);
        Assert.Same(Iowa2020RuleSet.Limits, limits);
        Assert.Equal(1765, Caucuses.Value.Count);

        Assert.All(Caucuses.Value, c => Assert.Null(limits.Implausible(c.Precinct, c.Tally)));
        // The closest any came: the D = 1 satellite's 183 of 500, University Heights' 312 of 700, Iowa City 17's 860 of 2,700.
        Assert.Equal(500, limits.MostAttendees(IowaElection.Shipped.FindPrecinct("cd3-satellite/des-moines-ia-southside-ymca")!).Most);
        Assert.Equal(700, limits.MostAttendees(IowaElection.Shipped.FindPrecinct("johnson/university-heights")!).Most);
        Assert.Equal(2700, limits.MostAttendees(IowaElection.Shipped.FindPrecinct("johnson/iowa-city-17")!).Most);
    }

    [Fact]
    public void Twenty_five_hundred_attendees_in_Adair_1NW_an_eight_delegate_precinct_are_held()
    {
        var adair = IowaElection.Shipped.FindPrecinct("adair/1nw-adair")!;
        var why = IowaElection.Shipped.RuleSet.Plausibility.Implausible(adair, Tallies.Same(2500, ("Sanders", 1500), ("Biden", 1000)));

        Assert.Equal("2,500 people reported where this precinct (D = 8) could plausibly hold at most 1,900 " +
            "(300 + 200 per county delegate): held out of every total until an admin confirms it.", why);
    }

    [Fact]
    public void The_2020_record_has_at_most_183_attendees_per_county_delegate_and_156_in_a_precinct()
    {
        static double Ratio((Precinct Precinct, Tally Tally, long Largest) c) => (double)c.Largest / Math.Max(c.Precinct.Delegates, 1);
        var all = Caucuses.Value;

        var top = all.MaxBy(Ratio);
        Assert.Equal(("cd3-satellite/des-moines-ia-southside-ymca", 183L, 1), (top.Precinct.Id, top.Largest, top.Precinct.Delegates));
        Assert.All(all, c => Assert.True(c.Largest <= (long)LargestRatio2020 * Math.Max(c.Precinct.Delegates, 1), c.Precinct.Id));
        var precinct = all.Where(c => c.Precinct.Kind == PrecinctKind.Precinct).MaxBy(Ratio);
        Assert.Equal(("johnson/university-heights", 312L, 2), (precinct.Precinct.Id, precinct.Largest, precinct.Precinct.Delegates));
        var fromThree = all.Where(c => c.Precinct.Delegates >= 3).MaxBy(Ratio);
        Assert.Equal(("johnson/iowa-city-05", 754L, 9), (fromThree.Precinct.Id, fromThree.Largest, fromThree.Precinct.Delegates));
        Assert.True(all.Count(c => c.Largest <= 75L * Math.Max(c.Precinct.Delegates, 1)) >= 0.99 * all.Count);
        Assert.True(all.Count(c => c.Largest <= 10L * Math.Max(c.Precinct.Delegates, 1)) >= 0.5 * all.Count);
        var largest = all.MaxBy(c => c.Largest);
        Assert.Equal(("johnson/iowa-city-17", 860L, 12), (largest.Precinct.Id, largest.Largest, largest.Precinct.Delegates));

        // Satellites: 26 of 87 have D = 1 (the smallest D their SDEs allow, or none awarded); the largest had 183.
        var satellites = all.Where(c => c.Precinct.Kind == PrecinctKind.Satellite).ToList();
        Assert.Equal(87, satellites.Count);
        Assert.Equal(26, satellites.Count(c => c.Precinct.Delegates == 1));
        Assert.Equal(183L, satellites.Where(c => c.Precinct.Delegates == 1).Max(c => c.Largest));
    }

    /// <summary>
    /// Nevada's precinct apportionment lists each precinct's registered Democrats; its results, each precinct's
    /// attendance (early votes included). Held by the registered-voters limit, no real Nevada precinct would be.
    /// </summary>
    [Fact]
    public void No_Nevada_2020_precinct_exceeded_its_registered_Democrats_by_more_than_7_so_none_would_be_held()
    {
        var folder = Path.Combine(Paths.RepoRoot, "..", "shared", "data", "nevada-2020");
        // Results spell counties upper-cased and shortened (CARSON, WHITE), the apportionment in full (Carson City, White Pine).
        static string Key(string county, string precinct) => $"{county.Split(' ')[0].ToUpperInvariant()}/{precinct.Trim()}";
        var apportionment = Csv.Parse(File.ReadAllText(Path.Combine(folder, "nv-delegate-apportionment.csv"))).Skip(1)
            .ToDictionary(r => Key(r.Fields[0], r.Fields[1]),
                r => (Registered: int.Parse(r.Fields[3], System.Globalization.CultureInfo.InvariantCulture),
                      Delegates: int.Parse(r.Fields[5], System.Globalization.CultureInfo.InvariantCulture)), StringComparer.Ordinal);
        var attendance = Csv.Parse(File.ReadAllText(Path.Combine(folder, "nv-caucus-results-2020-02-24.csv"))).Skip(1)
            .Where(r => int.TryParse(r.Fields[2], out var a) && a > 0)
            .GroupBy(r => Key(r.Fields[0], r.Fields[1]), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => int.Parse(g.First().Fields[2], System.Globalization.CultureInfo.InvariantCulture), StringComparer.Ordinal);

        var matched = attendance.Where(a => apportionment.ContainsKey(a.Key))
            .Select(a => (Id: a.Key, Attendance: a.Value, apportionment[a.Key].Registered, apportionment[a.Key].Delegates)).ToList();

        Assert.Equal(1638, matched.Count);
        Assert.Equal(7, matched.Max(p => p.Attendance - p.Registered));
        Assert.All(matched, p => Assert.Null(Iowa2020RuleSet.Limits.Implausible(
            new Precinct(p.Id, "county", p.Id, p.Delegates, PrecinctKind.Precinct, Registered: p.Registered),
            Tallies.Same(p.Attendance, ("A", p.Attendance)))));
    }
}
