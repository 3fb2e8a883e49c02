using System.Text.Json;
using System.Text.RegularExpressions;
using Caucus.Cli;
using Caucus.Cli.Commands;
using Caucus.Core.Text;
using Microsoft.AspNetCore.Http;

namespace Caucus.Cli.Tests;

/// <summary>`caucus tokens issue` prints the page's sign-in link; `export` writes a printable QR sheet beside the CSV.</summary>
public sealed partial class TokensSheetTests
{
    /// <summary>Answers each token request as the API does (201 with a fresh token), numbering them.</summary>
    private static Task<LoopbackServer> TokenServerAsync() => LoopbackServer.StartAsync(async (n, context) =>
    {
        context.Response.StatusCode = 201;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(JsonSerializer.Serialize(new { token = $"cau_t{n}", id = $"tok_{n}", role = "precinct" }));
    });

    [Theory]
    [InlineData("warroom", null, "/#token=cau_t1")]
    [InlineData("hotline", null, "/hotline#token=cau_t1")]
    [InlineData("precinct", "adair/1nw-adair", "/report#token=cau_t1&precinct=adair%2F1nw-adair")]
    public async Task Tokens_issue_prints_the_token_and_the_sign_in_link_of_the_roles_page(string role, string? precinct, string page)
    {
        await using var server = await TokenServerAsync();
        var output = new StringWriter();
        var error = new StringWriter();

        var code = await TokensCommand.Issue(server.Url, "adm_test", role, precinct, output, error, CancellationToken.None);

        Assert.True(code == 0, error.ToString());
        Assert.Equal("cau_t1", output.ToString().Trim());
        Assert.Contains($"Sign-in link: {server.Url.TrimEnd('/')}{page}", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tokens_export_writes_a_printable_sheet_with_each_precincts_link_as_a_QR_code_one_precinct_a_page()
    {
        await using var server = await TokenServerAsync();
        var directory = Directory.CreateTempSubdirectory("caucus-sheet-");
        try
        {
            var csv = new FileInfo(Path.Combine(directory.FullName, "tokens.csv"));
            var error = new StringWriter();

            var code = await TokensCommand.Export(server.Url, "adm_test", csv, null, error, CancellationToken.None);

            Assert.True(code == 0, error.ToString());
            var html = await File.ReadAllTextAsync(Path.Combine(directory.FullName, "tokens.html"));
            var rows = Csv.Parse(await File.ReadAllTextAsync(csv.FullName)).Skip(1).ToList();
            var sections = Section().Matches(html);
            Assert.Equal(1765, sections.Count);
            Assert.Equal(rows.Count, sections.Count);
            Assert.Contains("page-break-after: always", html, StringComparison.Ordinal);

            // Each sheet carries the link of its own row's token, and a PNG for it.
            var adair = rows.Single(r => r.Fields[0] == "adair/1nw-adair");
            var link = SignInLinks.For(server.Url, "precinct", adair.Fields[4], "adair/1nw-adair");
            var section = sections.Single(m => m.Groups["link"].Value == link.Replace("&", "&amp;", StringComparison.Ordinal)).Value;
            Assert.Contains("<h1>1NW ADAIR</h1>", section, StringComparison.Ordinal);
            Assert.Contains("Adair · 8 delegates", section, StringComparison.Ordinal);
            var png = Convert.FromBase64String(Png().Match(section).Groups["data"].Value);
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
            Assert.Equal(1765, sections.Select(m => Png().Match(m.Value).Groups["data"].Value).Distinct().Count());
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [GeneratedRegex("<section data-precinct-link=\"(?<link>[^\"]+)\">.*?</section>", RegexOptions.Singleline)]
    private static partial Regex Section();

    [GeneratedRegex("src=\"data:image/png;base64,(?<data>[A-Za-z0-9+/=]+)\"")]
    private static partial Regex Png();
}
