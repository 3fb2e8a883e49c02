using System.CommandLine;
using System.Net;
using System.Text.Json;
using Caucus.Core.Text;

namespace Caucus.Cli.Commands;

/// <summary>
/// `caucus tokens issue` (one token for a role or a precinct, and the sign-in link of its page) and
/// `caucus tokens export` (one precinct token per precinct and satellite, as CSV, and a printable sheet
/// with each precinct's report-page link as a QR code). Tokens are created by the API
/// (POST /api/v1/admin/tokens), which stores only their hashes; this is the only time they are shown.
/// </summary>
public static class TokensCommand
{
    public static Command Create()
    {
        var url = CommonOptions.Url();
        var admin = CommonOptions.Token("--admin-token", "CAUCUS_ADMIN_TOKEN", "Admin bearer token");
        var role = new Option<string>("--role") { Description = "admin, hotline, precinct or warroom.", Required = true };
        role.AcceptOnlyFromAmong("admin", "hotline", "precinct", "warroom");
        var precinct = new Option<string?>("--precinct") { Description = "Precinct id, for a precinct token." };
        var source = new Option<string?>("--source")
        {
            Description = "For a precinct token: the source it reports as, captain or chair (default: captain for a precinct, chair for a satellite).",
        };
        source.AcceptOnlyFromAmong("captain", "chair");
        var issue = new Command("issue", "Issue one token and print it.") { url, admin, role, precinct, source };
        issue.SetAction((parse, ct) => Issue(parse.GetValue(url)!, parse.GetValue(admin)!, parse.GetValue(role)!, parse.GetValue(precinct), Console.Out, Console.Error, ct,
            parse.GetValue(source)));

        var output = new Option<FileInfo>("--out") { Description = "CSV file to write (precinct,county,name,kind,token).", Required = true };
        var election = new Option<DirectoryInfo?>("--election") { Description = "Election folder (default: the shipped Iowa 2020 folder)." };
        var sheet = new Option<FileInfo?>("--sheet") { Description = "Printable HTML sheet with a QR code per precinct (default: beside the CSV, .html)." };
        var export = new Command("export", "Issue a precinct token for every precinct and satellite; write them as CSV and as a printable QR sheet.") { url, admin, output, election, sheet };
        export.SetAction((parse, ct) => Export(parse.GetValue(url)!, parse.GetValue(admin)!, parse.GetValue(output)!, parse.GetValue(election), Console.Error, ct,
            parse.GetValue(sheet)));

        return new Command("tokens", "Issue API tokens.") { issue, export };
    }

    public static async Task<int> Issue(string url, string adminToken, string role, string? precinct, TextWriter output, TextWriter error,
        CancellationToken cancellationToken, string? source = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        using var http = ApiClient.Create(url, adminToken);
        var (status, body) = await new ApiClient(http, error).PostJsonAsync("api/v1/admin/tokens",
            source is null ? JsonSerializer.Serialize(new { role, precinct }) : JsonSerializer.Serialize(new { role, precinct, source }), null, cancellationToken);
        if (status != HttpStatusCode.Created)
        {
            error.WriteLine($"{(int)status}: {body}");
            return 1;
        }
        var token = JsonDocument.Parse(body).RootElement.GetProperty("token").GetString()!;
        // The token alone on stdout, for scripts; the link to open on stderr, for people.
        output.WriteLine(token);
        error.WriteLine($"Sign-in link: {SignInLinks.For(url, role, token, precinct)}");
        return 0;
    }

    public static async Task<int> Export(string url, string adminToken, FileInfo file, DirectoryInfo? electionDir, TextWriter error,
        CancellationToken cancellationToken, FileInfo? sheetFile = null)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(error);
        var election = ElectionFolder.Load(electionDir?.FullName);
        using var http = ApiClient.Create(url, adminToken);
        var client = new ApiClient(http, error);
        await using var writer = new StreamWriter(file.FullName);
        await writer.WriteLineAsync("precinct,county,name,kind,token");
        using var sheet = new PrecinctSheet($"{election.Name}: precinct credentials");
        var sheetPath = sheetFile?.FullName ?? Path.ChangeExtension(file.FullName, ".html");
        foreach (var p in election.Precincts)
        {
            var (status, body) = await client.PostJsonAsync("api/v1/admin/tokens",
                JsonSerializer.Serialize(new { role = "precinct", precinct = p.Id }), null, cancellationToken);
            if (status != HttpStatusCode.Created)
            {
                error.WriteLine($"{p.Id}: {(int)status}: {body}");
                return 1;
            }
            var token = JsonDocument.Parse(body).RootElement.GetProperty("token").GetString()!;
            var kind = p.Kind.ToString().ToLowerInvariant();
            await writer.WriteLineAsync(Csv.Line(p.Id, p.County, p.Name, kind, token));
            sheet.Add(p.County, p.Name, p.Delegates, kind, SignInLinks.For(url, "precinct", token, p.Id));
        }
        await sheet.WriteAsync(sheetPath, cancellationToken);
        error.WriteLine($"{election.Precincts.Length} precinct tokens written to {file.FullName}, and a printable sheet to {sheetPath}");
        return 0;
    }
}
