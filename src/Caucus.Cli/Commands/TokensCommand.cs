using System.CommandLine;
using System.Net;
using System.Text.Json;
using Caucus.Core.Text.Sms;
using Caucus.Core.Text;

namespace Caucus.Cli.Commands;

/// <summary>
/// `caucus tokens issue` (one token for a role or a precinct, and the sign-in link of its page) and
/// `caucus tokens export` (one precinct token per precinct and satellite, as CSV, and a printable sheet
/// with each precinct's report-page link as a QR code). Tokens are created by the API
/// (POST /api/v1/admin/tokens), which stores only their hashes; this is the only time they are shown.
/// `caucus tokens revoke --id tok_…` revokes one (DELETE /api/v1/admin/tokens/{id}).
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
        var phone = new Option<string?>("--phone")
        {
            Description = "For a precinct token: the captain's (or chair's) phone number, to report by text message (stored hashed).",
        };
        var issue = new Command("issue", "Issue one token and print it.") { url, admin, role, precinct, source, phone };
        issue.SetAction((parse, ct) => Issue(parse.GetValue(url)!, parse.GetValue(admin)!, parse.GetValue(role)!, parse.GetValue(precinct), Console.Out, Console.Error, ct,
            parse.GetValue(source), parse.GetValue(phone)));

        var output = new Option<FileInfo>("--out") { Description = "CSV file to write (precinct,county,name,kind,token).", Required = true };
        var election = new Option<DirectoryInfo?>("--election") { Description = "Election folder (default: the shipped Iowa 2020 folder)." };
        var sheet = new Option<FileInfo?>("--sheet") { Description = "Printable HTML sheet with a QR code per precinct (default: beside the CSV, .html)." };
        var export = new Command("export", "Issue a precinct token for every precinct and satellite; write them as CSV and as a printable QR sheet.") { url, admin, output, election, sheet };
        export.SetAction((parse, ct) => Export(parse.GetValue(url)!, parse.GetValue(admin)!, parse.GetValue(output)!, parse.GetValue(election), Console.Error, ct,
            parse.GetValue(sheet)));

        var id = new Option<string>("--id") { Description = "The credential's id (tok_…), as issued and as listed by GET /api/v1/admin/tokens.", Required = true };
        var revoke = new Command("revoke", "Revoke one credential: refused by every instance within a second, its open streams closed.") { url, admin, id };
        revoke.SetAction((parse, ct) => Revoke(parse.GetValue(url)!, parse.GetValue(admin)!, parse.GetValue(id)!, Console.Out, Console.Error, ct));

        return new Command("tokens", "Issue, export and revoke API tokens.") { issue, export, revoke };
    }

    public static async Task<int> Issue(string url, string adminToken, string role, string? precinct, TextWriter output, TextWriter error,
        CancellationToken cancellationToken, string? source = null, string? phone = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        using var http = ApiClient.Create(url, adminToken);
        var (status, body) = await new ApiClient(http, error).PostJsonAsync("api/v1/admin/tokens",
            JsonSerializer.Serialize(new Dictionary<string, string?> { ["role"] = role, ["precinct"] = precinct, ["source"] = source, ["phone"] = phone }
                .Where(f => f.Value is not null).ToDictionary()), null, cancellationToken);
        if (status != HttpStatusCode.Created)
        {
            error.WriteLine($"{(int)status}: {body}");
            return 1;
        }
        var issued = JsonDocument.Parse(body).RootElement;
        var token = issued.GetProperty("token").GetString()!;
        // The token alone on stdout, for scripts; the link to open and the id to revoke it by on stderr, for people.
        output.WriteLine(token);
        error.WriteLine($"Sign-in link: {SignInLinks.For(url, role, token, precinct)}");
        error.WriteLine($"Id: {issued.GetProperty("id").GetString()}");
        return 0;
    }

    /// <summary>Prints "ID revoked by WHO at WHEN" (the first revocation's, if it was revoked already); 1 with the API's answer otherwise.</summary>
    public static async Task<int> Revoke(string url, string adminToken, string id, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        using var http = ApiClient.Create(url, adminToken);
        var (status, body) = await new ApiClient(http, error).DeleteAsync("api/v1/admin/tokens/" + Uri.EscapeDataString(id), cancellationToken);
        if (status != HttpStatusCode.OK)
        {
            error.WriteLine($"{(int)status}: {body}");
            return 1;
        }
        var revoked = JsonDocument.Parse(body).RootElement;
        output.WriteLine($"{id} revoked by {revoked.GetProperty("revokedBy").GetString()} at {revoked.GetProperty("revokedAt").GetString()}");
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
        var codes = new SmsCodes(election);
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
            sheet.Add(p.County, p.Name, p.Delegates, kind, SignInLinks.For(url, "precinct", token, p.Id),
                TextFormatter.Template(codes.PrecinctCodes[p.Id], codes, election.RuleSet.Form));
        }
        await sheet.WriteAsync(sheetPath, cancellationToken);
        error.WriteLine($"{election.Precincts.Length} precinct tokens written to {file.FullName}, and a printable sheet to {sheetPath}");
        return 0;
    }
}
