using System.Net;
using Caucus.Api.Infrastructure;
using Caucus.Api.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Caucus.Api.Tests.Http;

/// <summary>
/// Per-credential limits (ASP.NET Core's rate limiter, partitioned by token id) and stream caps, and the source a
/// precinct credential is issued for. Each test on its own instance of one SQLite store, so buckets start full.
/// The bucket tests run their instance on a FakeTimeProvider: no token comes back unless the test moves the clock,
/// however slow the machine, so the counts are exact.
/// </summary>
public sealed class RateLimitTests(SqliteApiHost host) : IClassFixture<SqliteApiHost>
{
    private static string Report(string source, int sanders = 12, int biden = 8) =>
        $$"""{"attendees":{{sanders + biden}},"first":{"Sanders":{{sanders}},"Biden":{{biden}}},"final":{"Sanders":{{sanders}},"Biden":{{biden}}},"source":"{{source}}"}""";

    private static readonly string[] Allamakee =
        ["allamakee/pct-03-po-fk", "allamakee/pct-04-pv-city", "allamakee/pct-05-lt-pc-wv-city", "allamakee/pct-06-fv-tl-hf-city", "allamakee/pct-07-cn-lf-ls-ls-city"];

    private static void AssertStatus(HttpStatusCode expected, ApiResponse response) =>
        Assert.True(response.Status == expected, $"Expected {(int)expected}, got {response}");

    private static void AssertTooMany(ApiResponse response)
    {
        AssertStatus(HttpStatusCode.TooManyRequests, response);
        Assert.True(int.TryParse(response.Header("Retry-After"), out var seconds) && seconds > 0, $"Retry-After: {response.Header("Retry-After")}");
        Assert.StartsWith("application/problem+json", response.Header("Content-Type"));
        Assert.Equal(429, response.Json.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task The_defaults_are_generous_for_corrections_and_for_a_war_room_behind_one_address()
    {
        var limits = new LimitOptions();

        Assert.InRange(limits.PrecinctReportsPerMinute, 5, 60);
        Assert.True(limits.HotlineReportsPerMinute > limits.PrecinctReportsPerMinute);
        Assert.True(limits.PreviewsPerMinute > limits.HotlineReportsPerMinute);
        Assert.True(limits.StreamsPerAddress >= 500);
        Assert.True(limits.AdminExempt);

        // A captain correcting a report a few times in a minute is served.
        await using var instance = host.StartInstance();
        const string precinct = "adair/5gf-greenfield";
        var captain = await instance.Client.IssueTokenAsync("precinct", precinct);
        for (var i = 0; i < 5; i++) AssertStatus(HttpStatusCode.Created, await instance.Client.PostReportAsync(precinct, Report("captain", 10 + i), captain));
    }

    [Fact]
    public async Task A_precinct_credential_sending_120_reports_in_a_row_meets_429_with_Retry_After_while_another_credentials_report_succeeds()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var instance = host.StartInstance(time);
        var api = instance.Client;
        const string precinct = "adams/adams-4";
        var flooding = await api.IssueTokenAsync("precinct", precinct);
        const string neighbour = "adams/adams-5";
        var other = await api.IssueTokenAsync("precinct", neighbour);

        var answers = new List<ApiResponse>();
        for (var i = 0; i < 120; i++) answers.Add(await api.PostReportAsync(precinct, Report("captain", 10 + (i % 5)), flooding));

        var accepted = answers.Count(a => a.Status == HttpStatusCode.Created);
        Assert.Equal(12, accepted); // the bucket: the clock did not move, so nothing refilled
        Assert.All(answers.Take(12), a => AssertStatus(HttpStatusCode.Created, a));
        Assert.All(answers.Skip(12), AssertTooMany);
        Assert.Equal("10", answers[^1].Header("Retry-After")); // the next of six refills a minute

        // Ten seconds later two tokens are back (12 a minute in six steps), and no more.
        time.Advance(TimeSpan.FromSeconds(10));
        AssertStatus(HttpStatusCode.Created, await api.PostReportAsync(precinct, Report("captain", 20), flooding));
        AssertStatus(HttpStatusCode.Created, await api.PostReportAsync(precinct, Report("captain", 21), flooding));
        AssertTooMany(await api.PostReportAsync(precinct, Report("captain", 22), flooding));
        accepted += 2;

        AssertStatus(HttpStatusCode.Created, await api.PostReportAsync(neighbour, Report("captain"), other));
        AssertStatus(HttpStatusCode.Created, await api.PostReportAsync(precinct, Report("official")));
        // The preview has its own, higher limit: the pages' live math still works for the refused captain.
        AssertStatus(HttpStatusCode.OK, await api.PostAsync(ApiClient.PrecinctPath(precinct) + "/preview", Report("captain"), flooding));
        var stored = await host.StoredBodiesAsync(precinct);
        Assert.Equal(accepted + 1, stored.Count);
    }

    [Fact]
    public async Task Hotline_credentials_get_more_than_precinct_credentials_and_admins_are_exempt_unless_configured()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Caucus:Limits:PrecinctReportsPerMinute"] = "2",
            ["Caucus:Limits:HotlineReportsPerMinute"] = "4",
            ["Caucus:Limits:PreviewsPerMinute"] = "3",
        };
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var instance = host.StartInstance(time, settings: settings);
        var api = instance.Client;
        var hotline = await api.IssueTokenAsync("hotline");
        var captain = await api.IssueTokenAsync("precinct", "allamakee/pct-02-fc-jf-ll-mk-up");

        async Task<int[]> Statuses(int n, Func<int, Task<ApiResponse>> send)
        {
            var statuses = new int[n];
            for (var i = 0; i < n; i++) statuses[i] = (int)(await send(i)).Status;
            return statuses;
        }

        Assert.Equal(new[] { 201, 201, 429 }, await Statuses(3, _ => api.PostReportAsync("allamakee/pct-02-fc-jf-ll-mk-up", Report("captain"), captain)));
        Assert.Equal(new[] { 201, 201, 201, 201, 429 }, await Statuses(5, i => api.PostReportAsync(Allamakee[i], Report("hotline"), hotline)));
        Assert.Equal(new[] { 200, 200, 200, 429 }, await Statuses(4, _ => api.PostAsync(ApiClient.PrecinctPath("allamakee/pct-02-fc-jf-ll-mk-up") + "/preview", Report("hotline"), hotline)));
        Assert.All(await Statuses(20, i => api.PostReportAsync("appanoose/centerville-ward-1", Report("official", 10 + i))), s => Assert.Equal(201, s));

        await using var strict = host.StartInstance(time, settings: new Dictionary<string, string?>(settings) { ["Caucus:Limits:AdminExempt"] = "false" });
        Assert.Equal(new[] { 201, 201, 201, 201, 429 }, await Statuses(5, i => strict.Client.PostReportAsync("appanoose/centerville-ward-2", Report("official", 10 + i))));
    }

    [Fact]
    public async Task Audit_reads_past_the_per_credential_limit_get_429_while_another_credential_and_admins_are_served()
    {
        Assert.Equal(60, new LimitOptions().AuditReadsPerMinute);
        await using var instance = host.StartInstance(settings: new Dictionary<string, string?> { ["Caucus:Limits:AuditReadsPerMinute"] = "3" });
        var api = instance.Client;
        var warRoom = await api.IssueTokenAsync("warroom");
        var otherScreen = await api.IssueTokenAsync("warroom");
        var audit = ApiClient.AuditPath("allamakee/pct-01-wl-hv") + "?limit=500";

        var answers = new List<ApiResponse>();
        for (var i = 0; i < 6; i++) answers.Add(await api.GetAsync(audit, warRoom));

        // The bucket (3), and at most one step's refill (1) if the loop straddled one.
        Assert.InRange(answers.Count(a => a.Status == HttpStatusCode.OK), 3, 4);
        AssertTooMany(answers.First(a => a.Status != HttpStatusCode.OK));
        AssertStatus(HttpStatusCode.OK, await api.GetAsync(audit, otherScreen));
        for (var i = 0; i < 10; i++) AssertStatus(HttpStatusCode.OK, await api.GetAsync(audit));
    }

    [Fact]
    public async Task Streams_are_capped_per_credential_and_per_address_and_a_closed_stream_frees_its_place()
    {
        await using var instance = host.StartInstance(settings: new Dictionary<string, string?>
        {
            ["Caucus:Limits:StreamsPerCredential"] = "2",
            ["Caucus:Limits:StreamsPerAddress"] = "3",
        });
        var api = instance.Client;
        var screens = await api.IssueTokenAsync("warroom");
        var second = await api.IssueTokenAsync("warroom");
        var third = await api.IssueTokenAsync("warroom");
        var open = new List<HttpResponseMessage>();

        async Task<HttpResponseMessage> Open(string token)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/stream");
            request.Headers.Authorization = new("Bearer", token);
            var response = await api.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            if (response.StatusCode == HttpStatusCode.OK) open.Add(response);
            return response;
        }

        try
        {
            Assert.Equal(HttpStatusCode.OK, (await Open(screens)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await Open(screens)).StatusCode);
            using (var perCredential = await Open(screens))
            {
                Assert.Equal(HttpStatusCode.TooManyRequests, perCredential.StatusCode);
                Assert.NotNull(perCredential.Headers.RetryAfter);
            }

            Assert.Equal(HttpStatusCode.OK, (await Open(second)).StatusCode);
            using (var perAddress = await Open(third))
            {
                Assert.Equal(HttpStatusCode.TooManyRequests, perAddress.StatusCode);
            }

            // Headquarters is exempt (admins are by default).
            Assert.Equal(HttpStatusCode.OK, (await Open(ApiFactory.AdminToken)).StatusCode);

            // Closing a screen frees its place (the server notices the closed connection when it next writes or waits).
            open[0].Dispose();
            open.RemoveAt(0);
            var deadline = DateTime.UtcNow.AddSeconds(30);
            HttpStatusCode status;
            do
            {
                var again = await Open(third);
                status = again.StatusCode;
                if (status != HttpStatusCode.OK) again.Dispose();
                else break;
                await Task.Delay(200);
            }
            while (DateTime.UtcNow < deadline);
            Assert.Equal(HttpStatusCode.OK, status);
        }
        finally
        {
            foreach (var response in open) response.Dispose();
        }
    }

    [Fact]
    public async Task A_precinct_credential_reports_only_as_the_source_it_was_issued_for()
    {
        var api = host.Client;
        const string precinct = "appanoose/centerville-ward-3";
        var captain = await api.IssueTokenAsync("precinct", precinct);
        var chair = await api.IssueTokenAsync("precinct", precinct, source: "chair");

        var captainAsChair = await api.PostReportAsync(precinct, Report("chair"), captain);
        AssertStatus(HttpStatusCode.Forbidden, captainAsChair);
        Assert.Contains("captain", captainAsChair.Json.GetProperty("detail").GetString(), StringComparison.Ordinal);
        AssertStatus(HttpStatusCode.Forbidden, await api.PostAsync(ApiClient.PrecinctPath(precinct) + "/preview", Report("chair"), captain));
        AssertStatus(HttpStatusCode.Forbidden, await api.PostReportAsync(precinct, Report("captain"), chair));
        AssertStatus(HttpStatusCode.Created, await api.PostReportAsync(precinct, Report("captain"), captain));
        AssertStatus(HttpStatusCode.Created, await api.PostReportAsync(precinct, Report("chair", 11, 9), chair));
        var audit = (await api.GetAsync(ApiClient.AuditPath(precinct))).Json;
        Assert.Equal(2, audit.GetProperty("rejected").GetArrayLength());

        // A satellite caucus has a chair, not a captain: its credential is the chair's unless issued otherwise.
        var satellite = (await api.GetAsync("/api/v1/precincts")).Json.EnumerateArray()
            .First(p => p.GetProperty("kind").GetString() == "satellite").GetProperty("id").GetString()!;
        var satelliteChair = await api.IssueTokenAsync("precinct", satellite);
        AssertStatus(HttpStatusCode.Created, await api.PostReportAsync(satellite, Report("chair"), satelliteChair));
        AssertStatus(HttpStatusCode.Forbidden, await api.PostReportAsync(satellite, Report("captain"), satelliteChair));

        var issued = await api.PostAsync("/api/v1/admin/tokens", $$"""{"role":"precinct","precinct":"{{precinct}}","source":"chair"}""");
        Assert.Equal("chair", issued.Json.GetProperty("source").GetString());
        foreach (var bad in new[]
        {
            $$"""{"role":"precinct","precinct":"{{precinct}}","source":"official"}""",
            """{"role":"hotline","source":"chair"}""",
        })
        {
            var refused = await api.PostAsync("/api/v1/admin/tokens", bad);
            AssertStatus(HttpStatusCode.BadRequest, refused);
            Assert.True(refused.Json.GetProperty("errors").TryGetProperty("source", out _), refused.Text);
        }
    }
}
