using System.Net;
using System.Text.Json.Nodes;
using Caucus.Api.Tests.Export;
using Caucus.Api.Tests.Http;

namespace Caucus.Api.Tests.SecretBallot;

/// <summary>The exports of a secret ballot: an ordinary CandidateContest of votes (NIST) and one row per unit and candidate (CSV).</summary>
public sealed class SecretBallotExportTests(SqliteApiHost host) : IClassFixture<SqliteApiHost>
{
    [Fact]
    public async Task The_nist_export_is_a_candidate_contest_of_votes_with_the_statewide_delegates_at_the_state_and_the_csv_lists_votes()
    {
        await using var api = SecretBallotResultsTests.IowaGop(host);
        Assert.Equal(HttpStatusCode.Created, (await api.Client.PostReportAsync("polk", SecretBallotResultsTests.Report(1_000, "\"Trump\":600,\"Haley\":400"))).Status);
        Assert.Equal(HttpStatusCode.Created, (await api.Client.PostReportAsync("adair", SecretBallotResultsTests.Report(110, "\"Trump\":50,\"DeSantis\":50"))).Status);

        var response = await api.Client.GetAsync("/api/v1/export/cdf.json");
        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Empty(NistSchema.Errors(response.Text));
        var contest = JsonNode.Parse(response.Text)!["Election"]![0]!["Contest"]![0]!;
        Assert.Equal("ElectionResults.CandidateContest", contest["@type"]!.GetValue<string>());
        var trump = contest["ContestSelection"]!.AsArray().Single(s => s!["@id"]!.GetValue<string>() == "selection-trump")!["VoteCounts"]!.AsArray();
        decimal Count(string unit, string type, string? other = null) => trump.Single(v => v!["GpUnitId"]!.GetValue<string>() == unit
            && v["Type"]!.GetValue<string>() == type && v["OtherType"]?.GetValue<string>() == other)!["Count"]!.GetValue<decimal>();
        Assert.Equal(650, Count("gp-state", "total"));
        Assert.Equal(600, Count("gp-county-polk", "total"));
        Assert.Equal(50, Count("gp-precinct-adair", "total"));
        // 650 of 1,100 votes: a quota of 23.6 of 40 → 24 (Haley's 14.5 → 15 halves up, DeSantis's 1.8 → 2: 41, one too
        // many, taken from the one furthest from rounding up, Haley at 14.55 − 15).
        Assert.Equal(24, Count("gp-state", "other", "national-delegates"));
        Assert.DoesNotContain(trump, v => v!["OtherType"]?.GetValue<string>() is "first-alignment" or "county-delegates");

        var csv = (await api.Client.GetAsync("/api/v1/export/precincts.csv")).Text.Split("\r\n");
        Assert.Equal("county,precinct_id,precinct,kind,group,votes,ballots,status,reason", csv[0]);
        Assert.Contains(csv, l => l.StartsWith("Polk,polk,Polk County,precinct,Trump,600,1000,", StringComparison.Ordinal));
    }
}
