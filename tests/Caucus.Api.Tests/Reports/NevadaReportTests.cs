using System.Net;
using System.Text.Json;
using Caucus.Api.Tests.Http;

namespace Caucus.Api.Tests.Reports;

/// <summary>
/// The host is generic over the rule set: the Nevada 2020 election publishes its entry form and headline unit, takes a
/// report with its early-vote cards (in person and early shown side by side) and a card draw, and refuses Nevada's fields
/// under Iowa, naming them.
/// </summary>
public sealed class NevadaReportTests(SqliteApiHost host) : IClassFixture<SqliteApiHost>
{
    private static string Folder(string id) => Path.Combine(AppContext.BaseDirectory, "elections", id);

    private ApiInstance Nevada() =>
        host.StartInstance(settings: new Dictionary<string, string?> { ["Caucus:ElectionPath"] = Folder("nevada-2020") });

    [Fact]
    public async Task The_election_document_publishes_the_rule_sets_form_and_headline_unit()
    {
        await using var api = Nevada();
        var nevada = (await api.Client.GetAsync("/api/v1/election", token: null)).Json;
        Assert.Equal("County convention delegates", nevada.GetProperty("headline").GetProperty("name").GetString());
        Assert.Equal("CCD", nevada.GetProperty("headline").GetProperty("abbreviation").GetString());
        Assert.Equal("card-draw", nevada.GetProperty("form").GetProperty("ties").GetString());
        Assert.Equal(5, nevada.GetProperty("form").GetProperty("earlyVote").GetProperty("mostChoices").GetInt32());

        var iowa = (await host.Client.GetAsync("/api/v1/election", token: null)).Json;
        Assert.Equal("SDE", iowa.GetProperty("headline").GetProperty("abbreviation").GetString());
        Assert.Equal("coin-toss", iowa.GetProperty("form").GetProperty("ties").GetString());
        Assert.Equal(JsonValueKind.Null, iowa.GetProperty("form").GetProperty("earlyVote").ValueKind);
    }

    // Carson City 101, D = 9. In person 40: Biden 15 → 18, Sanders 14 → 16, Warren 6 → 6, Klobuchar 5 → 0. Early: 10 cards
    // Warren > Sanders > Biden, 8 Klobuchar > Buttigieg > Steyer, 2 void. N = 58, threshold ceil(15% × 58) = 9: all four
    // viable at the first alignment with their cards, so every card stays with its first choice.
    [Fact]
    public async Task A_report_with_early_vote_is_counted_merged_and_shown_in_person_and_early_side_by_side()
    {
        await using var api = Nevada();
        const string body = """
            {"attendees":40,"source":"official",
             "first":{"Biden":15,"Sanders":14,"Warren":6,"Klobuchar":5},
             "final":{"Biden":18,"Sanders":16,"Warren":6},
             "early":[{"choices":["Warren","Sanders","Biden"],"count":10},{"choices":["Klobuchar","Buttigieg","Steyer"],"count":8},
                      {"choices":["Biden","Biden","Sanders"],"count":2}]}
            """;
        var posted = await api.Client.PostReportAsync("carson-city/101", body);
        Assert.Equal(HttpStatusCode.Created, posted.Status);
        Assert.Equal(58, posted.Json.GetProperty("allocation").GetProperty("attendees").GetInt32());
        var early = posted.Json.GetProperty("early");
        Assert.Equal(20, early.GetProperty("cards").GetInt32());
        Assert.Equal(2, early.GetProperty("void").GetInt32());
        Assert.Equal(10, early.GetProperty("earlyFinal").GetProperty("Warren").GetInt32());

        var precinct = (await api.Client.GetAsync(ApiClient.PrecinctPath("carson-city/101"))).Json;
        var counted = precinct.GetProperty("counted");
        Assert.Equal(58, counted.GetProperty("attendees").GetInt32());
        Assert.Equal(16, counted.GetProperty("final").GetProperty("Warren").GetInt32());
        Assert.Equal(8, counted.GetProperty("final").GetProperty("Klobuchar").GetInt32());
        Assert.Equal(40, counted.GetProperty("early").GetProperty("inPersonAttendees").GetInt32());
        Assert.Equal(6, counted.GetProperty("early").GetProperty("inPersonFinal").GetProperty("Warren").GetInt32());

        // The statewide popular vote sums the merged alignments.
        var results = (await api.Client.GetAsync("/api/v1/results")).Json;
        var warren = results.GetProperty("candidates").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "Warren");
        Assert.Equal(16, warren.GetProperty("finalAlignment").GetInt64());
    }

    // Memo Principle 4 B in Carson City 101 (D = 9): two groups of 7 of 14 give R = 4.5 each, halves up 5 + 5 = 10, one too
    // many, and equal on four decimals: a card draw for the ninth delegate.
    [Fact]
    public async Task A_card_draw_is_recorded_as_the_cards_drawn_and_the_core_says_who_won()
    {
        await using var api = Nevada();
        const string tied = """{"attendees":14,"source":"official","first":{"Biden":7,"Sanders":7},"final":{"Biden":7,"Sanders":7}}""";
        var pending = await api.Client.PostReportAsync("carson-city/101", tied);
        Assert.Equal(HttpStatusCode.Created, pending.Status);
        Assert.Equal("too-many", pending.Json.GetProperty("pendingTieBreak").GetProperty("kind").GetString());

        const string drawn = """
            {"attendees":14,"source":"official","first":{"Biden":7,"Sanders":7},"final":{"Biden":7,"Sanders":7},
             "tieBreaks":[{"groups":["Biden","Sanders"],"cards":[{"group":"Biden","rank":9,"suit":"clubs"},{"group":"Sanders","rank":9,"suit":"diamonds"}]}]}
            """;
        var settled = await api.Client.PostReportAsync("carson-city/101", drawn);
        Assert.Equal(HttpStatusCode.Created, settled.Status);
        Assert.Equal("tie-broken", settled.Json.GetProperty("allocation").GetProperty("status").GetString());
        // The nine of diamonds beats the nine of clubs: Sanders keeps the fifth delegate.
        Assert.Equal(5, settled.Json.GetProperty("allocation").GetProperty("countyDelegates").GetProperty("Sanders").GetInt32());
        Assert.Equal(4, settled.Json.GetProperty("allocation").GetProperty("countyDelegates").GetProperty("Biden").GetInt32());
    }

    [Theory]
    [InlineData("""{"group":"Biden","rank":1,"suit":"clubs"},{"group":"Sanders","rank":9,"suit":"diamonds"}""", "tieBreaks[0].cards[0].rank")]
    [InlineData("""{"group":"Biden","rank":9,"suit":"cups"},{"group":"Sanders","rank":9,"suit":"diamonds"}""", "tieBreaks[0].cards[0].suit")]
    [InlineData("""{"group":"Biden","rank":9,"suit":"clubs"},{"group":"Sanders","rank":9,"suit":"clubs"}""", "tieBreaks[0].cards[1]")]
    [InlineData("""{"group":"Biden","rank":9,"suit":"clubs"}""", "tieBreaks[0].cards")]
    public async Task Cards_that_cannot_be_are_refused_naming_the_card(string cards, string field)
    {
        await using var api = Nevada();
        var body = $$"""
            {"attendees":14,"source":"official","first":{"Biden":7,"Sanders":7},"final":{"Biden":7,"Sanders":7},
             "tieBreaks":[{"groups":["Biden","Sanders"],"cards":[{{cards}}]}]}
            """;
        var refused = await api.Client.PostReportAsync("carson-city/101", body);
        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.True(refused.Json.GetProperty("errors").TryGetProperty(field, out _), refused.Text);
    }

    [Fact]
    public async Task Nevadas_fields_are_refused_under_Iowa_naming_them()
    {
        const string early = """
            {"attendees":10,"source":"official","first":{"Biden":10},"final":{"Biden":10},"early":[{"choices":["Biden","Sanders","Warren"],"count":1}]}
            """;
        var refused = await host.Client.PostReportAsync("adair/1nw-adair", early);
        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Equal("This election has no early vote.", refused.Json.GetProperty("errors").GetProperty("early")[0].GetString());

        const string cards = """
            {"attendees":10,"source":"official","first":{"Biden":5,"Sanders":5},"final":{"Biden":5,"Sanders":5},
             "tieBreaks":[{"groups":["Biden","Sanders"],"cards":[{"group":"Biden","rank":9,"suit":"clubs"},{"group":"Sanders","rank":9,"suit":"diamonds"}]}]}
            """;
        var noCards = await host.Client.PostReportAsync("adair/1nw-adair", cards);
        Assert.Equal(HttpStatusCode.BadRequest, noCards.Status);
        Assert.True(noCards.Json.GetProperty("errors").TryGetProperty("tieBreaks[0].cards", out _), noCards.Text);
    }

    [Theory]
    [InlineData("""[{"choices":["Biden","Sanders","Warren","Yang","Steyer","Gabbard"],"count":1}]""", "early[0].choices")]
    [InlineData("""[{"choices":["Biden","Nobody","Warren"],"count":1}]""", "early[0].choices")]
    [InlineData("""[{"choices":["Biden","Sanders","Warren"],"count":-1}]""", "early[0].count")]
    [InlineData("""[{"choices":["Biden","Sanders","Warren"],"count":1},{"choices":["Biden","Sanders","Warren"],"count":2}]""", "early[1].choices")]
    [InlineData("""{"Biden":3}""", "early")]
    public async Task Early_votes_that_cannot_be_are_refused_naming_the_field(string early, string field)
    {
        await using var api = Nevada();
        var body = $$"""{"attendees":10,"source":"official","first":{"Biden":10},"final":{"Biden":10},"early":{{early}}}""";
        var refused = await api.Client.PostReportAsync("carson-city/101", body);
        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.True(refused.Json.GetProperty("errors").TryGetProperty(field, out _), refused.Text);
    }

    [Fact]
    public async Task Early_cards_more_numerous_than_a_count_can_hold_are_refused_not_a_500()
    {
        await using var api = Nevada();
        const string body = """
            {"attendees":2147483000,"source":"official","first":{"Biden":10},"final":{"Biden":10},
             "early":[{"choices":["Biden","Sanders","Warren"],"count":2147483000}]}
            """;
        var refused = await api.Client.PostReportAsync("carson-city/101", body);
        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Contains("application/problem+json", refused.Header("Content-Type") ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_exports_name_the_headline_unit_and_the_cdf_stays_valid()
    {
        await using var api = Nevada();
        Assert.Equal(HttpStatusCode.Created, (await api.Client.PostReportAsync("carson-city/101",
            """{"attendees":40,"source":"official","first":{"Biden":20,"Sanders":20},"final":{"Biden":20,"Sanders":20},"reportedDelegates":{"Biden":5,"Sanders":4}}""")).Status);

        var csv = await api.Client.GetAsync("/api/v1/export/precincts.csv");
        Assert.StartsWith("county,precinct_id,precinct,kind,group,first,final,delegates,ccd,reported_delegates,status,reason\r\n", csv.Text, StringComparison.Ordinal);

        var cdf = await api.Client.GetAsync("/api/v1/export/cdf.json");
        Assert.Equal(HttpStatusCode.OK, cdf.Status);
        Assert.Empty(Export.NistSchema.Errors(cdf.Text));
        Assert.Contains("\"contest-ccd\"", cdf.Text, StringComparison.Ordinal);
        Assert.Contains("2020 Nevada Democratic Caucuses: county convention delegates", cdf.Text, StringComparison.Ordinal);
        // The county delegate is Nevada's headline: no weighted count beside it.
        Assert.DoesNotContain("state-delegate-equivalents", cdf.Text, StringComparison.Ordinal);
        Assert.Contains("\"county-delegates\"", cdf.Text, StringComparison.Ordinal);
    }
}
