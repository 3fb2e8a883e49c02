using System.Net;
using Caucus.Api.Tests.Infrastructure;

namespace Caucus.Api.Tests.Http;

/// <summary>
/// Who may read and write what, endpoint by endpoint (the table in src/Caucus.Api/README.md), and what every
/// answer carries: security headers, no Server header, no CORS unless configured, no OpenAPI in production
/// unless configured.
/// </summary>
public sealed class AccessTests(SqliteApiHost host) : IClassFixture<SqliteApiHost>
{
    private const string Own = "audubon/precinct-1";
    private const string Other = "benton/vinton-1";
    private const string CaptainReport =
        """{"attendees":20,"first":{"Sanders":12,"Biden":8},"final":{"Sanders":12,"Biden":8},"source":"captain","note":"call Pat at 555-0100"}""";

    private static readonly string[] RoleNames = ["none", "warroom", "hotline", "precinct-own", "precinct-other", "admin"];

    /// <summary>
    /// One row per endpoint: the status each of none, warroom, hotline, precinct (own precinct), precinct (another
    /// precinct's credential) and admin gets. "ok" is the endpoint's own answer (2xx, or 503 for a projection not yet
    /// computed, or 428 for a certification that names no results version, or 409 for revoking the environment's admin
    /// token, or 400 for an empty review decision).
    /// </summary>
    public static TheoryData<string, string, string?, string> Table => new()
    {
        { "GET", "/healthz", null, "ok ok ok ok ok ok" },
        { "GET", "/api/v1/election", null, "ok ok ok ok ok ok" },
        { "GET", "/api/v1/me", null, "401 ok ok ok ok ok" },
        { "GET", "/api/v1/election/map", null, "ok ok ok ok ok ok" },
        { "GET", "/api/v1/precincts", null, "401 ok ok ok ok ok" },
        { "GET", ApiClient.PrecinctPath(Own), null, "401 ok ok ok ok ok" },
        { "GET", "/api/v1/results", null, "401 ok ok ok ok ok" },
        { "GET", "/api/v1/results/counties/Audubon", null, "401 ok ok ok ok ok" },
        { "GET", "/api/v1/changes?since=0", null, "401 ok ok ok ok ok" },
        { "GET", "/api/v1/flags", null, "401 ok ok ok ok ok" },
        { "GET", "/api/v1/projection", null, "401 ok ok ok ok ok" },
        { "GET", "/api/v1/stream", null, "401 ok ok ok ok ok" },
        { "GET", "/api/v1/export/precincts.csv", null, "401 ok ok ok ok ok" },
        { "GET", "/api/v1/export/cdf.json", null, "401 ok ok ok ok ok" },
        { "GET", ApiClient.AuditPath(Own), null, "401 ok 403 403 403 ok" },
        { "GET", "/api/v1/review", null, "401 403 403 403 403 ok" },
        { "POST", "/api/v1/review/decisions", "{}", "401 403 403 403 403 ok" },
        { "POST", "/api/v1/admin/tokens", """{"role":"warroom"}""", "401 403 403 403 403 ok" },
        { "POST", "/api/v1/admin/certify", "", "401 403 403 403 403 ok" },
        { "GET", "/api/v1/admin/tokens", null, "401 403 403 403 403 ok" },
        { "DELETE", "/api/v1/admin/tokens/tok_nobody", null, "401 403 403 403 403 404" },
        { "DELETE", "/api/v1/admin/tokens/env-admin", null, "401 403 403 403 403 ok" },
        { "POST", ApiClient.ReportsPath(Own), CaptainReport, "401 403 403 ok 403 ok" },
        { "POST", ApiClient.PrecinctPath(Own) + "/preview", CaptainReport, "401 403 403 ok 403 ok" },
    };

    private async Task<string?> TokenOf(string role) => role switch
    {
        "none" => null,
        "admin" => ApiFactory.AdminToken,
        "precinct-own" => await host.Client.IssueTokenAsync("precinct", Own),
        "precinct-other" => await host.Client.IssueTokenAsync("precinct", Other),
        _ => await host.Client.IssueTokenAsync(role),
    };

    [Theory]
    [MemberData(nameof(Table))]
    public async Task Each_role_gets_what_the_access_table_says(string method, string path, string? body, string expected)
    {
        var api = host.Client;
        var wanted = expected.Split(' ');
        for (var i = 0; i < RoleNames.Length; i++)
        {
            var token = await TokenOf(RoleNames[i]);
            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            if (token is not null) request.Headers.Authorization = new("Bearer", token);
            if (body is not null) request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
            using var response = await api.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            var status = (int)response.StatusCode;
            var allowed = status is >= 200 and < 300 or 409
                || (status == 400 && path.EndsWith("/decisions", StringComparison.Ordinal))
                || (status == 428 && path.EndsWith("/certify", StringComparison.Ordinal))
                || (status == 503 && path.EndsWith("/projection", StringComparison.Ordinal));
            var got = allowed ? "ok" : status.ToString(System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(got == wanted[i], $"{method} {path} as {RoleNames[i]}: expected {wanted[i]}, got {status}");
            if (status == 401) Assert.StartsWith("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_note_is_read_by_its_own_precinct_the_war_room_the_hotline_and_admins_but_not_by_other_precincts()
    {
        const string precinct = "audubon/precinct-2";
        var own = await host.Client.IssueTokenAsync("precinct", precinct);
        Assert.Equal(HttpStatusCode.Created, (await host.Client.PostReportAsync(precinct, CaptainReport, own)).Status);

        async Task<string?> NoteSeenBy(ApiClient api, string? token)
        {
            var page = await api.GetAsync(ApiClient.PrecinctPath(precinct), token);
            Assert.Equal(HttpStatusCode.OK, page.Status);
            var counted = page.Json.GetProperty("counted");
            return counted.TryGetProperty("note", out var note) && note.ValueKind == System.Text.Json.JsonValueKind.String ? note.GetString() : null;
        }

        Assert.Equal("call Pat at 555-0100", await NoteSeenBy(host.Client, own));
        Assert.Equal("call Pat at 555-0100", await NoteSeenBy(host.Client, ApiFactory.AdminToken));
        Assert.Equal("call Pat at 555-0100", await NoteSeenBy(host.Client, await host.Client.IssueTokenAsync("warroom")));
        Assert.Equal("call Pat at 555-0100", await NoteSeenBy(host.Client, await host.Client.IssueTokenAsync("hotline")));
        Assert.Null(await NoteSeenBy(host.Client, await host.Client.IssueTokenAsync("precinct", Other)));
        // The other precinct still reads the numbers: only the note is its sender's own.
        var page = (await host.Client.GetAsync(ApiClient.PrecinctPath(precinct), await host.Client.IssueTokenAsync("precinct", Other))).Json;
        Assert.Equal(12, page.GetProperty("counted").GetProperty("final").GetProperty("Sanders").GetInt32());

        await using var open = host.StartInstance(settings: new Dictionary<string, string?> { ["Caucus:PublicResults"] = "true" });
        Assert.Null(await NoteSeenBy(open.Client, null));
    }

    [Fact]
    public async Task A_credential_learns_what_it_is_a_precinct_credential_its_precinct_and_source_never_its_token()
    {
        var own = await host.Client.IssueTokenAsync("precinct", Own);
        var me = await host.Client.GetAsync("/api/v1/me", own);
        Assert.Equal(HttpStatusCode.OK, me.Status);
        Assert.Equal("precinct", me.Json.GetProperty("role").GetString());
        Assert.Equal(Own, me.Json.GetProperty("precinct").GetString());
        Assert.Equal("captain", me.Json.GetProperty("source").GetString());
        Assert.DoesNotContain(own, me.Json.GetRawText(), StringComparison.Ordinal);

        var warroom = await host.Client.GetAsync("/api/v1/me", await host.Client.IssueTokenAsync("warroom"));
        Assert.Equal("warroom", warroom.Json.GetProperty("role").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, warroom.Json.GetProperty("precinct").ValueKind);
    }

    [Theory]
    [InlineData("/healthz", null)]
    [InlineData("/api/v1/results", ApiFactory.AdminToken)]
    [InlineData("/api/v1/results", null)]
    [InlineData("/api/v1/nowhere", ApiFactory.AdminToken)]
    [InlineData("/", null)]
    public async Task Every_answer_carries_the_security_headers_and_no_Server_header(string path, string? token)
    {
        var response = await host.Client.GetAsync(path, token);

        Assert.Equal("nosniff", response.Header("X-Content-Type-Options"));
        Assert.Equal("DENY", response.Header("X-Frame-Options"));
        Assert.Equal("no-referrer", response.Header("Referrer-Policy"));
        var csp = response.Header("Content-Security-Policy");
        Assert.NotNull(csp);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe", csp, StringComparison.Ordinal);
        if (path.StartsWith("/api", StringComparison.Ordinal)) Assert.StartsWith("default-src 'none'", csp, StringComparison.Ordinal);
        else if (path == "/") Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.Null(response.Header("Server"));
    }

    [Fact]
    public async Task CORS_is_closed_by_default_and_open_only_to_configured_origins()
    {
        static async Task<HttpResponseMessage> Preflight(ApiClient api, string origin)
        {
            using var request = new HttpRequestMessage(HttpMethod.Options, "/api/v1/results");
            request.Headers.Add("Origin", origin);
            request.Headers.Add("Access-Control-Request-Method", "GET");
            request.Headers.Add("Access-Control-Request-Headers", "authorization");
            return await api.Http.SendAsync(request);
        }

        using (var closed = await Preflight(host.Client, "https://evil.example"))
        {
            Assert.False(closed.Headers.Contains("Access-Control-Allow-Origin"));
        }

        await using var configured = host.StartInstance(settings: new Dictionary<string, string?> { ["Caucus:CorsOrigins:0"] = "https://hq.example" });
        using (var allowed = await Preflight(configured.Client, "https://hq.example"))
        {
            Assert.Equal("https://hq.example", Assert.Single(allowed.Headers.GetValues("Access-Control-Allow-Origin")));
        }
        using var refused = await Preflight(configured.Client, "https://evil.example");
        Assert.False(refused.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task OpenAPI_is_off_in_production_unless_configured()
    {
        await using var production = host.StartInstance(settings: new Dictionary<string, string?> { ["Caucus:OpenApi"] = "false" });

        Assert.Equal(HttpStatusCode.NotFound, (await production.Client.GetAsync("/openapi/v1.json", token: null)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await production.Client.GetAsync("/openapi/v1.json")).Status);
        // The test hosts turn it on (ApiFactory), as an operator would with Caucus:OpenApi=true.
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("/openapi/v1.json", token: null)).Status);
    }
}
