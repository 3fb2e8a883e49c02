using System.Net;

namespace Caucus.Api.Tests.Http;

/// <summary>Versions are derived from durable state: they survive restarts, never repeat, and name the same state everywhere.</summary>
public abstract partial class ApiContractTests
{
    [Fact]
    public async Task After_corrections_and_a_restart_the_next_change_gets_a_version_above_every_version_seen_before()
    {
        const string precinct = "delaware/manchester-ward-2";
        var beforeCorrections = (await Results()).GetProperty("version").GetInt64();
        await Accepted(precinct, SimpleReport("captain"));
        await Accepted(precinct, SimpleReport("captain", sanders: 15, biden: 5));
        await Accepted(precinct, SimpleReport("captain", sanders: 16, biden: 4));
        var seen = await Api.GetAsync("/api/v1/results");
        var seenVersion = seen.Json.GetProperty("version").GetInt64();
        var seenETag = seen.Header("ETag")!;

        await using var restarted = host.StartInstance();
        var api = restarted.Client;

        // The same stored state: the same version and ETag, so 304 is truthful.
        var same = await api.GetAsync("/api/v1/results");
        Assert.Equal(seenVersion, same.Json.GetProperty("version").GetInt64());
        Assert.Equal(seenETag, same.Header("ETag"));
        AssertStatus(HttpStatusCode.NotModified, await api.GetAsync("/api/v1/results", ifNoneMatch: seenETag));

        // A cursor from before the restart still names what changed since.
        var changes = (await api.GetAsync($"/api/v1/changes?since={beforeCorrections}")).Json;
        Assert.False(changes.GetProperty("reload").GetBoolean());
        var mine = Assert.Single(changes.GetProperty("changes").EnumerateArray(), c => c.GetProperty("precinct").GetString() == precinct);
        Assert.Equal(3, mine.GetProperty("revision").GetInt32());
        Assert.Equal("captain", mine.GetProperty("source").GetString());

        // A new change after the restart is above every version seen, and the old ETag no longer matches.
        var response = await api.PostReportAsync(precinct, SimpleReport("captain", sanders: 17, biden: 3));
        AssertStatus(HttpStatusCode.Created, response);
        var next = await api.GetAsync("/api/v1/results", ifNoneMatch: seenETag);
        AssertStatus(HttpStatusCode.OK, next);
        var nextVersion = next.Json.GetProperty("version").GetInt64();
        Assert.True(nextVersion > seenVersion);
        Assert.NotEqual(seenETag, next.Header("ETag"));

        // The class's shared instance catches up with the write made through the other (its safety poll), so
        // the tests after this one see one consistent store.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await Results()).GetProperty("version").GetInt64() < nextVersion && DateTime.UtcNow < deadline) await Task.Delay(100);
        Assert.Equal(nextVersion, (await Results()).GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task OpenApi_tags_each_feature_as_itself_and_documents_its_refusals()
    {
        var paths = (await Api.GetAsync("/openapi/v1.json", token: NoToken)).Json.GetProperty("paths");

        string Tag(string path, string method) =>
            Assert.Single(paths.GetProperty(path).GetProperty(method).GetProperty("tags").EnumerateArray()).GetString()!;
        IEnumerable<string> Responses(string path, string method) =>
            paths.GetProperty(path).GetProperty(method).GetProperty("responses").EnumerateObject().Select(r => r.Name);

        Assert.Equal("Results", Tag("/api/v1/results", "get"));
        Assert.Equal("Results", Tag("/api/v1/results/counties/{county}", "get"));
        Assert.Equal("Changes", Tag("/api/v1/changes", "get"));
        Assert.Equal("Election", Tag("/api/v1/election", "get"));
        Assert.Equal("Stream", Tag("/api/v1/stream", "get"));
        Assert.Equal("Reports", Tag("/api/v1/precincts/{id}/reports", "post"));
        Assert.Equal("Precincts", Tag("/api/v1/precincts/{id}", "get"));
        Assert.Equal("Admin", Tag("/api/v1/admin/certify", "post"));
        Assert.Equal("Audit", Tag("/api/v1/audit/precincts/{id}", "get"));
        Assert.Superset(new HashSet<string> { "201", "400", "403", "404", "409", "413" }, Responses("/api/v1/precincts/{id}/reports", "post").ToHashSet());
        Assert.Superset(new HashSet<string> { "200", "304" }, Responses("/api/v1/results", "get").ToHashSet());
        Assert.Superset(new HashSet<string> { "200", "409" }, Responses("/api/v1/admin/certify", "post").ToHashSet());
    }
}
