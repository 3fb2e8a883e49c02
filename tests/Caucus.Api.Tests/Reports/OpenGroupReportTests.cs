using System.Net;
using Caucus.Api.Tests.Http;

namespace Caucus.Api.Tests.Reports;

/// <summary>
/// A walking subcaucus names its groups on the night (<c>ReportForm.OpenGroups</c>): the report reader takes any name
/// the captain gives, kept trimmed with inner spaces collapsed, and refuses a name that cannot be one naming the field.
/// </summary>
public sealed class OpenGroupReportTests(SqliteApiHost host) : IClassFixture<SqliteApiHost>
{
    internal static string Folder(string id) => Path.Combine(AppContext.BaseDirectory, "elections", id);

    private ApiInstance Minnesota() =>
        host.StartInstance(settings: new Dictionary<string, string?> { ["Caucus:ElectionPath"] = Folder("mn-dfl-example") });

    [Fact]
    public async Task The_election_document_says_the_groups_are_open_and_suggests_the_candidates()
    {
        await using var api = Minnesota();
        var election = (await api.Client.GetAsync("/api/v1/election", token: null)).Json;
        Assert.True(election.GetProperty("form").GetProperty("openGroups").GetBoolean());
        Assert.Contains("Climate Action", election.GetProperty("candidates").EnumerateArray().Select(c => c.GetString()));
    }

    [Fact]
    public async Task A_subcaucus_named_on_the_night_is_accepted_with_its_spelling_tidied()
    {
        await using var api = Minnesota();
        const string body = """
            {"attendees":30,"source":"captain",
             "first":{"  Tenants   United ":12,"Climate Action":18},
             "final":{"Tenants United":12,"Climate Action":18}}
            """;
        var posted = await api.Client.PostReportAsync("hennepin/minneapolis-w-1-p-2", body);
        Assert.Equal(HttpStatusCode.Created, posted.Status);
        var delegates = posted.Json.GetProperty("allocation").GetProperty("countyDelegates");
        Assert.Equal(2, delegates.GetProperty("Tenants United").GetInt32());
        Assert.Equal(4, delegates.GetProperty("Climate Action").GetInt32());
    }

    // Each count is a revision of one report: the first count alone (80 members, 8 delegates) shows the viability number
    // ⌈80/8⌉ = 10 and who reached it; the final count, sent later, is the next revision and elects.
    [Fact]
    public async Task The_first_count_and_then_the_final_count_are_revisions_of_one_report()
    {
        await using var api = Minnesota();
        const string first = """
            {"attendees":80,"source":"captain","first":{"Red":29,"Blue":26,"Green":12,"Gold":8,"Teal":5},
             "final":{"Red":0,"Blue":0,"Green":0,"Gold":0,"Teal":0}}
            """;
        var counted = await api.Client.PostReportAsync("hennepin/minneapolis-w-1-p-1", first);
        Assert.Equal(HttpStatusCode.Created, counted.Status);
        var allocation = counted.Json.GetProperty("allocation");
        Assert.Equal(10, allocation.GetProperty("viabilityThreshold").GetInt32());
        Assert.Equal(["Blue", "Green", "Red"], allocation.GetProperty("viableGroups").EnumerateArray().Select(g => g.GetString()).Order(StringComparer.Ordinal));

        const string final = """
            {"attendees":80,"source":"captain","first":{"Red":29,"Blue":26,"Green":12,"Gold":8,"Teal":5},
             "final":{"Red":33,"Blue":30,"Green":12}}
            """;
        var walked = await api.Client.PostReportAsync("hennepin/minneapolis-w-1-p-1", final);
        Assert.Equal(HttpStatusCode.Created, walked.Status);
        Assert.Equal(counted.Json.GetProperty("revision").GetInt32() + 1, walked.Json.GetProperty("revision").GetInt32());
        // 75 members, viability ⌈75/8⌉ = 10, divisor 75/8: Red 3.52 → 3, Blue 3.2 → 3, Green 1.28 → 1; the last by remainder to Red.
        var delegates = walked.Json.GetProperty("allocation").GetProperty("countyDelegates");
        Assert.Equal(4, delegates.GetProperty("Red").GetInt32());
        Assert.Equal(3, delegates.GetProperty("Blue").GetInt32());
        Assert.Equal(1, delegates.GetProperty("Green").GetInt32());
    }

    // 60 members in three subcaucuses of 20, 4 delegates: 1 each and the fourth by lot; the lot recorded for Peace.
    [Fact]
    public async Task The_precinct_view_says_who_won_and_who_lost_the_lot()
    {
        await using var api = Minnesota();
        const string body = """
            {"attendees":60,"source":"captain","first":{"Climate":20,"Jobs":20,"Peace":20},"final":{"Climate":20,"Jobs":20,"Peace":20},
             "tieBreaks":[{"groups":["Climate","Jobs","Peace"],"winners":["Peace"]}]}
            """;
        Assert.Equal(HttpStatusCode.Created, (await api.Client.PostReportAsync("hennepin/st-anthony-p-1", body)).Status);
        var lot = (await api.Client.GetAsync(ApiClient.PrecinctPath("hennepin/st-anthony-p-1"))).Json.GetProperty("decidedTieBreak");
        Assert.Equal(["Peace"], lot.GetProperty("winners").EnumerateArray().Select(g => g.GetString()));
        Assert.Equal(["Climate", "Jobs"], lot.GetProperty("losers").EnumerateArray().Select(g => g.GetString()).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("""{"":5}""", "final.")]
    [InlineData("""{"   ":5}""", "final.   ")]
    [InlineData("""{"Bad\u0000name":5}""", "final.Bad\u0000name")]
    [InlineData("""{"Red":3,"red ":2}""", "final.red ")]
    [InlineData("""{"Red":-1}""", "final.Red")]
    public async Task A_name_that_cannot_be_a_subcaucus_is_refused_naming_the_field(string final, string field)
    {
        await using var api = Minnesota();
        var body = $$"""{"attendees":5,"source":"captain","first":{"Red":5},"final":{{final}}}""";
        var refused = await api.Client.PostReportAsync("hennepin/minneapolis-w-1-p-3", body);
        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.True(refused.Json.GetProperty("errors").TryGetProperty(field, out _), refused.Text);
    }

    [Fact]
    public async Task A_name_longer_than_sixty_characters_and_a_count_of_too_many_subcaucuses_are_refused()
    {
        await using var api = Minnesota();
        var longName = new string('x', 61);
        var tooLong = await api.Client.PostReportAsync("hennepin/minneapolis-w-1-p-3",
            $$$"""{"attendees":5,"source":"captain","first":{"{{{longName}}}":5},"final":{"Red":5}}""");
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.Status);
        Assert.True(tooLong.Json.GetProperty("errors").TryGetProperty($"first.{longName}", out _), tooLong.Text);

        var many = string.Join(',', Enumerable.Range(1, 41).Select(i => $"\"Group {i}\":1"));
        var tooMany = await api.Client.PostReportAsync("hennepin/minneapolis-w-1-p-3",
            $$$"""{"attendees":41,"source":"captain","first":{"Red":41},"final":{{{{many}}}}}""");
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.Status);
        Assert.True(tooMany.Json.GetProperty("errors").TryGetProperty("final", out _), tooMany.Text);
    }

    [Fact]
    public async Task Delegates_and_lots_may_name_only_the_subcaucuses_the_counts_name()
    {
        await using var api = Minnesota();
        var reported = await api.Client.PostReportAsync("hennepin/minneapolis-w-1-p-3",
            """{"attendees":10,"source":"captain","first":{"Red":10},"final":{"Red":10},"reportedDelegates":{"Blue":5}}""");
        Assert.Equal(HttpStatusCode.BadRequest, reported.Status);
        Assert.True(reported.Json.GetProperty("errors").TryGetProperty("reportedDelegates.Blue", out _), reported.Text);

        var lot = await api.Client.PostReportAsync("hennepin/minneapolis-w-1-p-3",
            """{"attendees":10,"source":"captain","first":{"Red":5,"Blue":5},"final":{"Red":5,"Blue":5},"tieBreaks":[{"groups":["Red","Green"],"winners":["Red"]}]}""");
        Assert.Equal(HttpStatusCode.BadRequest, lot.Status);
        Assert.True(lot.Json.GetProperty("errors").TryGetProperty("tieBreaks[0].groups", out _), lot.Text);
    }

    [Fact]
    public async Task Under_a_closed_list_an_unknown_group_is_still_refused()
    {
        var refused = await host.Client.PostReportAsync("adair/1nw-adair",
            """{"attendees":10,"source":"official","first":{"Tenants United":10},"final":{"Tenants United":10}}""");
        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.True(refused.Json.GetProperty("errors").TryGetProperty("first.Tenants United", out _), refused.Text);
    }
}
