using System.Net;
using Caucus.Api.Infrastructure;
using Caucus.Api.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Caucus.Api.Tests.Http;

/// <summary>
/// The public documents' Cache-Control (ETags.SetCacheControl): with Caucus:PublicResults on and no token, what a
/// shared cache may keep (max-age, stale-while-revalidate, stale-if-error from Caucus:PublicCache); with a token, or
/// without PublicResults, today's no-cache. Each document keeps its ETag and answers 304 in both modes.
/// </summary>
public sealed class PublicCacheTests(SqliteApiHost host) : IClassFixture<SqliteApiHost>
{
    private const string Precinct = "story/ames-3-2";
    private const string Report =
        """{"attendees":20,"first":{"Sanders":12,"Biden":8},"final":{"Sanders":12,"Biden":8},"source":"official","note":"call Pat at 555-0100"}""";

    private static readonly string[] Documents =
        ["/api/v1/results", "/api/v1/results/counties/Story", ApiClient.PrecinctPath(Precinct), "/api/v1/flags", "/api/v1/projection"];

    private static readonly Dictionary<string, string?> Public = new()
    {
        ["Caucus:PublicResults"] = "true",
        ["Caucus:PublicCache:MaxAgeSeconds"] = "2",
        ["Caucus:PublicCache:StaleWhileRevalidateSeconds"] = "30",
        ["Caucus:PublicCache:StaleIfErrorSeconds"] = "600",
    };

    /// <summary>The document, once the projection has been computed (a condition: on a loaded machine the first one takes seconds).</summary>
    private static async Task<ApiResponse> Read(ApiClient api, string path, string? token, string? ifNoneMatch = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (true)
        {
            var response = await api.GetAsync(path, token, ifNoneMatch);
            if (response.Status != HttpStatusCode.ServiceUnavailable || DateTime.UtcNow > deadline) return response;
            await Task.Delay(100);
        }
    }

    /// <summary>A Cache-Control's directives, in any order (HttpClient writes the header back in its own order).</summary>
    private static SortedSet<string> Directives(string? cacheControl) =>
        new((cacheControl ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), StringComparer.Ordinal);

    /// <summary>200 with an ETag and <paramref name="cacheControl"/>, then 304 with the same headers on If-None-Match.</summary>
    private static async Task AssertHeaders(ApiClient api, string path, string? token, string cacheControl, bool varies)
    {
        var first = await Read(api, path, token);
        Assert.True(first.Status == HttpStatusCode.OK, $"{path}: {first}");
        var etag = first.Header("ETag");
        Assert.False(string.IsNullOrEmpty(etag), $"{path} has no ETag");
        Assert.Equal(Directives(cacheControl), Directives(first.Header("Cache-Control")));
        Assert.Equal(varies, first.Header("Vary")?.Contains("Authorization", StringComparison.Ordinal) == true);

        var again = await Read(api, path, token, etag);
        Assert.True(again.Status == HttpStatusCode.NotModified, $"{path} with If-None-Match {etag}: {again}");
        Assert.Equal("", again.Text);
        Assert.Equal(etag, again.Header("ETag"));
        Assert.Equal(Directives(cacheControl), Directives(again.Header("Cache-Control")));
    }

    [Fact]
    public async Task With_public_results_an_anonymous_reader_gets_what_a_shared_cache_may_keep_and_a_token_gets_private()
    {
        Assert.Equal(HttpStatusCode.Created, (await host.Client.PostReportAsync(Precinct, Report)).Status);
        await using var open = host.StartInstance(settings: Public);
        foreach (var path in Documents)
        {
            await AssertHeaders(open.Client, path, token: null, "public, max-age=2, stale-while-revalidate=30, stale-if-error=600", varies: true);
            await AssertHeaders(open.Client, path, ApiFactory.AdminToken, "private, no-cache", varies: true);
        }
        // The stored public precinct is the public shape: the note is its sender's words to headquarters.
        var precinct = await open.Client.GetAsync(ApiClient.PrecinctPath(Precinct), token: null);
        Assert.False(precinct.Json.GetProperty("counted").TryGetProperty("note", out var note) && note.ValueKind == System.Text.Json.JsonValueKind.String);
        var own = await host.Client.IssueTokenAsync("precinct", Precinct);
        var mine = await open.Client.GetAsync(ApiClient.PrecinctPath(Precinct), own);
        Assert.Equal("call Pat at 555-0100", mine.Json.GetProperty("counted").GetProperty("note").GetString());
        Assert.Equal(Directives("private, no-cache"), Directives(mine.Header("Cache-Control")));
    }

    [Fact]
    public async Task Without_public_results_every_document_stays_no_cache_with_its_ETag_and_304()
    {
        foreach (var path in Documents)
        {
            await AssertHeaders(host.Client, path, ApiFactory.AdminToken, "no-cache", varies: false);
        }
    }

    [Fact]
    public async Task A_new_report_moves_the_flags_and_precinct_ETags_so_a_cache_revalidating_gets_the_new_document()
    {
        const string precinct = "story/ames-3-4";
        await using var open = host.StartInstance(settings: Public);
        var flags = await open.Client.GetAsync("/api/v1/flags", token: null);
        var page = await open.Client.GetAsync(ApiClient.PrecinctPath(precinct), token: null);
        Assert.False(page.Json.GetProperty("reported").GetBoolean());

        Assert.Equal(HttpStatusCode.Created, (await open.Client.PostReportAsync(precinct, Report)).Status);

        var newFlags = await open.Client.GetAsync("/api/v1/flags", token: null, ifNoneMatch: flags.Header("ETag"));
        Assert.Equal(HttpStatusCode.OK, newFlags.Status);
        Assert.NotEqual(flags.Header("ETag"), newFlags.Header("ETag"));
        var newPage = await open.Client.GetAsync(ApiClient.PrecinctPath(precinct), token: null, ifNoneMatch: page.Header("ETag"));
        Assert.Equal(HttpStatusCode.OK, newPage.Status);
        Assert.True(newPage.Json.GetProperty("reported").GetBoolean());
        Assert.Equal(HttpStatusCode.NotModified, (await open.Client.GetAsync(ApiClient.PrecinctPath(precinct), token: null, ifNoneMatch: newPage.Header("ETag"))).Status);
    }

    [Theory]
    [InlineData("MaxAgeSeconds", "-1")]
    [InlineData("StaleWhileRevalidateSeconds", "100000")]
    [InlineData("StaleIfErrorSeconds", "-5")]
    public void A_public_cache_setting_out_of_range_stops_the_service_at_start(string setting, string value)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"Caucus:PublicCache:{setting}"] = value,
        }).Build();
        using var services = new ServiceCollection().AddCaucusOptions(configuration).BuildServiceProvider();
        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<CaucusOptions>>().Value);
        Assert.Contains("Caucus:PublicCache", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_shipped_defaults_are_a_second_fresh_ten_seconds_stale_while_revalidating_and_an_hour_stale_if_the_api_fails() =>
        Assert.Equal("public, max-age=1, stale-while-revalidate=10, stale-if-error=3600", new PublicCacheOptions().CacheControl());
}
