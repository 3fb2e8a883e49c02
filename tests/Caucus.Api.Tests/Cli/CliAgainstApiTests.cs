using System.Text.Json;
using Caucus.Api.Tests.Http;
using Caucus.Api.Tests.Infrastructure;
using Caucus.Cli.Commands;
using Caucus.Core.Text;

namespace Caucus.Api.Tests.Cli;

/// <summary>`caucus tokens issue/export` and `caucus submit` against a running API over real HTTP.</summary>
public sealed class CliAgainstApiTests(SqliteApiHost host) : IClassFixture<SqliteApiHost>
{
    private string Url => host.Client.Http.BaseAddress!.ToString();

    [Fact]
    public async Task Tokens_issue_prints_a_token_that_works_for_its_role()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await TokensCommand.Issue(Url, ApiFactory.AdminToken, "warroom", null, output, error, CancellationToken.None);
        Assert.True(code == 0, error.ToString());
        var token = output.ToString().Trim();
        Assert.StartsWith("cau_", token, StringComparison.Ordinal);
        // The id it can be revoked by is printed for people, beside the link.
        var id = error.ToString().Split('\n').Single(l => l.StartsWith("Id: ", StringComparison.Ordinal))["Id: ".Length..].Trim();
        Assert.Contains((await host.Client.GetAsync("/api/v1/admin/tokens")).Json.GetProperty("tokens").EnumerateArray(),
            t => t.GetProperty("id").GetString() == id && t.GetProperty("role").GetString() == "warroom");
        Assert.Equal(System.Net.HttpStatusCode.OK, (await host.Client.GetAsync("/api/v1/results", token)).Status);
        // A war-room token reads but cannot submit.
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, (await host.Client.PostReportAsync("adair/2ne-stuart",
            """{"attendees":1,"first":{"Biden":1},"final":{"Biden":1},"source":"captain"}""", token)).Status);
    }

    [Fact]
    public async Task Tokens_issue_with_a_wrong_admin_token_fails_and_says_why()
    {
        var error = new StringWriter();
        var code = await TokensCommand.Issue(Url, "not-the-admin", "warroom", null, new StringWriter(), error, CancellationToken.None);
        Assert.Equal(1, code);
        Assert.Contains("401", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tokens_revoke_stops_a_token_and_says_who_revoked_it_and_an_unknown_id_fails()
    {
        var (token, id) = await host.Client.IssueCredentialAsync("hotline");
        Assert.Equal(System.Net.HttpStatusCode.OK, (await host.Client.GetAsync("/api/v1/results", token)).Status);

        var output = new StringWriter();
        var error = new StringWriter();
        Assert.True(await TokensCommand.Revoke(Url, ApiFactory.AdminToken, id, output, error, CancellationToken.None) == 0, error.ToString());

        Assert.StartsWith($"{id} revoked by env-admin at ", output.ToString(), StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await host.Client.GetAsync("/api/v1/results", token)).Status);
        var unknown = new StringWriter();
        Assert.Equal(1, await TokensCommand.Revoke(Url, ApiFactory.AdminToken, "tok_nobody", new StringWriter(), unknown, CancellationToken.None));
        Assert.StartsWith("404", unknown.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tokens_export_writes_one_working_precinct_token_per_precinct_and_satellite()
    {
        var file = new FileInfo(Path.Combine(Path.GetTempPath(), $"caucus-tokens-{Guid.NewGuid():N}.csv"));
        try
        {
            var error = new StringWriter();
            var code = await TokensCommand.Export(Url, ApiFactory.AdminToken, file, null, error, CancellationToken.None);
            Assert.True(code == 0, error.ToString());
            var rows = Csv.Parse(await File.ReadAllTextAsync(file.FullName)).ToList();
            Assert.Equal("precinct,county,name,kind,token", string.Join(',', rows[0].Fields));
            Assert.Equal(1765, rows.Count - 1);
            Assert.Equal(1765, rows.Skip(1).Select(r => r.Fields[4]).Distinct().Count());

            // The printed credential for Adair 1NW ADAIR submits for that precinct, and only for it.
            var adair = rows.Single(r => r.Fields[0] == "adair/1nw-adair").Fields[4];
            var body = """{"attendees":10,"first":{"Sanders":10},"final":{"Sanders":10},"source":"captain"}""";
            Assert.Equal(System.Net.HttpStatusCode.Created, (await host.Client.PostReportAsync("adair/1nw-adair", body, adair)).Status);
            Assert.Equal(System.Net.HttpStatusCode.Forbidden, (await host.Client.PostReportAsync("adair/4se-orient", body, adair)).Status);

            // The sheet prints each precinct's text-message template: its code, then blanks for the numbers.
            var sheet = await File.ReadAllTextAsync(Path.ChangeExtension(file.FullName, ".html"));
            Assert.Contains("<code>ADR1NW A__ F BEN__ BID__", sheet, StringComparison.Ordinal);
        }
        finally
        {
            file.Delete();
            File.Delete(Path.ChangeExtension(file.FullName, ".html"));
        }
    }

    [Fact]
    public async Task Tokens_issue_sends_the_captains_phone_and_says_why_when_texts_are_off()
    {
        var error = new StringWriter();
        var code = await TokensCommand.Issue(Url, ApiFactory.AdminToken, "precinct", "adair/2ne-stuart", new StringWriter(), error, CancellationToken.None,
            phone: "+1 515 555 0101");
        Assert.Equal(1, code);
        Assert.Contains("Texts are off", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_sends_a_report_and_a_resend_with_the_same_key_is_the_same_revision()
    {
        var file = new FileInfo(Path.Combine(Path.GetTempPath(), $"caucus-report-{Guid.NewGuid():N}.json"));
        try
        {
            await File.WriteAllTextAsync(file.FullName,
                """{"attendees":34,"first":{"Biden":7,"Buttigieg":6,"Klobuchar":6,"Sanders":6,"Warren":9},"final":{"Biden":7,"Buttigieg":6,"Klobuchar":6,"Sanders":6,"Warren":9},"source":"official"}""");
            var first = new StringWriter();
            var error = new StringWriter();
            Assert.Equal(0, await SubmitCommand.Run(Url, ApiFactory.AdminToken, "adair/4se-orient", file, "cli-key-1", first, error, CancellationToken.None));
            var again = new StringWriter();
            Assert.Equal(0, await SubmitCommand.Run(Url, ApiFactory.AdminToken, "adair/4se-orient", file, "cli-key-1", again, error, CancellationToken.None));

            using var original = JsonDocument.Parse(first.ToString());
            using var replay = JsonDocument.Parse(again.ToString());
            Assert.Equal(original.RootElement.GetProperty("revision").GetInt32(), replay.RootElement.GetProperty("revision").GetInt32());
            // RULES.md worked example 2: two delegates each.
            Assert.All(original.RootElement.GetProperty("allocation").GetProperty("countyDelegates").EnumerateObject(),
                p => Assert.Equal(2, p.Value.GetInt32()));
            var audit = await host.Client.GetAsync(ApiClient.AuditPath("adair/4se-orient"));
            Assert.Equal(1, audit.Json.GetProperty("revisions").EnumerateArray().Count(r => r.GetProperty("idempotencyKey").GetString() == "cli-key-1"));
        }
        finally
        {
            file.Delete();
        }
    }

    [Fact]
    public async Task Submit_of_an_invalid_report_exits_non_zero_with_the_problem_on_stdout()
    {
        var file = new FileInfo(Path.Combine(Path.GetTempPath(), $"caucus-report-{Guid.NewGuid():N}.json"));
        try
        {
            await File.WriteAllTextAsync(file.FullName, """{"attendees":-1,"first":{},"final":{},"source":"official"}""");
            var output = new StringWriter();
            Assert.Equal(1, await SubmitCommand.Run(Url, ApiFactory.AdminToken, "adams/adams-1", file, null, output, new StringWriter(), CancellationToken.None));
            Assert.Contains("attendees", output.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            file.Delete();
        }
    }
}
