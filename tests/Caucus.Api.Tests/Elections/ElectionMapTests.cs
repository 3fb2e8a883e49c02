using System.Net;
using Caucus.Api.Elections;
using Caucus.Api.Tests.Http;

namespace Caucus.Api.Tests.Elections;

/// <summary>
/// GET /api/v1/election/map serves the configured election folder's county outlines: one per county that has a
/// shape (satellite "counties" have none), named as the election names them, public and revalidated by ETag.
/// </summary>
public sealed class ElectionMapTests(SqliteApiHost host) : IClassFixture<SqliteApiHost>
{
    public static TheoryData<string> ShippedElections => ["iowa-2020", "iowa-gop-2024", "mn-dfl-example", "nevada-2020"];

    private static string Folder(string id) => Path.Combine(AppContext.BaseDirectory, "elections", id);

    [Theory]
    [MemberData(nameof(ShippedElections))]
    public async Task The_map_draws_one_outline_per_county_of_the_configured_election(string id)
    {
        var election = ElectionSource.Load(Folder(id));
        await using var api = host.StartInstance(settings: new Dictionary<string, string?> { ["Caucus:ElectionPath"] = Folder(id) });

        var map = await api.Client.GetAsync("/api/v1/election/map", token: null);

        Assert.Equal(HttpStatusCode.OK, map.Status);
        Assert.Equal(election.Name, map.Json.GetProperty("election").GetString());
        var drawn = map.Json.GetProperty("counties").EnumerateArray().ToList();
        var counties = election.Counties.Where(c => !c.IsSatelliteCounty).Select(c => c.Name).ToList();
        Assert.Equal(counties, drawn.Select(c => c.GetProperty("name").GetString()));
        Assert.All(drawn, c => Assert.StartsWith("M", c.GetProperty("path").GetString(), StringComparison.Ordinal));
        Assert.All(drawn, c => Assert.StartsWith(election.StateFips!, c.GetProperty("fips").GetString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_map_is_public_and_revalidated_by_its_ETag()
    {
        var first = await host.Client.GetAsync("/api/v1/election/map", token: null);
        var etag = first.Header("ETag");
        Assert.NotNull(etag);
        Assert.Equal("no-cache", first.Header("Cache-Control"));

        var again = await host.Client.GetAsync("/api/v1/election/map", token: null, ifNoneMatch: etag);

        Assert.Equal(HttpStatusCode.NotModified, again.Status);
        Assert.Equal("", again.Text);
    }

    [Fact]
    public async Task An_election_folder_without_outlines_answers_404_problem_details()
    {
        var folder = Directory.CreateTempSubdirectory("caucus-election-without-map-");
        try
        {
            foreach (var file in Directory.GetFiles(Folder("nevada-2020")).Where(f => Path.GetFileName(f) != ElectionMap.FileName))
            {
                File.Copy(file, Path.Combine(folder.FullName, Path.GetFileName(file)));
            }
            await using var api = host.StartInstance(settings: new Dictionary<string, string?> { ["Caucus:ElectionPath"] = folder.FullName });

            var map = await api.Client.GetAsync("/api/v1/election/map", token: null);

            Assert.Equal(HttpStatusCode.NotFound, map.Status);
            Assert.StartsWith("application/problem+json", map.Header("Content-Type"), StringComparison.Ordinal);
            Assert.Contains(ElectionMap.FileName, map.Json.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
