using System.Net;
using System.Text.Json;

namespace Caucus.Api.Tests.Http;

/// <summary>
/// The rules a war room and the hotline meet on the night, each against a fresh store so the statewide numbers
/// are this test's alone: SDE ranges under a pending toss, double entry, preview, and the projection.
/// </summary>
public sealed class NightRulesTests : IAsyncLifetime
{
    private const string Adair = "adair/1nw-adair";
    private const string AdairGroups = """{"Biden":6,"Buttigieg":8,"Klobuchar":8,"Sanders":9,"Warren":9}""";
    private readonly SqliteApiHost _host = new();

    private ApiClient Api => _host.Client;

    public Task InitializeAsync() => _host.InitializeAsync();

    public Task DisposeAsync() => _host.DisposeAsync();

    private static string AdairReport(string source, string? tieBreaks = null) =>
        $$"""{"attendees":40,"first":{{AdairGroups}},"final":{{AdairGroups}}{{(tieBreaks is null ? "" : $",\"tieBreaks\":{tieBreaks}")}},"source":"{{source}}"}""";

    private static string Simple(int sanders, int warren, string source = "hotline") =>
        $$"""{"attendees":{{sanders + warren}},"first":{"Sanders":{{sanders}},"Warren":{{warren}}},"final":{"Sanders":{{sanders}},"Warren":{{warren}}},"source":"{{source}}"}""";

    private static JsonElement Candidate(JsonElement results, string name) =>
        results.GetProperty("candidates").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);

    private static (string Low, string High) Range(JsonElement candidate) =>
        (candidate.GetProperty("sdeRange").GetProperty("low").GetString()!, candidate.GetProperty("sdeRange").GetProperty("high").GetString()!);

    private async Task<JsonElement> Created(string precinct, string body, string? token = Infrastructure.ApiFactory.AdminToken)
    {
        var response = await Api.PostReportAsync(precinct, body, token);
        Assert.True(response.Status == HttpStatusCode.Created, response.ToString());
        return response.Json;
    }

    [Fact]
    public async Task Adair_1NW_without_its_toss_gives_Buttigieg_and_Klobuchar_the_range_of_both_outcomes_until_the_toss_is_recorded()
    {
        await Created(Adair, AdairReport("official"));
        var pending = (await Api.GetAsync("/api/v1/results")).Json;

        Assert.Equal(("0.0784", "0.1569"), Range(Candidate(pending, "Buttigieg")));
        Assert.Equal(("0.0784", "0.1569"), Range(Candidate(pending, "Klobuchar")));
        Assert.Equal(("0.1569", "0.1569"), Range(Candidate(pending, "Sanders")));
        Assert.Equal(1, pending.GetProperty("flags").GetProperty("pendingTieBreaks").GetInt32());
        var page = (await Api.GetAsync(ApiClient.PrecinctPath(Adair))).Json;
        var outcomes = page.GetProperty("tossOutcomes").EnumerateArray().ToList();
        Assert.Equal(2, outcomes.Count);
        Assert.Contains(outcomes, o => o.GetProperty("sde").GetProperty("Klobuchar").GetString() == "0.1569"
            && o.GetProperty("sde").GetProperty("Buttigieg").GetString() == "0.0784");

        await Created(Adair, AdairReport("official", """[{"groups":["Buttigieg","Klobuchar"],"winners":["Klobuchar"]}]"""));
        var settled = (await Api.GetAsync("/api/v1/results")).Json;

        Assert.Equal(("0.0784", "0.0784"), Range(Candidate(settled, "Buttigieg")));
        Assert.Equal(("0.1569", "0.1569"), Range(Candidate(settled, "Klobuchar")));
        Assert.Equal("0.1569", Candidate(settled, "Klobuchar").GetProperty("sde").GetString());
        Assert.Equal(0, settled.GetProperty("flags").GetProperty("pendingTieBreaks").GetInt32());
        Assert.Empty((await Api.GetAsync(ApiClient.PrecinctPath(Adair))).Json.GetProperty("tossOutcomes").EnumerateArray());
    }

    [Fact]
    public async Task One_hotline_entry_waits_for_a_second_operator_and_counts_when_the_numbers_match()
    {
        const string precinct = "adams/adams-1";
        var first = await Api.IssueTokenAsync("hotline");
        var second = await Api.IssueTokenAsync("hotline");

        var once = await Created(precinct, Simple(12, 8), first);
        Assert.Equal("awaiting-second-entry", once.GetProperty("doubleEntry").GetProperty("status").GetString());
        Assert.Equal(0, (await Api.GetAsync("/api/v1/results")).Json.GetProperty("precincts").GetProperty("reporting").GetInt32());

        // The same operator again is not a second entry.
        Assert.Equal("awaiting-second-entry", (await Created(precinct, Simple(12, 8), first)).GetProperty("doubleEntry").GetProperty("status").GetString());

        var twice = await Created(precinct, Simple(12, 8), second);
        Assert.Equal("confirmed", twice.GetProperty("doubleEntry").GetProperty("status").GetString());
        var results = (await Api.GetAsync("/api/v1/results")).Json;
        Assert.Equal(1, results.GetProperty("precincts").GetProperty("reporting").GetInt32());
        Assert.Equal(12, Candidate(results, "Sanders").GetProperty("finalAlignment").GetInt64());
    }

    [Fact]
    public async Task Two_operators_differing_entries_are_a_mismatch_naming_the_field_and_neither_counts_until_resolved()
    {
        const string precinct = "adams/adams-2";
        var first = await Api.IssueTokenAsync("hotline");
        var second = await Api.IssueTokenAsync("hotline");
        await Created(precinct, Simple(12, 9), first);

        var differing = await Created(precinct, Simple(12, 7), second);

        var doubleEntry = differing.GetProperty("doubleEntry");
        Assert.Equal("mismatch", doubleEntry.GetProperty("status").GetString());
        var differences = doubleEntry.GetProperty("differences").EnumerateArray().Select(d => d.GetString()).ToList();
        Assert.Contains("final.Warren: 7 vs 9", differences);
        Assert.Contains("first.Warren: 7 vs 9", differences);
        Assert.Contains("attendees: 19 vs 21", differences);
        var onPage = (await Api.GetAsync(ApiClient.PrecinctPath(precinct))).Json.GetProperty("doubleEntry");
        Assert.Equal("mismatch", onPage.GetProperty("status").GetString());
        // The precinct document names both operators, in the order of each difference ("7 vs 9": the second's 7 first).
        var operators = onPage.GetProperty("operators").EnumerateArray().Select(o => o.GetString()!).ToList();
        Assert.Equal(2, operators.Count);
        Assert.All(operators, o => Assert.StartsWith("Hotline operator ", o, StringComparison.Ordinal));
        Assert.True(int.Parse(operators[0]["Hotline operator ".Length..], System.Globalization.CultureInfo.InvariantCulture)
            > int.Parse(operators[1]["Hotline operator ".Length..], System.Globalization.CultureInfo.InvariantCulture), string.Join(", ", operators));
        Assert.DoesNotContain("tok_", onPage.GetRawText(), StringComparison.Ordinal);
        var results = (await Api.GetAsync("/api/v1/results")).Json;
        Assert.Equal(0, results.GetProperty("precincts").GetProperty("reporting").GetInt32());
        Assert.Equal(1, results.GetProperty("flags").GetProperty("doubleEntryMismatches").GetInt32());
        var flagged = Assert.Single((await Api.GetAsync("/api/v1/flags")).Json.GetProperty("doubleEntryMismatches").EnumerateArray());
        Assert.Equal(precinct, flagged.GetProperty("precinct").GetString());

        // The first operator re-enters what the caller confirms: it matches the second, and counts.
        var resolved = await Created(precinct, Simple(12, 7), first);
        Assert.Equal("confirmed", resolved.GetProperty("doubleEntry").GetProperty("status").GetString());
        Assert.Equal(7, Candidate((await Api.GetAsync("/api/v1/results")).Json, "Warren").GetProperty("finalAlignment").GetInt64());
    }

    [Fact]
    public async Task Preview_answers_the_math_of_a_report_and_stores_and_counts_nothing()
    {
        var hotline = await Api.IssueTokenAsync("hotline");
        var before = await Api.GetAsync("/api/v1/results");

        var preview = await Api.PostAsync(ApiClient.PrecinctPath(Adair) + "/preview", AdairReport("hotline"), hotline);

        Assert.Equal(HttpStatusCode.OK, preview.Status);
        var allocation = preview.Json.GetProperty("allocation");
        Assert.Equal(6, allocation.GetProperty("viabilityThreshold").GetInt32());
        Assert.Equal("pending-tie-break", allocation.GetProperty("status").GetString());
        Assert.Equal("too-many", preview.Json.GetProperty("pendingTieBreak").GetProperty("kind").GetString());
        Assert.Equal(["Buttigieg", "Klobuchar"], preview.Json.GetProperty("pendingTieBreak").GetProperty("groups").EnumerateArray().Select(g => g.GetString()));
        Assert.Equal("0.1569", allocation.GetProperty("sde").GetProperty("Sanders").GetString());
        var invalid = await Api.PostAsync(ApiClient.PrecinctPath(Adair) + "/preview", """{"attendees":-1}""", hotline);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.Status);
        Assert.True(invalid.Json.GetProperty("errors").TryGetProperty("attendees", out _));

        var audit = (await Api.GetAsync(ApiClient.AuditPath(Adair))).Json;
        Assert.Empty(audit.GetProperty("revisions").EnumerateArray());
        Assert.Empty(audit.GetProperty("rejected").EnumerateArray());
        Assert.Equal(before.Header("ETag"), (await Api.GetAsync("/api/v1/results")).Header("ETag"));
    }

    [Fact]
    public async Task The_projection_follows_the_results_version_and_reaches_stream_listeners()
    {
        await Created("adams/adams-1", Simple(30, 10, "official"));
        await Created("adams/adams-2", Simple(25, 15, "official"));
        var version = (await Api.GetAsync("/api/v1/results")).Json.GetProperty("version").GetInt64();

        JsonElement projection = default;
        // A condition, not a timing: the projection rests four times as long as it computes, so on a loaded 2-core
        // machine (a projection of 1,000 draws taking several seconds) reaching a new version can take half a minute.
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (DateTime.UtcNow < deadline)
        {
            var response = await Api.GetAsync("/api/v1/projection");
            if (response.Status == HttpStatusCode.OK && response.Json.GetProperty("basedOnVersion").GetInt64() == version)
            {
                projection = response.Json;
                break;
            }
            await Task.Delay(100);
        }

        Assert.Equal(JsonValueKind.Object, projection.ValueKind);
        var sanders = projection.GetProperty("candidates").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "Sanders");
        Assert.InRange(sanders.GetProperty("winProbability").GetDouble(), 0, 1);
        var sde = sanders.GetProperty("sde");
        var low = double.Parse(sde.GetProperty("low").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        var high = double.Parse(sde.GetProperty("high").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        var projected = double.Parse(sde.GetProperty("projected").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(low <= projected && projected <= high, sde.ToString());
        Assert.True(projection.GetProperty("reportingShare").GetDouble() > 0);
        // The projection says why in words: what is still out and who leads there.
        Assert.Matches(@"^[\d,]+ of [\d,]+ precincts are uncounted.*leads there by", projection.GetProperty("why").GetString());

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/stream");
        request.Headers.Authorization = new("Bearer", Infrastructure.ApiFactory.AdminToken);
        using var stream = await Api.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cts.Token);
        using var reader = new StreamReader(await stream.Content.ReadAsStreamAsync(cts.Token));
        var events = new HashSet<string>();
        while (events.Count < 2 && await reader.ReadLineAsync(cts.Token) is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal)) events.Add(line["event: ".Length..]);
        }
        Assert.Equal(new HashSet<string> { "results", "projection" }, events);
    }

    [Fact]
    public async Task Orient_as_published_and_a_two_million_attendee_report_are_in_the_review_queue_and_the_absurd_one_counts_only_once_confirmed()
    {
        const string orient = "adair/4se-orient";
        const string orientGroups = """{"Biden":7,"Buttigieg":6,"Klobuchar":6,"Sanders":6,"Warren":9}""";
        await Created(orient, $$"""{"attendees":34,"first":{{orientGroups}},"final":{{orientGroups}},"reportedDelegates":{"Biden":2,"Buttigieg":2,"Klobuchar":2,"Sanders":1,"Warren":3},"source":"official"}""");
        var captain = await Api.IssueTokenAsync("precinct", "adams/adams-1");
        var absurd = await Api.PostReportAsync("adams/adams-1",
            """{"attendees":2000000,"first":{"Sanders":1500000,"Warren":500000},"final":{"Sanders":1500000,"Warren":500000},"source":"captain"}""", captain);

        // Stored and answered 202 with the reason; held out of every total.
        Assert.Equal(HttpStatusCode.Accepted, absurd.Status);
        Assert.Contains("held", absurd.Json.GetProperty("held").GetString(), StringComparison.Ordinal);
        var results = (await Api.GetAsync("/api/v1/results")).Json;
        Assert.Equal(0, Candidate(results, "Sanders").GetProperty("firstAlignment").GetInt64() - 6);
        Assert.Equal(1, results.GetProperty("precincts").GetProperty("reporting").GetInt32());

        var queue = (await Api.GetAsync("/api/v1/review")).Json.GetProperty("items").EnumerateArray().ToList();
        var broken = Assert.Single(queue, i => i.GetProperty("precinct").GetString() == orient && i.GetProperty("reason").GetString() == "rules-broken");
        Assert.Contains("Warren", broken.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var held = Assert.Single(queue, i => i.GetProperty("precinct").GetString() == "adams/adams-1");
        Assert.Equal("implausible", held.GetProperty("reason").GetString());
        Assert.Equal(2000000, Assert.Single(held.GetProperty("versions").EnumerateArray()).GetProperty("attendees").GetInt32());
        // What a decision can move, for the admin page's order: Orient's 10 delegates × Adair's 4 state / 51 county
        // delegates = 40/51 SDE. Senders in words beside the token id: the environment's admin, Adams 1's captain.
        Assert.Equal("0.7843", broken.GetProperty("weight").GetString());
        // Broken math changes no count, so it does not stop certification; a held report does.
        Assert.False(broken.GetProperty("blocksCertification").GetBoolean());
        Assert.True(held.GetProperty("blocksCertification").GetBoolean());
        Assert.Equal("the admin (CAUCUS_ADMIN_TOKEN)", Assert.Single(broken.GetProperty("versions").EnumerateArray()).GetProperty("actorName").GetString());
        var sender = Assert.Single(held.GetProperty("versions").EnumerateArray());
        Assert.StartsWith("tok_", sender.GetProperty("actor").GetString(), StringComparison.Ordinal);
        Assert.Equal("Captain of Adams — Adams 1", sender.GetProperty("actorName").GetString());
        var warroom = await Api.IssueTokenAsync("warroom");
        Assert.Equal(HttpStatusCode.Forbidden, (await Api.GetAsync("/api/v1/review", warroom)).Status);

        // Clearing needs a reason; confirming releases the hold, and the numbers count.
        Assert.Equal(HttpStatusCode.BadRequest, (await Api.PostAsync("/api/v1/review/decisions",
            $$"""{"key":"{{held.GetProperty("key").GetString()}}","action":"confirm"}""")).Status);
        var confirmed = await Api.PostAsync("/api/v1/review/decisions",
            $$"""{"key":"{{held.GetProperty("key").GetString()}}","action":"confirm","reason":"checked with the chair: a test entry, but confirm to see it count"}""");
        Assert.Equal(HttpStatusCode.OK, confirmed.Status);
        var after = (await Api.GetAsync("/api/v1/results")).Json;
        Assert.Equal(1500006, Candidate(after, "Sanders").GetProperty("firstAlignment").GetInt64());
        Assert.DoesNotContain((await Api.GetAsync("/api/v1/review")).Json.GetProperty("items").EnumerateArray(),
            i => i.GetProperty("precinct").GetString() == "adams/adams-1" && i.GetProperty("reason").GetString() == "implausible");
        var audit = (await Api.GetAsync(ApiClient.AuditPath("adams/adams-1"))).Json;
        Assert.Equal("confirm", Assert.Single(audit.GetProperty("decisions").EnumerateArray()).GetProperty("action").GetString());

        // Clearing Orient's item takes it off the queue, and the clearance is in its audit trail.
        var cleared = await Api.PostAsync("/api/v1/review/decisions",
            $$"""{"key":"{{broken.GetProperty("key").GetString()}}","action":"clear","reason":"the party's published numbers, kept as reported"}""");
        Assert.Equal(HttpStatusCode.OK, cleared.Status);
        Assert.DoesNotContain((await Api.GetAsync("/api/v1/review")).Json.GetProperty("items").EnumerateArray(),
            i => i.GetProperty("key").GetString() == broken.GetProperty("key").GetString());
        Assert.Equal("clear", Assert.Single((await Api.GetAsync(ApiClient.AuditPath(orient))).Json.GetProperty("decisions").EnumerateArray())
            .GetProperty("action").GetString());
    }
}
