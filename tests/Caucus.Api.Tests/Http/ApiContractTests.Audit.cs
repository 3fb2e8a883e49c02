using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Caucus.Api.Tests.Infrastructure;

namespace Caucus.Api.Tests.Http;

/// <summary>The bounded audit trail, its pages, and idempotency keys scoped to the precinct and credential.</summary>
public abstract partial class ApiContractTests
{
    [Fact]
    public async Task A_refused_body_is_kept_as_a_bounded_prefix_with_its_size_and_hash()
    {
        const string precinct = "cedar/cass-center-iowa-rochester";
        // Under the report limit (16 KiB), so it is refused by the parser, not for its size.
        var body = "{\"attendees\":" + new string('9', 15_000);

        AssertStatus(HttpStatusCode.BadRequest, await Api.PostReportAsync(precinct, body));

        var kept = Assert.Single((await Audit(precinct)).GetProperty("rejected").EnumerateArray());
        Assert.Equal(body[..2048], kept.GetProperty("rawBody").GetString());
        Assert.Equal(Encoding.UTF8.GetBytes(body[..2048]), Convert.FromBase64String(kept.GetProperty("prefixBase64").GetString()!));
        Assert.Equal(body.Length, kept.GetProperty("bodyBytes").GetInt64());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(body))), kept.GetProperty("bodySha256").GetString());
        Assert.True(kept.GetProperty("truncated").GetBoolean());
        Assert.InRange(await host.ScalarAsync("SELECT sum(length(body_prefix)) + sum(length(raw_body)) FROM rejected_submissions WHERE precinct_id = @precinct",
            new { precinct }), 1, 2048);
    }

    [Fact]
    public async Task A_NUL_byte_in_a_refused_body_is_a_400_and_kept_for_audit()
    {
        // PostgreSQL's text cannot hold a NUL: the refusal once failed to store and the client got a 500.
        const string precinct = "cedar/farmington-sugar-creek";
        var body = "{\"attendees\":\0}";

        var response = await Api.PostReportAsync(precinct, body);

        AssertStatus(HttpStatusCode.BadRequest, response);
        var kept = Assert.Single((await Audit(precinct)).GetProperty("rejected").EnumerateArray());
        Assert.Equal(Encoding.UTF8.GetBytes(body), Convert.FromBase64String(kept.GetProperty("prefixBase64").GetString()!));
        Assert.Equal(body, kept.GetProperty("rawBody").GetString());
    }

    [Fact]
    public async Task A_report_for_an_id_that_is_no_precinct_is_404_and_stores_nothing()
    {
        const string unknown = "cedar/9zz-made-up";
        var before = await host.ScalarAsync("SELECT count(*) FROM rejected_submissions");

        AssertStatus(HttpStatusCode.NotFound, await Api.PostReportAsync(unknown, new string('x', 15_000)));
        AssertStatus(HttpStatusCode.NotFound, await Api.PostReportAsync(unknown, SimpleReport("official")));
        AssertStatus(HttpStatusCode.RequestEntityTooLarge, await Api.PostReportAsync(unknown, new string('x', 70_000)));

        Assert.Equal(0, await host.ScalarAsync("SELECT count(*) FROM rejected_submissions WHERE precinct_id = @unknown", new { unknown }));
        Assert.True(await host.ScalarAsync("SELECT count(*) FROM rejected_submissions") - before < 3, "Refusals of unknown ids were stored.");
    }

    [Fact]
    public async Task The_audit_trail_comes_in_pages_linked_by_next()
    {
        const string precinct = "cedar/dayton-fairfield";
        for (var i = 0; i < 3; i++)
        {
            await Accepted(precinct, SimpleReport("official", sanders: 10 + i));
            AssertStatus(HttpStatusCode.BadRequest, await Api.PostReportAsync(precinct, $"not json {i}"));
        }

        var revisions = new List<int>();
        var rejected = new List<string>();
        var pages = 0;
        string? next = ApiClient.AuditPath(precinct) + "?limit=2";
        while (next is not null)
        {
            var response = await Api.GetAsync(next);
            AssertStatus(HttpStatusCode.OK, response);
            var page = response.Json;
            Assert.InRange(page.GetProperty("revisions").GetArrayLength(), 0, 2);
            Assert.InRange(page.GetProperty("rejected").GetArrayLength(), 0, 2);
            revisions.AddRange(page.GetProperty("revisions").EnumerateArray().Select(r => r.GetProperty("revision").GetInt32()));
            rejected.AddRange(page.GetProperty("rejected").EnumerateArray().Select(r => r.GetProperty("rawBody").GetString()!));
            next = page.GetProperty("next").GetString();
            Assert.True(++pages < 10, "The pages never end.");
        }

        Assert.Equal([1, 2, 3], revisions);
        Assert.Equal(["not json 0", "not json 1", "not json 2"], rejected);
        Assert.Equal(2, pages);
        AssertStatus(HttpStatusCode.BadRequest, await Api.GetAsync(ApiClient.AuditPath(precinct) + "?limit=501"));
        AssertStatus(HttpStatusCode.BadRequest, await Api.GetAsync(ApiClient.AuditPath(precinct) + "?after=-1"));
    }

    [Fact]
    public async Task An_audit_page_holds_at_most_256_KiB_of_bodies_and_next_reaches_every_revision_once()
    {
        // The issue's attack, at the new report limit: 20 reports padded to 16 KiB are 320 KiB of stored bodies.
        const string precinct = "dallas/west-des-moines-225";
        const int reports = 20;
        for (var i = 0; i < reports; i++)
        {
            var report = SimpleReport("official", sanders: 10 + (i % 7));
            await Accepted(precinct, report[..^1] + new string(' ', 16 * 1024 - report.Length) + "}");
        }

        var revisions = new List<int>();
        var pages = new List<long>();
        string? next = ApiClient.AuditPath(precinct) + "?limit=500";
        while (next is not null)
        {
            var response = await Api.GetAsync(next);
            AssertStatus(HttpStatusCode.OK, response);
            var page = response.Json.GetProperty("revisions").EnumerateArray().ToList();
            // A page's bytes: each revision's text and, where kept, its exact bytes.
            pages.Add(page.Sum(r => (long)Encoding.UTF8.GetByteCount(r.GetProperty("rawBody").GetString()!)
                + (r.TryGetProperty("rawBase64", out var exact) && exact.ValueKind == JsonValueKind.String ? Convert.FromBase64String(exact.GetString()!).Length : 0)));
            revisions.AddRange(page.Select(r => r.GetProperty("revision").GetInt32()));
            next = response.Json.GetProperty("next").GetString();
            Assert.True(pages.Count < 10, "The pages never end.");
        }

        Assert.Equal(Enumerable.Range(1, reports), revisions);
        Assert.True(pages.Count >= 2, $"One page held all {reports} padded reports.");
        Assert.All(pages, bytes => Assert.InRange(bytes, 1, 256 * 1024));
    }

    [Fact]
    public async Task An_Idempotency_Key_belongs_to_its_credential_and_precinct()
    {
        const string precinct = "cedar/fremont-red-oak";
        const string other = "cedar/gower-springdale";
        var key = Guid.NewGuid().ToString();
        var first = await Api.IssueTokenAsync("hotline");
        var second = await Api.IssueTokenAsync("hotline");
        var body = SimpleReport("hotline");

        var mine = await Accepted(precinct, body, first, key);
        // The same key from another credential is that credential's own report, not a replay of mine.
        var theirs = await Accepted(precinct, body, second, key);
        // The same key for another precinct is another report.
        var elsewhere = await Accepted(other, body, first, key);
        var retry = await Accepted(precinct, body, first, key);

        Assert.Equal(1, mine.Json.GetProperty("revision").GetInt32());
        Assert.Equal(2, theirs.Json.GetProperty("revision").GetInt32());
        Assert.Null(theirs.Header("Idempotent-Replayed"));
        Assert.Equal(1, elsewhere.Json.GetProperty("revision").GetInt32());
        Assert.Equal("true", retry.Header("Idempotent-Replayed"));
        Assert.Equal(1, retry.Json.GetProperty("revision").GetInt32());
        Assert.Equal(2, (await Audit(precinct)).GetProperty("revisions").GetArrayLength());
    }
}
