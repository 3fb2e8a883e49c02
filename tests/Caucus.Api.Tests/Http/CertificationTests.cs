using System.Net;
using Caucus.Api.Tests.Infrastructure;

namespace Caucus.Api.Tests.Http;

/// <summary>
/// Only an admin certifies, only once every precinct and satellite is counted with no toss pending, and a
/// later correction turns the results back to unofficial. Its own store: it reports every precinct.
/// </summary>
public sealed class CertificationTests(SqliteApiHost host) : IClassFixture<SqliteApiHost>
{
    private const string Body = """{"attendees":10,"first":{"Sanders":6,"Warren":4},"final":{"Sanders":6,"Warren":4},"source":"official"}""";

    [Fact]
    public async Task Results_are_certified_by_an_admin_once_complete_and_unofficial_again_after_a_correction()
    {
        var client = host.Client;
        var refusedEarly = await client.CertifyAsync("{}");
        Assert.Equal(HttpStatusCode.Conflict, refusedEarly.Status);
        Assert.Contains("have not reported", refusedEarly.Json.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var precincts = (await client.GetAsync("/api/v1/precincts")).Json.EnumerateArray()
            .Select(p => p.GetProperty("id").GetString()!).ToList();
        using var gate = new SemaphoreSlim(16);
        var answers = await Task.WhenAll(precincts.Select(async id =>
        {
            await gate.WaitAsync();
            try { return (await client.PostReportAsync(id, Body)).Status; }
            finally { gate.Release(); }
        }));
        Assert.All(answers, status => Assert.Equal(HttpStatusCode.Created, status));
        Assert.Equal("unofficial-complete", (await client.GetAsync("/api/v1/results")).Json.GetProperty("status").GetString());

        var warroom = await client.IssueTokenAsync("warroom");
        Assert.Equal(HttpStatusCode.Forbidden, (await client.CertifyAsync("{}", warroom)).Status);

        var certified = await client.CertifyAsync("""{"note":"canvass complete"}""");
        Assert.Equal(HttpStatusCode.OK, certified.Status);
        Assert.Equal("certified", certified.Json.GetProperty("status").GetString());
        Assert.Equal("certified", (await client.GetAsync("/api/v1/results")).Json.GetProperty("status").GetString());

        // A restarted instance still reads the results as certified: the certification is stored.
        await using (var restarted = host.StartInstance())
        {
            Assert.Equal("certified", (await restarted.Client.GetAsync("/api/v1/results")).Json.GetProperty("status").GetString());
        }

        // Certification holds: a captain's or the hotline's report is refused with 409 (and kept in the audit trail),
        // and the results stay certified; only an admin's official correction reopens them.
        var captain = await client.IssueTokenAsync("precinct", precincts[1]);
        var late = await client.PostReportAsync(precincts[1], Body.Replace("official", "captain", StringComparison.Ordinal), captain);
        Assert.Equal(HttpStatusCode.Conflict, late.Status);
        Assert.Contains("certified", late.Json.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var hotline = await client.IssueTokenAsync("hotline");
        Assert.Equal(HttpStatusCode.Conflict, (await client.PostReportAsync(precincts[2], Body.Replace("official", "hotline", StringComparison.Ordinal), hotline)).Status);
        Assert.Equal("certified", (await client.GetAsync("/api/v1/results")).Json.GetProperty("status").GetString());
        var refusals = (await client.GetAsync(ApiClient.AuditPath(precincts[1]))).Json.GetProperty("rejected").EnumerateArray().ToList();
        Assert.Contains(refusals, r => r.GetProperty("reason").GetString()!.Contains("409", StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.Created, (await client.PostReportAsync(precincts[0], Body.Replace("\"Sanders\":6", "\"Sanders\":5", StringComparison.Ordinal)
            .Replace("\"attendees\":10", "\"attendees\":9", StringComparison.Ordinal))).Status);
        Assert.Equal("unofficial-complete", (await client.GetAsync("/api/v1/results")).Json.GetProperty("status").GetString());
    }
}
