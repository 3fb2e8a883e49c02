using System.Net;
using Caucus.Api.Tests.Http;

namespace Caucus.Api.Tests.SecretBallot;

/// <summary>A one-round report: the votes as <c>final</c>, anything of two alignments refused naming the field; its own checks go to review.</summary>
public sealed class SecretBallotReportTests(SqliteApiHost host) : IClassFixture<SqliteApiHost>
{
    [Theory]
    [InlineData("""{"attendees":10,"source":"official","first":{"Trump":5},"final":{"Trump":5}}""", "first")]
    [InlineData("""{"attendees":10,"source":"official","final":{"Trump":5},"reportedDelegates":{"Trump":1}}""", "reportedDelegates")]
    [InlineData("""{"attendees":10,"source":"official","final":{"Trump":5},"tieBreaks":[]}""", "tieBreaks")]
    [InlineData("""{"attendees":10,"source":"official"}""", "final")]
    [InlineData("""{"attendees":10,"source":"official","final":{"Nobody":5}}""", "final.Nobody")]
    [InlineData("""{"attendees":10,"source":"official","final":{"Trump":-1}}""", "final.Trump")]
    [InlineData("""{"source":"official","final":{"Trump":1}}""", "attendees")]
    public async Task A_report_that_is_not_one_round_of_votes_is_refused_naming_the_field(string body, string field)
    {
        await using var api = SecretBallotResultsTests.IowaGop(host);
        var refused = await api.Client.PostReportAsync("adair", body);
        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.True(refused.Json.GetProperty("errors").TryGetProperty(field, out _), refused.Text);
    }

    [Fact]
    public async Task More_votes_than_ballots_cast_is_counted_as_reported_and_put_in_the_review_queue()
    {
        await using var api = SecretBallotResultsTests.IowaGop(host);
        var posted = await api.Client.PostReportAsync("adams", SecretBallotResultsTests.Report(100, "\"Trump\":80,\"Haley\":30"));
        Assert.Equal(HttpStatusCode.Created, posted.Status);
        var queue = (await api.Client.GetAsync("/api/v1/review")).Json.GetProperty("items").EnumerateArray().ToList();
        var item = Assert.Single(queue, i => i.GetProperty("precinct").GetString() == "adams");
        Assert.Equal("rule-set-check", item.GetProperty("reason").GetString());
        Assert.Contains("110", item.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("100 ballots", item.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
