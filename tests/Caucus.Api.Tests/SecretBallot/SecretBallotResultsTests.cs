using System.Globalization;
using System.Net;
using System.Text.Json;
using Caucus.Api.Tests.Http;
using Caucus.Core.Rules.SecretBallot;

namespace Caucus.Api.Tests.SecretBallot;

/// <summary>
/// The shipped Iowa GOP 2024 folder served over HTTP: units report one round of votes, and the results document's
/// headline is the statewide allocation of the summed vote, never a sum of the units' delegates (they elect none).
/// </summary>
public sealed class SecretBallotResultsTests(SqliteApiHost host) : IClassFixture<SqliteApiHost>
{
    internal static string Folder => Path.Combine(AppContext.BaseDirectory, "elections", "iowa-gop-2024");

    internal static ApiInstance IowaGop(SqliteApiHost host) =>
        host.StartInstance(settings: new Dictionary<string, string?> { ["Caucus:ElectionPath"] = Folder });

    internal static string Report(int ballots, string votes) => $$$"""{"attendees":{{{ballots}}},"source":"official","final":{{{{votes}}}}}""";

    private static JsonElement Candidate(JsonElement results, string name) =>
        results.GetProperty("candidates").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);

    private static int Delegates(JsonElement candidate) =>
        (int)decimal.Parse(candidate.GetProperty("sde").GetString()!, CultureInfo.InvariantCulture);

    [Fact]
    public async Task The_certified_count_split_over_units_gives_Trump_20_DeSantis_9_Haley_8_Ramaswamy_3_statewide_and_none_in_a_county()
    {
        await using var api = IowaGop(host);
        var election = (await api.Client.GetAsync("/api/v1/election", token: null)).Json;
        Assert.Equal("National delegates", election.GetProperty("headline").GetProperty("name").GetString());
        Assert.True(election.GetProperty("headline").GetProperty("statewide").GetBoolean());
        Assert.True(election.GetProperty("form").GetProperty("oneRound").GetBoolean());

        // Iowa GOP 2024's certified count for the four (Binkley and Hutchinson as reported on the night), over ten units,
        // each under a unit's plausibility limit (20,200 ballots without figures in the folder).
        (string Unit, string Votes)[] units =
        [
            ("polk", "\"Trump\":18000,\"Haley\":2000"), ("linn", "\"Trump\":15000"), ("scott", "\"Trump\":12000"), ("dallas", "\"Trump\":11243"),
            ("johnson", "\"DeSantis\":12000"), ("story", "\"DeSantis\":11491"), ("black-hawk", "\"Haley\":9027"), ("dubuque", "\"Haley\":10000"),
            ("woodbury", "\"Ramaswamy\":8430"), ("pottawattamie", "\"Binkley\":774,\"Hutchinson\":191"),
        ];
        static int Ballots(string votes) => votes.Split(',').Sum(v => int.Parse(v.Split(':')[1], CultureInfo.InvariantCulture));
        // After the first unit: the headline is StatewideAllocator on what is in, the others' ranges open.
        Assert.Equal(HttpStatusCode.Created, (await api.Client.PostReportAsync(units[0].Unit, Report(Ballots(units[0].Votes), units[0].Votes))).Status);
        var partial = (await api.Client.GetAsync("/api/v1/results")).Json;
        var onPolk = StatewideAllocator.Allocate(new SecretBallotRules(40, null, false, DelegateRounding.NearestWithAdjustment),
            partial.GetProperty("candidates").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!, c => c.GetProperty("finalAlignment").GetInt64()));
        foreach (var c in partial.GetProperty("candidates").EnumerateArray())
        {
            Assert.Equal(onPolk.Delegates[c.GetProperty("name").GetString()!], Delegates(c));
            Assert.True(decimal.Parse(c.GetProperty("sdeRange").GetProperty("low").GetString()!, CultureInfo.InvariantCulture) <= Delegates(c));
        }
        var headline = partial.GetProperty("statewideHeadline");
        Assert.Equal(98 * 20_200L, headline.GetProperty("votesOut").GetInt64());
        Assert.Equal(0, Delegates(Candidate(partial, "Ramaswamy")));
        Assert.Equal(40, (int)decimal.Parse(Candidate(partial, "Ramaswamy").GetProperty("sdeRange").GetProperty("high").GetString()!, CultureInfo.InvariantCulture));

        foreach (var (unit, votes) in units.Skip(1))
            Assert.Equal(HttpStatusCode.Created, (await api.Client.PostReportAsync(unit, Report(Ballots(votes), votes))).Status);
        var results = (await api.Client.GetAsync("/api/v1/results")).Json;
        Assert.Equal(56_243, Candidate(results, "Trump").GetProperty("finalAlignment").GetInt64());
        Assert.Equal((20, 9, 8, 3), (Delegates(Candidate(results, "Trump")), Delegates(Candidate(results, "DeSantis")),
            Delegates(Candidate(results, "Haley")), Delegates(Candidate(results, "Ramaswamy"))));
        Assert.Equal(10, results.GetProperty("precincts").GetProperty("reporting").GetInt32());
        // With 89 units out (89 × 20,200 votes, far more than the 110,156 in) one delegate is called: Trump's 56,243 are
        // a quota of at least 56,243 × 40 ÷ 1,907,956 = 1.18 whoever takes the votes out; no one else's reaches 1.
        Assert.Equal(89 * 20_200L, results.GetProperty("statewideHeadline").GetProperty("votesOut").GetInt64());
        Assert.Equal(1, results.GetProperty("statewideHeadline").GetProperty("called").GetInt32());
        Assert.Equal("1.0000", Candidate(results, "Trump").GetProperty("sdeRange").GetProperty("low").GetString());

        // A county carries its votes and no headline of its own.
        var polk = (await api.Client.GetAsync("/api/v1/results/counties/Polk")).Json;
        Assert.Equal(18_000, Candidate(polk, "Trump").GetProperty("finalAlignment").GetInt64());
        Assert.Equal(0, Delegates(Candidate(polk, "Trump")));
        Assert.Equal(JsonValueKind.Null, polk.GetProperty("statewideHeadline").ValueKind);
    }
}
