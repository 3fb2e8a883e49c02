using System.Net;
using System.Text.Json;
using Caucus.Api.Tests.Http;
using Caucus.Api.Tests.Infrastructure;

namespace Caucus.Api.Tests.Reports;

/// <summary>
/// The war room adds a walking subcaucus's groups up by name: a group a report names appears in every results document
/// and export, names differing by case and spacing are one group, and headquarters merges one spelling into another
/// (admin only, stored, in the history, undone by an unmerge, kept across a restart). Run against both stores.
/// </summary>
public abstract class GroupNamesTests(ApiHost host)
{
    private ApiInstance Minnesota() =>
        host.StartInstance(settings: new Dictionary<string, string?> { ["Caucus:ElectionPath"] = OpenGroupReportTests.Folder("mn-dfl-example") });

    private static string Report(string group, int members, string other = "Peace", int otherMembers = 10) =>
        $$$"""{"attendees":{{{members + otherMembers}}},"source":"captain","first":{"{{{group}}}":{{{members}}},"{{{other}}}":{{{otherMembers}}}},"final":{"{{{group}}}":{{{members}}},"{{{other}}}":{{{otherMembers}}}}}""";

    private static JsonElement[] Groups(JsonElement results, string startingWith) =>
        [.. results.GetProperty("candidates").EnumerateArray()
            .Where(c => c.GetProperty("name").GetString()!.StartsWith(startingWith, StringComparison.OrdinalIgnoreCase))];

    private static void Created(ApiResponse response) => Assert.True(response.Status == HttpStatusCode.Created, response.ToString());

    [Fact]
    public async Task A_group_named_on_the_night_is_in_every_document_and_spellings_by_case_are_one_group()
    {
        await using var api = Minnesota();
        Created(await api.Client.PostReportAsync("hennepin/minneapolis-w-1-p-1", Report("Tenants United", 20)));
        Created(await api.Client.PostReportAsync("hennepin/minneapolis-w-1-p-2", Report("tenants   UNITED", 12)));
        Created(await api.Client.PostReportAsync("ramsey/roseville-p-4", Report("Tenants United", 6)));

        var results = (await api.Client.GetAsync("/api/v1/results")).Json;
        var tenants = Assert.Single(Groups(results, "tenants"));
        Assert.Equal("Tenants United", tenants.GetProperty("name").GetString());
        Assert.Equal(38, tenants.GetProperty("finalAlignment").GetInt64());

        var county = (await api.Client.GetAsync("/api/v1/results/counties/Hennepin")).Json;
        Assert.Equal(32, Assert.Single(Groups(county, "tenants")).GetProperty("finalAlignment").GetInt64());

        // The precinct keeps its captain's spelling.
        var precinct = (await api.Client.GetAsync(ApiClient.PrecinctPath("hennepin/minneapolis-w-1-p-2"))).Json;
        Assert.True(precinct.GetProperty("counted").GetProperty("final").TryGetProperty("tenants UNITED", out _), precinct.ToString());

        var csv = await api.Client.GetAsync("/api/v1/export/precincts.csv");
        Assert.Contains("Tenants United", csv.Text, StringComparison.Ordinal);
        var cdf = await api.Client.GetAsync("/api/v1/export/cdf.json");
        Assert.Equal(HttpStatusCode.OK, cdf.Status);
        Assert.Empty(Export.NistSchema.Errors(cdf.Text));
        Assert.Contains("Tenants United", cdf.Text, StringComparison.Ordinal);
        // A subcaucus the election did not list is a selection written in by name.
        Assert.Contains("\"IsWriteIn\":true", cdf.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Headquarters_merges_a_spelling_and_unmerges_it_admin_only_recorded_and_kept_across_a_restart()
    {
        await using (var api = Minnesota())
        {
            Created(await api.Client.PostReportAsync("hennepin/minneapolis-w-1-p-3", Report("Climate Action Now", 9, "Housing")));
            Created(await api.Client.PostReportAsync("hennepin/st-anthony-p-1", Report("Climate Action", 7, "Housing")));

            var warroom = await api.Client.IssueTokenAsync("warroom");
            const string merge = """{"from":"Climate Action Now","into":"Climate Action"}""";
            Assert.Equal(HttpStatusCode.Forbidden, (await api.Client.PostAsync("/api/v1/groups/merge", merge, warroom)).Status);
            Assert.Equal(HttpStatusCode.Forbidden, (await api.Client.GetAsync("/api/v1/groups", warroom)).Status);
            var captain = await api.Client.IssueTokenAsync("precinct", "hennepin/st-anthony-p-1");
            Assert.Equal(HttpStatusCode.Forbidden, (await api.Client.PostAsync("/api/v1/groups/merge", merge, captain)).Status);

            var before = (await api.Client.GetAsync("/api/v1/groups")).Json;
            Assert.Contains(before.GetProperty("spellings").EnumerateArray(),
                s => s.GetProperty("spelling").GetString() == "Climate Action Now" && s.GetProperty("precincts").GetInt32() == 1);

            var merged = await api.Client.PostAsync("/api/v1/groups/merge", merge);
            Assert.True(merged.Status == HttpStatusCode.OK, merged.ToString());
            var results = (await api.Client.GetAsync("/api/v1/results")).Json;
            var climate = Assert.Single(Groups(results, "climate action"));
            Assert.Equal("Climate Action", climate.GetProperty("name").GetString());
            Assert.Equal(16, climate.GetProperty("finalAlignment").GetInt64());
            Assert.Equal(merged.Json.GetProperty("version").GetInt64(), results.GetProperty("version").GetInt64());

            var groups = (await api.Client.GetAsync("/api/v1/groups")).Json;
            var action = Assert.Single(groups.GetProperty("history").EnumerateArray(), h => h.GetProperty("from").GetString() == "Climate Action Now");
            Assert.Equal("merge", action.GetProperty("action").GetString());
            Assert.Equal("Climate Action", action.GetProperty("into").GetString());
            Assert.False(string.IsNullOrEmpty(action.GetProperty("actor").GetString()));
            Assert.True(action.GetProperty("at").GetDateTimeOffset() > DateTimeOffset.UnixEpoch);
            Assert.Contains(groups.GetProperty("merges").EnumerateArray(), m => m.GetProperty("from").GetString() == "Climate Action Now");
            // The audit trail, which the war room may read too.
            var audit = (await api.Client.GetAsync("/api/v1/audit/group-merges", warroom)).Json;
            Assert.Contains(audit.EnumerateArray(), h => h.GetProperty("from").GetString() == "Climate Action Now" && h.GetProperty("action").GetString() == "merge");
        }

        await using (var restarted = Minnesota())
        {
            var results = (await restarted.Client.GetAsync("/api/v1/results")).Json;
            Assert.Equal(16, Assert.Single(Groups(results, "climate action")).GetProperty("finalAlignment").GetInt64());

            var unmerged = await restarted.Client.PostAsync("/api/v1/groups/unmerge", """{"from":"climate action now"}""");
            Assert.True(unmerged.Status == HttpStatusCode.OK, unmerged.ToString());
            var apart = Groups((await restarted.Client.GetAsync("/api/v1/results")).Json, "climate action");
            Assert.Equal(2, apart.Length);
            Assert.Equal(9, apart.Single(c => c.GetProperty("name").GetString() == "Climate Action Now").GetProperty("finalAlignment").GetInt64());
            // The precinct's own report and allocation were never rewritten.
            var precinct = (await restarted.Client.GetAsync(ApiClient.PrecinctPath("hennepin/minneapolis-w-1-p-3"))).Json;
            Assert.True(precinct.GetProperty("counted").GetProperty("final").TryGetProperty("Climate Action Now", out _), precinct.ToString());
            var history = (await restarted.Client.GetAsync("/api/v1/groups")).Json.GetProperty("history");
            Assert.Equal(["merge", "unmerge"], history.EnumerateArray().Where(h => h.GetProperty("from").GetString()!.StartsWith("Climate", StringComparison.OrdinalIgnoreCase))
                .Select(h => h.GetProperty("action").GetString()));
        }
    }

    [Theory]
    [InlineData("/api/v1/groups/merge", """{"from":"","into":"Peace"}""", "from")]
    [InlineData("/api/v1/groups/merge", """{"from":"Peace","into":" peace "}""", "into")]
    [InlineData("/api/v1/groups/merge", """{"from":"Peace"}""", "into")]
    [InlineData("/api/v1/groups/unmerge", """{"from":"Never Merged"}""", "from")]
    [InlineData("/api/v1/groups/merge", """{"from":"Peace","into":"Housing","extra":1}""", "extra")]
    public async Task A_merge_that_cannot_be_is_refused_naming_the_field(string path, string body, string field)
    {
        await using var api = Minnesota();
        var refused = await api.Client.PostAsync(path, body);
        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.True(refused.Json.GetProperty("errors").TryGetProperty(field, out _), refused.Text);
    }

    [Fact]
    public async Task Under_a_closed_list_there_is_nothing_to_merge()
    {
        var refused = await host.Client.PostAsync("/api/v1/groups/merge", """{"from":"Biden","into":"Sanders"}""");
        Assert.Equal(HttpStatusCode.Conflict, refused.Status);
    }
}

public sealed class SqliteGroupNamesTests(SqliteApiHost host) : GroupNamesTests(host), IClassFixture<SqliteApiHost>;

[Collection(PostgresCollection.Name)]
public sealed class PostgresGroupNamesTests(PostgresApiHost host) : GroupNamesTests(host), IClassFixture<PostgresApiHost>;
