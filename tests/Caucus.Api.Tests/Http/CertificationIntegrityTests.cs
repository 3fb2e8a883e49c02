using System.Net;
using System.Text.Json;
using Caucus.Api.Tests.Infrastructure;

namespace Caucus.Api.Tests.Http;

/// <summary>
/// Issue 19, cases 1–3 replayed through HTTP on each store: certification names the results the admin looked at
/// (If-Match), waits for every review item that could change a count, and nothing changes a certified result under
/// its label; one hotline operator cannot take a confirmed precinct out of the totals. Its own store: it reports
/// every precinct.
/// </summary>
public abstract class CertificationIntegrityTests(ApiHost host)
{
    private const string Held = "adair/1nw-adair";
    private const string Phoned = "adair/3sw-fontanelle";

    private static string Tally(int sanders, int warren, string source, int? finalWarren = null) =>
        $$"""{"attendees":{{sanders + (finalWarren ?? warren)}},"first":{"Sanders":{{sanders}},"Warren":{{warren}}},"final":{"Sanders":{{sanders}},"Warren":{{finalWarren ?? warren}}},"source":"{{source}}"}""";

    private ApiClient Client => host.Client;

    private async Task<JsonElement[]> ReviewAsync() => [.. (await Client.GetAsync("/api/v1/review")).Json.GetProperty("items").EnumerateArray()];

    private async Task<string> KeyAsync(string precinct, string reason) =>
        (await ReviewAsync()).Single(i => i.GetProperty("precinct").GetString() == precinct && i.GetProperty("reason").GetString() == reason)
            .GetProperty("key").GetString()!;

    private Task<ApiResponse> DecideAsync(string key, string action, string reason = "checked with the county chair") =>
        Client.PostAsync("/api/v1/review/decisions", JsonSerializer.Serialize(new { key, action, reason }));

    private async Task<string> StatusAsync(ApiClient? client = null) =>
        (await (client ?? Client).GetAsync("/api/v1/results")).Json.GetProperty("status").GetString()!;

    private async Task CreatedAsync(string precinct, string body, string? token = ApiFactory.AdminToken, HttpStatusCode expected = HttpStatusCode.Created)
    {
        var answer = await Client.PostReportAsync(precinct, body, token);
        Assert.True(answer.Status == expected, $"{precinct}: {answer}");
    }

    /// <summary>A results document without its time of reading: what it says, not when it was read.</summary>
    private static string WithoutAsOf(string results)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(results)!.AsObject();
        node.Remove("asOf");
        return node.ToJsonString();
    }

    [Fact]
    public async Task Certification_names_the_results_looked_at_and_is_refused_when_they_moved()
    {
        var looked = (await Client.GetAsync("/api/v1/results")).Json.GetProperty("version").GetInt64();
        Assert.Equal($"\"{looked}\"", (await Client.GetAsync("/api/v1/results")).Header("ETag"));

        var unnamed = await Client.PostAsync("/api/v1/admin/certify", "{}");
        Assert.Equal(HttpStatusCode.PreconditionRequired, unnamed.Status);
        Assert.Contains("If-Match", unnamed.Json.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var garbled = await Client.SendAsync(HttpMethod.Post, "/api/v1/admin/certify", ApiFactory.AdminToken, "{}", [("If-Match", "\"v12, 13\"")]);
        Assert.Equal(HttpStatusCode.BadRequest, garbled.Status);
        Assert.True(garbled.Json.GetProperty("errors").TryGetProperty("If-Match", out _), garbled.Text);

        // A report arrives after the admin looked: what they looked at is not what would be certified.
        await CreatedAsync("wright/goldfield", Tally(6, 4, "official"));
        var moved = await Client.CertifyAsync(version: looked);
        Assert.Equal(HttpStatusCode.PreconditionFailed, moved.Status);
        Assert.Contains($"version {looked}", moved.Json.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.NotEqual("certified", await StatusAsync());
    }

    [Fact]
    public async Task A_certified_night_stays_certified_and_no_open_item_that_could_change_a_count_is_certified_past()
    {
        var precincts = (await Client.GetAsync("/api/v1/precincts")).Json.EnumerateArray().Select(p => p.GetProperty("id").GetString()!).ToList();
        using var gate = new SemaphoreSlim(16);
        await Task.WhenAll(precincts.Where(id => id is not Held and not Phoned).Select(async (id, i) =>
        {
            await gate.WaitAsync();
            // One precinct with more people in final alignment than in first: an item that changes no count when cleared.
            try { await CreatedAsync(id, i == 0 ? Tally(6, 4, "official", finalWarren: 5) : Tally(6, 4, "official")); }
            finally { gate.Release(); }
        }));

        // Case 1: a chair's implausible report is held while the captain's counts.
        await CreatedAsync(Held, Tally(6, 4, "captain"), await Client.IssueTokenAsync("precinct", Held, "captain"));
        await CreatedAsync(Held, Tally(1800, 1200, "chair"), await Client.IssueTokenAsync("precinct", Held, "chair"), HttpStatusCode.Accepted);

        // Case 3: two operators agree; a third enters other numbers, twice: the agreed numbers still count.
        string[] operators = [await Client.IssueTokenAsync("hotline"), await Client.IssueTokenAsync("hotline"), await Client.IssueTokenAsync("hotline")];
        await CreatedAsync(Phoned, Tally(7, 5, "hotline"), operators[0]);
        await CreatedAsync(Phoned, Tally(7, 5, "hotline"), operators[1]);
        await CreatedAsync(Phoned, Tally(70, 5, "hotline"), operators[2]);
        var firstDiffering = await KeyAsync(Phoned, "hotline-entry-differs");
        await CreatedAsync(Phoned, Tally(7, 50, "hotline"), operators[2]);
        var phoned = (await Client.GetAsync(ApiClient.PrecinctPath(Phoned))).Json;
        Assert.Equal("later-entry-differs", phoned.GetProperty("doubleEntry").GetProperty("status").GetString());
        var results = (await Client.GetAsync("/api/v1/results")).Json;
        Assert.Equal(results.GetProperty("precincts").GetProperty("total").GetInt32(), results.GetProperty("precincts").GetProperty("reporting").GetInt32());
        Assert.Equal("unofficial-complete", results.GetProperty("status").GetString());

        var refused = await Client.CertifyAsync();
        Assert.Equal(HttpStatusCode.Conflict, refused.Status);
        var why = refused.Json.GetProperty("detail").GetString()!;
        Assert.Contains("1 implausible", why, StringComparison.Ordinal);
        Assert.Contains("1 hotline-entry-differs", why, StringComparison.Ordinal);
        Assert.Contains("1 sources-disagree", why, StringComparison.Ordinal);

        // A decision names the item's revision: one made on the version superseded since is refused.
        var stale = await DecideAsync(firstDiffering, "clear");
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.Status);
        Assert.Equal(HttpStatusCode.OK, (await DecideAsync(await KeyAsync(Phoned, "hotline-entry-differs"), "clear")).Status);
        Assert.Equal(HttpStatusCode.OK, (await DecideAsync(await KeyAsync(Held, "implausible"), "confirm")).Status);
        Assert.Equal(HttpStatusCode.OK, (await DecideAsync(await KeyAsync(Held, "sources-disagree"), "clear")).Status);

        var certified = await Client.CertifyAsync("""{"note":"canvass complete"}""");
        Assert.True(certified.Status == HttpStatusCode.OK, certified.ToString());
        var version = (await Client.GetAsync("/api/v1/results")).Json.GetProperty("version").GetInt64();
        var before = (await Client.GetAsync("/api/v1/results")).Text;

        // After certification no decision is taken: the certified result never changes under its label.
        var late = await DecideAsync(await KeyAsync(precincts.First(id => id is not Held and not Phoned), "final-exceeds-first"), "clear");
        Assert.Equal(HttpStatusCode.Conflict, late.Status);
        Assert.Contains("certified", late.Json.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var after = (await Client.GetAsync("/api/v1/results")).Json;
        Assert.Equal("certified", after.GetProperty("status").GetString());
        Assert.Equal(version, after.GetProperty("version").GetInt64());
        Assert.Equal(WithoutAsOf(before), WithoutAsOf(after.GetRawText()));
        Assert.Contains("\"certified\"", (await Client.GetAsync("/api/v1/export/cdf.json")).Text, StringComparison.OrdinalIgnoreCase);

        await using (var restarted = host.StartInstance())
        {
            Assert.Equal("certified", await StatusAsync(restarted.Client));
            Assert.Equal(version, (await restarted.Client.GetAsync("/api/v1/results")).Json.GetProperty("version").GetInt64());
        }

        // Only an official correction reopens the results; then decisions are taken again.
        await CreatedAsync(Phoned, Tally(7, 5, "official"));
        Assert.Equal("unofficial-complete", await StatusAsync());
        Assert.Contains("unofficial-complete", (await Client.GetAsync("/api/v1/export/cdf.json")).Text, StringComparison.Ordinal);
        Assert.Equal("unofficial-complete", (await Client.GetAsync("/api/v1/results/counties/Adair")).Json.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, (await DecideAsync(await KeyAsync(precincts.First(id => id is not Held and not Phoned), "final-exceeds-first"), "clear")).Status);
    }
}

public sealed class SqliteCertificationIntegrityTests(SqliteApiHost host) : CertificationIntegrityTests(host), IClassFixture<SqliteApiHost>;

[Collection(PostgresCollection.Name)]
public sealed class PostgresCertificationIntegrityTests(PostgresApiHost host) : CertificationIntegrityTests(host), IClassFixture<PostgresApiHost>;
