using System.Net;

namespace Caucus.Api.Tests.Http;

public abstract partial class ApiContractTests
{
    // D = 8 like 1NW ADAIR (kept for RULES.md's worked examples): Iowa 2020's limit is 300 + 200 per county delegate = 1,900.
    private const string Mendon = "clayton/mendon";

    [Fact]
    public async Task Twenty_five_hundred_attendees_in_an_eight_delegate_precinct_are_held_for_review_and_count_once_confirmed()
    {
        var captain = await Api.IssueTokenAsync("precinct", Mendon);
        var before = Candidate((await Api.GetAsync("/api/v1/results")).Json, "Sanders").GetProperty("firstAlignment").GetInt64();

        var report = await Api.PostReportAsync(Mendon,
            """{"attendees":2500,"first":{"Sanders":1500,"Biden":1000},"final":{"Sanders":1500,"Biden":1000},"source":"captain"}""", captain);

        AssertStatus(HttpStatusCode.Accepted, report);
        var results = (await Api.GetAsync("/api/v1/results")).Json;
        Assert.Equal(before, Candidate(results, "Sanders").GetProperty("firstAlignment").GetInt64());
        Assert.False(await Reported(Mendon));
        var held = Assert.Single((await Api.GetAsync("/api/v1/review")).Json.GetProperty("items").EnumerateArray(),
            i => i.GetProperty("precinct").GetString() == Mendon);
        Assert.Equal("implausible", held.GetProperty("reason").GetString());
        var detail = held.GetProperty("detail").GetString()!;
        Assert.Contains("2,500 people", detail, StringComparison.Ordinal);
        Assert.Contains("(D = 8)", detail, StringComparison.Ordinal);
        Assert.Contains("at most 1,900 (300 + 200 per county delegate)", detail, StringComparison.Ordinal);

        var confirmed = await Api.PostAsync("/api/v1/review/decisions",
            $$"""{"key":"{{held.GetProperty("key").GetString()}}","action":"confirm","reason":"the chair counted twice: a packed gym"}""");

        AssertStatus(HttpStatusCode.OK, confirmed);
        var after = (await Api.GetAsync("/api/v1/results")).Json;
        Assert.Equal(before + 1500, Candidate(after, "Sanders").GetProperty("firstAlignment").GetInt64());
        Assert.True(await Reported(Mendon));
    }

    private async Task<bool> Reported(string precinct) =>
        (await Api.GetAsync("/api/v1/precincts")).Json.EnumerateArray()
            .Single(p => p.GetProperty("id").GetString() == precinct).GetProperty("reported").GetBoolean();
}
