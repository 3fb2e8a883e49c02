using System.Text.Json;
using Caucus.Api.Elections;

namespace Caucus.Api.Tests.Elections;

/// <summary>
/// Each shipped election folder's county-outlines.json (written by web/prepare.mjs, committed) draws exactly the
/// counties of its counties.csv, in its order, satellite "counties" left out, all in the folder's state. Read straight
/// from the file, not through the Api's reader, so a stale file is caught even if that reader were wrong.
/// </summary>
public sealed class CountyOutlinesFileTests
{
    [Theory]
    [InlineData("iowa-2020", 99)]
    [InlineData("nevada-2020", 17)]
    public void The_outlines_file_draws_the_counties_of_counties_csv(string id, int shapes)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "elections", id);
        var election = ElectionSource.Load(folder);
        using var outlines = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(folder, ElectionMap.FileName)));
        var root = outlines.RootElement;

        var satellites = election.Counties.Where(c => c.IsSatelliteCounty).Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var csvCounties = File.ReadAllLines(Path.Combine(folder, "counties.csv")).Skip(1)
            .Select(line => line.Split(',')[0]).Where(name => !satellites.Contains(name)).ToList();
        var drawn = root.GetProperty("counties").EnumerateArray().ToList();

        Assert.Equal(shapes, csvCounties.Count);
        Assert.Equal(csvCounties, drawn.Select(c => c.GetProperty("name").GetString()));
        Assert.Equal(election.StateFips, root.GetProperty("stateFips").GetString());
        Assert.All(drawn, c => Assert.Matches($"^{election.StateFips}\\d{{3}}$", c.GetProperty("fips").GetString()));
        Assert.Equal(drawn.Count, drawn.Select(c => c.GetProperty("fips").GetString()).Distinct().Count());
        Assert.True(root.GetProperty("width").GetInt32() > 0 && root.GetProperty("height").GetInt32() > 0);
    }
}
