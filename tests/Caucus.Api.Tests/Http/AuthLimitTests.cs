using System.Net;
using Caucus.Api.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Caucus.Api.Tests.Http;

/// <summary>
/// Authentication limits that cannot lock out the good: only unknown bearer tokens count, per client address
/// (X-Forwarded-For only from a configured proxy), in a sliding window; a known token is never refused for them;
/// 401 says WWW-Authenticate: Bearer. Each test starts the instances it needs on one SQLite store.
/// </summary>
public sealed class AuthLimitTests(SqliteApiHost host) : IClassFixture<SqliteApiHost>
{
    private const string Results = "/api/v1/results";

    private static void AssertStatus(HttpStatusCode expected, ApiResponse response) =>
        Assert.True(response.Status == expected, $"Expected {(int)expected}, got {response}");

    private static Task<ApiResponse> Get(ApiClient api, string path, string? token, params (string, string)[] headers) =>
        api.SendAsync(HttpMethod.Get, path, token, null, headers);

    [Fact]
    public async Task After_60_unknown_tokens_a_valid_token_from_the_same_address_still_gets_200()
    {
        // A token this instance has never seen (issued by another instance on the same store) must be looked up
        // in the database even from an address past the limit, and served.
        var warroom = await host.Client.IssueTokenAsync("warroom");
        await using var strict = host.StartInstance(failedAuthLimit: 20);
        var api = strict.Client;

        var answers = new List<ApiResponse>();
        for (var i = 0; i < 60; i++) answers.Add(await Get(api, Results, $"cau_stale-dashboard-{i}"));

        Assert.All(answers.Take(20), a => AssertStatus(HttpStatusCode.Unauthorized, a));
        Assert.All(answers.Skip(20), a => AssertStatus(HttpStatusCode.TooManyRequests, a));
        var refused = answers[^1];
        Assert.True(int.TryParse(refused.Header("Retry-After"), out var seconds) && seconds > 0, $"Retry-After: {refused.Header("Retry-After")}");
        Assert.Equal(429, refused.Json.GetProperty("status").GetInt32());

        AssertStatus(HttpStatusCode.OK, await Get(api, Results, ApiFactory.AdminToken));
        AssertStatus(HttpStatusCode.OK, await Get(api, Results, warroom));
        AssertStatus(HttpStatusCode.OK, await Get(api, "/healthz", null));
        AssertStatus(HttpStatusCode.Created, await api.PostReportAsync("adams/adams-3",
            """{"attendees":20,"first":{"Sanders":12,"Biden":8},"final":{"Sanders":12,"Biden":8},"source":"official"}"""));
    }

    [Fact]
    public async Task A_401_says_WWW_Authenticate_Bearer_and_invalid_token_when_a_token_was_unknown()
    {
        var api = host.Client;

        var none = await Get(api, Results, null);
        AssertStatus(HttpStatusCode.Unauthorized, none);
        Assert.Equal("Bearer", none.Header("WWW-Authenticate"));
        Assert.StartsWith("application/problem+json", none.Header("Content-Type"));

        var unknown = await Get(api, Results, "cau_unknown");
        AssertStatus(HttpStatusCode.Unauthorized, unknown);
        Assert.Equal("Bearer error=\"invalid_token\"", unknown.Header("WWW-Authenticate"));
    }

    [Fact]
    public async Task No_header_a_Basic_header_or_a_malformed_one_is_401_but_not_counted_as_a_guess()
    {
        await using var strict = host.StartInstance(failedAuthLimit: 3);
        var api = strict.Client;

        for (var i = 0; i < 10; i++)
        {
            var basic = await Get(api, Results, null, ("Authorization", "Basic dXNlcjpwYXNz"));
            AssertStatus(HttpStatusCode.Unauthorized, basic);
            Assert.Equal("Bearer", basic.Header("WWW-Authenticate"));
            AssertStatus(HttpStatusCode.Unauthorized, await Get(api, Results, null));
            AssertStatus(HttpStatusCode.Unauthorized, await Get(api, Results, null, ("Authorization", "Bearer    ")));
            // A health probe with whatever header it carries is answered, and nothing is counted.
            AssertStatus(HttpStatusCode.OK, await Get(api, "/healthz", null, ("Authorization", "Basic dXNlcjpwYXNz")));
            AssertStatus(HttpStatusCode.OK, await Get(api, "/healthz", $"cau_probe-{i}"));
        }

        // None of the above counted: the first three unknown tokens are still 401, the fourth 429.
        for (var i = 0; i < 3; i++) AssertStatus(HttpStatusCode.Unauthorized, await Get(api, Results, $"cau_guess-{i}"));
        AssertStatus(HttpStatusCode.TooManyRequests, await Get(api, Results, "cau_guess-3"));
    }

    [Fact]
    public async Task X_Forwarded_For_is_ignored_unless_the_connection_comes_from_a_known_proxy()
    {
        await using (var direct = host.StartInstance(failedAuthLimit: 3))
        {
            // Not configured: a guesser cannot pose as a new address for every guess.
            var answers = new List<ApiResponse>();
            for (var i = 0; i < 5; i++) answers.Add(await Get(direct.Client, Results, $"cau_guess-{i}", ("X-Forwarded-For", $"203.0.113.{i}")));
            Assert.Equal([401, 401, 401, 429, 429], answers.Select(a => (int)a.Status));
        }

        await using var proxied = host.StartInstance(failedAuthLimit: 3, new Dictionary<string, string?>
        {
            ["Caucus:KnownProxies:0"] = "127.0.0.1",
            ["Caucus:KnownProxies:1"] = "::1",
        });
        var api = proxied.Client;
        for (var i = 0; i < 3; i++) AssertStatus(HttpStatusCode.Unauthorized, await Get(api, Results, $"cau_a-{i}", ("X-Forwarded-For", "198.51.100.7")));
        AssertStatus(HttpStatusCode.TooManyRequests, await Get(api, Results, "cau_a-3", ("X-Forwarded-For", "198.51.100.7")));
        // Behind the known proxy, another client is another address: the war room next door is not locked out.
        AssertStatus(HttpStatusCode.Unauthorized, await Get(api, Results, "cau_b-0", ("X-Forwarded-For", "198.51.100.8")));
        AssertStatus(HttpStatusCode.OK, await Get(api, Results, ApiFactory.AdminToken, ("X-Forwarded-For", "198.51.100.7")));
    }

    [Fact]
    public async Task The_window_slides_so_old_failures_age_out()
    {
        // The instance's clock is a fake that moves only when the test says so: a slow machine cannot age a
        // failure out early or late (a real 3 s sleep against a 2 s window once answered 429 here).
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var strict = host.StartInstance(time, failedAuthLimit: 2, new Dictionary<string, string?> { ["Caucus:FailedAuthWindowSeconds"] = "60" });
        var api = strict.Client;

        AssertStatus(HttpStatusCode.Unauthorized, await Get(api, Results, "cau_x-0"));
        AssertStatus(HttpStatusCode.Unauthorized, await Get(api, Results, "cau_x-1"));
        var refused = await Get(api, Results, "cau_x-2");
        AssertStatus(HttpStatusCode.TooManyRequests, refused);
        Assert.Equal("10", refused.Header("Retry-After")); // one of the window's six steps

        // A whole window later the failures still count (they count for at least the window)...
        time.Advance(TimeSpan.FromSeconds(60));
        AssertStatus(HttpStatusCode.TooManyRequests, await Get(api, Results, "cau_x-3"));

        // ...and one step after it they have aged out.
        time.Advance(TimeSpan.FromSeconds(10));
        AssertStatus(HttpStatusCode.Unauthorized, await Get(api, Results, "cau_x-4"));
        AssertStatus(HttpStatusCode.Unauthorized, await Get(api, Results, "cau_x-5"));
        AssertStatus(HttpStatusCode.TooManyRequests, await Get(api, Results, "cau_x-6"));
    }

    [Fact]
    public async Task With_public_results_an_unknown_token_is_still_401_not_served_as_anonymous()
    {
        await using var open = host.StartInstance(settings: new Dictionary<string, string?> { ["Caucus:PublicResults"] = "true" });

        AssertStatus(HttpStatusCode.OK, await Get(open.Client, Results, null));
        AssertStatus(HttpStatusCode.Unauthorized, await Get(open.Client, Results, "cau_stale"));
    }

    [Theory]
    [InlineData("short")]
    [InlineData("twenty-three-characters")]
    [InlineData("a long token with spaces in it")]
    public void A_short_CAUCUS_ADMIN_TOKEN_stops_the_service_at_start_up(string adminToken)
    {
        using var factory = new ApiFactory(host.StoreSettings, ApiHost.GenerousFailedAuthLimit,
            settings: new Dictionary<string, string?> { ["CAUCUS_ADMIN_TOKEN"] = adminToken });

        var failure = Assert.ThrowsAny<Exception>(() => factory.StartServer());

        Assert.Contains("CAUCUS_ADMIN_TOKEN", failure.ToString(), StringComparison.Ordinal);
    }
}
