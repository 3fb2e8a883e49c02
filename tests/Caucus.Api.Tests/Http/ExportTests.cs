using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Caucus.Api.Tests.Export;
using Caucus.Api.Tests.Infrastructure;
using Caucus.Cli;
using Caucus.Cli.Commands;
using Caucus.Core.Text;

namespace Caucus.Api.Tests.Http;

/// <summary>
/// The exports against a fresh store per test: the precinct CSV and the NIST SP 1500-100 ElectionReport download,
/// parse, agree with /api/v1/results, and the ElectionReport is valid against NIST's own schema.
/// </summary>
public sealed class ExportTests : IAsyncLifetime
{
    private const string Adair = "adair/1nw-adair";
    private const string AdairGroups = """{"Biden":6,"Buttigieg":8,"Klobuchar":8,"Sanders":9,"Warren":9}""";
    private const string Orient = "adair/4se-orient";
    private const string OrientGroups = """{"Biden":7,"Buttigieg":6,"Klobuchar":6,"Sanders":6,"Warren":9}""";
    private const string Grinnell = "cd1-satellite/grinnell-ia-drake-library";
    private const int Precincts = 1765;

    private readonly SqliteApiHost _host = new();

    private ApiClient Api => _host.Client;

    public Task InitializeAsync() => _host.InitializeAsync();

    public Task DisposeAsync() => _host.DisposeAsync();

    /// <summary>
    /// Adair 1NW with its toss recorded (Klobuchar wins it); Adair 4SE Orient as published in 2020, whose reported
    /// delegates (Sanders 1, Warren 3) are not what the rules give (2 each); and a satellite whose name holds a comma.
    /// </summary>
    private async Task ReportNightAsync()
    {
        await Created(Adair, $$"""{"attendees":40,"first":{{AdairGroups}},"final":{{AdairGroups}},"tieBreaks":[{"groups":["Buttigieg","Klobuchar"],"winners":["Klobuchar"]}],"source":"official"}""");
        await Created(Orient, $$"""{"attendees":34,"first":{{OrientGroups}},"final":{{OrientGroups}},"reportedDelegates":{"Biden":2,"Buttigieg":2,"Klobuchar":2,"Sanders":1,"Warren":3},"source":"official"}""");
        await Created(Grinnell, """{"attendees":23,"first":{"Sanders":13,"Warren":6,"Biden":4},"final":{"Sanders":14,"Warren":9},"source":"official"}""");
    }

    private async Task Created(string precinct, string body)
    {
        var response = await Api.PostReportAsync(precinct, body);
        Assert.True(response.Status == HttpStatusCode.Created, response.ToString());
    }

    private static List<JsonElement> Candidates(JsonElement results) => [.. results.GetProperty("candidates").EnumerateArray()];

    [Fact]
    public async Task The_precinct_csv_has_a_row_per_precinct_and_group_flags_Orient_and_its_SDEs_add_up_to_the_results()
    {
        await ReportNightAsync();
        var results = await Api.GetAsync("/api/v1/results");

        var response = await Api.GetAsync("/api/v1/export/precincts.csv");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("text/csv; charset=utf-8", response.Header("Content-Type"));
        Assert.Contains("filename=iowa-2020-precincts-v", response.Header("Content-Disposition"), StringComparison.Ordinal);
        Assert.Equal(results.Header("ETag"), response.Header("ETag"));
        Assert.Equal(HttpStatusCode.NotModified, (await Api.GetAsync("/api/v1/export/precincts.csv", ifNoneMatch: response.Header("ETag"))).Status);

        var records = Csv.Parse(response.Text).ToList();
        Assert.Equal("county,precinct_id,precinct,kind,group,first,final,delegates,sde,reported_delegates,status,reason", string.Join(',', records[0].Fields));
        var rows = records.Skip(1).Select(r => r.Fields).ToList();
        Assert.All(rows, r => Assert.Equal(12, r.Count));
        var byPrecinct = rows.GroupBy(r => r[1]).ToDictionary(g => g.Key, g => g.ToList());
        Assert.Equal(Precincts, byPrecinct.Count);

        var adair = byPrecinct[Adair];
        Assert.Equal(["Biden", "Buttigieg", "Klobuchar", "Sanders", "Warren"], adair.Select(r => r[4]));
        Assert.All(adair, r => Assert.Equal(("consistent", ""), (r[10], r[11])));
        var klobuchar = adair.Single(r => r[4] == "Klobuchar");
        Assert.Equal(["Adair", "1NW ADAIR", "precinct", "8", "8", "2", "0.1569", ""], [klobuchar[0], klobuchar[2], klobuchar[3], klobuchar[5], klobuchar[6], klobuchar[7], klobuchar[8], klobuchar[9]]);

        var orient = byPrecinct[Orient];
        Assert.Equal(5, orient.Count);
        Assert.All(orient, r => Assert.Equal("inconsistent", r[10]));
        Assert.All(orient, r => Assert.Contains("Sanders reported 1, rules give 2", r[11], StringComparison.Ordinal));
        Assert.Equal(("2", "1"), (orient.Single(r => r[4] == "Sanders")[7], orient.Single(r => r[4] == "Sanders")[9]));
        Assert.Equal(("2", "3"), (orient.Single(r => r[4] == "Warren")[7], orient.Single(r => r[4] == "Warren")[9]));

        // The satellite's name holds a comma: quoted, and read back whole.
        var grinnell = byPrecinct[Grinnell];
        Assert.Equal(["Biden", "Sanders", "Warren"], grinnell.Select(r => r[4]));
        Assert.All(grinnell, r => Assert.Equal(("CD1 Satellite", "Grinnell, IA - Drake Library", "satellite"), (r[0], r[2], r[3])));
        Assert.Contains("\"Grinnell, IA - Drake Library\"", response.Text, StringComparison.Ordinal);

        var unreported = byPrecinct.Where(p => p.Key is not (Adair or Orient or Grinnell)).ToList();
        Assert.All(unreported, p => Assert.Equal(("", "not-reported"), (Assert.Single(p.Value)[4], p.Value[0][10])));

        // Per group, the rows add up to the statewide results: alignments exactly; SDEs within the rounding of
        // each row's 4-place value (half a unit in the last place per row).
        var reported = rows.Where(r => r[4].Length > 0).ToList();
        foreach (var candidate in Candidates(results.Json))
        {
            var name = candidate.GetProperty("name").GetString()!;
            var mine = reported.Where(r => r[4] == name).ToList();
            Assert.Equal(candidate.GetProperty("firstAlignment").GetInt64(), mine.Sum(r => long.Parse(r[5], CultureInfo.InvariantCulture)));
            Assert.Equal(candidate.GetProperty("finalAlignment").GetInt64(), mine.Sum(r => long.Parse(r[6], CultureInfo.InvariantCulture)));
            Assert.Equal(candidate.GetProperty("countyDelegates").GetInt64(), mine.Sum(r => long.Parse(r[7], CultureInfo.InvariantCulture)));
            var sde = mine.Sum(r => decimal.Parse(r[8], CultureInfo.InvariantCulture));
            var expected = decimal.Parse(candidate.GetProperty("sde").GetString()!, CultureInfo.InvariantCulture);
            Assert.True(Math.Abs(sde - expected) <= 0.00005m * (mine.Count + 1), $"{name}: rows add up to {sde}, results say {expected}");
        }
        Assert.True(reported.Sum(r => decimal.Parse(r[8], CultureInfo.InvariantCulture)) > 0.5m, "the SDE check compared nothing");
    }

    [Fact]
    public async Task The_cdf_export_is_valid_against_NISTs_schema_and_its_statewide_SDEs_and_alignments_equal_the_results()
    {
        await ReportNightAsync();
        var results = (await Api.GetAsync("/api/v1/results")).Json;

        var response = await Api.GetAsync("/api/v1/export/cdf.json");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.StartsWith("application/json", response.Header("Content-Type"), StringComparison.Ordinal);
        Assert.Contains("filename=iowa-2020-cdf-v", response.Header("Content-Disposition"), StringComparison.Ordinal);
        var errors = NistSchema.Errors(response.Text);
        Assert.True(errors.Count == 0, string.Join('\n', errors.Take(40)));

        var report = response.Json;
        Assert.Equal("ElectionResults.ElectionReport", report.GetProperty("@type").GetString());
        Assert.Equal("unofficial-partial", report.GetProperty("Status").GetString());
        Assert.False(report.GetProperty("IsTest").GetBoolean());
        Assert.Equal("precinct-level", report.GetProperty("Format").GetString());
        var election = Assert.Single(report.GetProperty("Election").EnumerateArray());
        Assert.Equal("2020-02-03", election.GetProperty("StartDate").GetString());
        var contest = Assert.Single(election.GetProperty("Contest").EnumerateArray());
        Assert.Equal("ElectionResults.CandidateContest", contest.GetProperty("@type").GetString());
        Assert.Equal((3, Precincts), (contest.GetProperty("SubUnitsReported").GetInt32(), contest.GetProperty("TotalSubUnits").GetInt32()));

        // References the schema cannot check (it only annotates them as refTypes): every id named is defined, once.
        var units = report.GetProperty("GpUnit").EnumerateArray().ToList();
        var ids = units.Select(u => u.GetProperty("@id").GetString()!).ToList();
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(1 + 5 + 104 + Precincts, ids.Count);
        var composing = units.Where(u => u.TryGetProperty("ComposingGpUnitIds", out _))
            .SelectMany(u => u.GetProperty("ComposingGpUnitIds").EnumerateArray().Select(i => i.GetString()!)).ToList();
        Assert.Equal(ids.Count - 1, composing.Count);
        Assert.Empty(composing.Except(ids));
        var candidateIds = election.GetProperty("Candidate").EnumerateArray().Select(c => c.GetProperty("@id").GetString()!).ToList();
        var selections = contest.GetProperty("ContestSelection").EnumerateArray().ToList();
        Assert.Empty(selections.SelectMany(s => s.GetProperty("CandidateIds").EnumerateArray().Select(c => c.GetString()!)).Except(candidateIds));
        Assert.Empty(selections.SelectMany(s => s.GetProperty("VoteCounts").EnumerateArray().Select(v => v.GetProperty("GpUnitId").GetString()!)).Except(ids));
        var satellite = units.Single(u => u.GetProperty("@id").GetString() == "gp-county-cd1-satellite");
        Assert.Equal(("other", "satellite-county"), (satellite.GetProperty("Type").GetString(), satellite.GetProperty("OtherType").GetString()));
        Assert.Contains("gp-precinct-cd1-satellite.grinnell-ia-drake-library",
            satellite.GetProperty("ComposingGpUnitIds").EnumerateArray().Select(i => i.GetString()));

        foreach (var candidate in Candidates(results))
        {
            var name = candidate.GetProperty("name").GetString()!;
            var selection = selections.Single(s => s.GetProperty("CandidateIds")[0].GetString() == "candidate-" + name.ToLowerInvariant());
            decimal Statewide(string what) => selection.GetProperty("VoteCounts").EnumerateArray()
                .Single(v => v.GetProperty("GpUnitId").GetString() == "gp-state" && v.GetProperty("OtherType").GetString() == what)
                .GetProperty("Count").GetDecimal();
            Assert.Equal(decimal.Parse(candidate.GetProperty("sde").GetString()!, CultureInfo.InvariantCulture), Statewide("state-delegate-equivalents"));
            Assert.Equal(candidate.GetProperty("finalAlignment").GetInt64(), Statewide("final-alignment"));
            Assert.Equal(candidate.GetProperty("firstAlignment").GetInt64(), Statewide("first-alignment"));
            Assert.Equal(candidate.GetProperty("countyDelegates").GetInt64(), Statewide("county-delegates"));
        }
        var sanders = selections.Single(s => s.GetProperty("@id").GetString() == "selection-sanders");
        Assert.Contains(sanders.GetProperty("VoteCounts").EnumerateArray(), v => v.GetProperty("GpUnitId").GetString() == "gp-precinct-adair.1nw-adair"
            && v.GetProperty("OtherType").GetString() == "state-delegate-equivalents" && v.GetProperty("Count").GetDecimal() == 0.1569m);
    }

    [Theory]
    [InlineData("a VoteCounts without its Count")]
    [InlineData("a ReportingUnit with a wrong @type")]
    [InlineData("a LanguageString deep in a candidate's name without its Language")]
    [InlineData("the results status \"test\", which NIST's ResultsStatus does not have")]
    public async Task A_broken_export_fails_NISTs_schema_so_the_validation_can_fail(string breakage)
    {
        await ReportNightAsync();
        var report = JsonNode.Parse((await Api.GetAsync("/api/v1/export/cdf.json")).Text)!;
        Assert.Empty(NistSchema.Errors(report.ToJsonString()));
        var contest = report["Election"]![0]!["Contest"]![0]!;
        switch (breakage)
        {
            case var b when b.StartsWith("a VoteCounts", StringComparison.Ordinal):
                contest["ContestSelection"]![0]!["VoteCounts"]![0]!.AsObject().Remove("Count");
                break;
            case var b when b.StartsWith("a ReportingUnit", StringComparison.Ordinal):
                report["GpUnit"]![3]!["@type"] = "ElectionResults.GpUnit";
                break;
            case var b when b.StartsWith("a LanguageString", StringComparison.Ordinal):
                report["Election"]![0]!["Candidate"]![2]!["BallotName"]!["Text"]![0]!.AsObject().Remove("Language");
                break;
            default:
                report["Status"] = "test";
                break;
        }

        Assert.NotEmpty(NistSchema.Errors(report.ToJsonString()));
    }

    [Fact]
    public void NISTs_schema_uses_only_keywords_that_mean_the_same_in_draft_04_and_draft_06()
    {
        using var schema = JsonDocument.Parse(File.ReadAllText(NistSchema.SchemaPath));
        var used = new HashSet<string>(StringComparer.Ordinal);
        void Walk(JsonElement node, bool propertyNames)
        {
            if (node.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in node.EnumerateArray()) Walk(item, false);
                return;
            }
            if (node.ValueKind != JsonValueKind.Object) return;
            foreach (var property in node.EnumerateObject())
            {
                // Under "properties" and "definitions" the names are the document's, not keywords.
                if (!propertyNames) used.Add(property.Name);
                Walk(property.Value, property.Name is "properties" or "definitions" && !propertyNames);
            }
        }
        Walk(schema.RootElement, false);

        Assert.Contains("$ref", used);
        Assert.Empty(used.Except(NistSchema.Keywords));
    }

    [Fact]
    public async Task A_rehearsal_exports_IsTest_with_the_status_its_counting_has()
    {
        await using var rehearsal = new ApiInstance(new Dictionary<string, string?>(_host.StoreSettings) { ["Caucus:Test"] = "true" },
            ApiHost.GenerousFailedAuthLimit);
        Assert.Equal(HttpStatusCode.Created, (await rehearsal.Client.PostReportAsync(Orient,
            $$"""{"attendees":34,"first":{{OrientGroups}},"final":{{OrientGroups}},"source":"official"}""")).Status);
        Assert.Equal("test", (await rehearsal.Client.GetAsync("/api/v1/results")).Json.GetProperty("status").GetString());

        var response = await rehearsal.Client.GetAsync("/api/v1/export/cdf.json");

        Assert.Empty(NistSchema.Errors(response.Text));
        Assert.True(response.Json.GetProperty("IsTest").GetBoolean());
        Assert.Equal("rehearsal", response.Json.GetProperty("TestType").GetString());
        Assert.Equal("unofficial-partial", response.Json.GetProperty("Status").GetString());
    }

    [Fact]
    public async Task Caucus_export_downloads_both_exports_to_files()
    {
        await ReportNightAsync();
        var url = Api.Http.BaseAddress!.ToString();
        var warroom = await Api.IssueTokenAsync("warroom");
        var directory = Directory.CreateTempSubdirectory("caucus-export-");
        try
        {
            var csv = new FileInfo(Path.Combine(directory.FullName, "precincts.csv"));
            var cdf = new FileInfo(Path.Combine(directory.FullName, "cdf.json"));
            var error = new StringWriter();

            Assert.True(await ExportCommand.Run(url, warroom, "csv", csv, TextWriter.Null, error, RetryPolicy.Default, CancellationToken.None) == 0, error.ToString());
            Assert.True(await ExportCommand.Run(url, warroom, "cdf", cdf, TextWriter.Null, error, RetryPolicy.Default, CancellationToken.None) == 0, error.ToString());

            var rows = Csv.Parse(await File.ReadAllTextAsync(csv.FullName)).ToList();
            Assert.Equal("county", rows[0].Fields[0]);
            Assert.Equal(5, rows.Count(r => r.Fields[1] == Orient));
            Assert.Empty(NistSchema.Errors(await File.ReadAllTextAsync(cdf.FullName)));

            // A token that may not read is refused, and says so; no file is written.
            var refused = new FileInfo(Path.Combine(directory.FullName, "refused.csv"));
            var refusal = new StringWriter();
            Assert.Equal(1, await ExportCommand.Run(url, "not-a-token", "csv", refused, TextWriter.Null, refusal, RetryPolicy.Default, CancellationToken.None));
            Assert.Contains("401", refusal.ToString(), StringComparison.Ordinal);
            Assert.False(refused.Exists);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
