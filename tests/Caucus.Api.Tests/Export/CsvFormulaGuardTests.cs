using System.Net;
using Caucus.Api.Elections;
using Caucus.Api.Tests.Http;
using Caucus.Api.Tests.Infrastructure;
using Caucus.Cli.Commands;
using Caucus.Core.Text;

namespace Caucus.Api.Tests.Export;

/// <summary>
/// An election folder whose names a spreadsheet would run (a precinct named <c>=HYPERLINK(…)</c>, one <c>@SUM(…)</c>,
/// groups <c>+Warren</c> and <c>-Sanders</c>): precincts.csv and `caucus tokens export` write each such cell with a
/// quote in front, and our own reader gives the names back as they were.
/// </summary>
public sealed class CsvFormulaGuardTests : IAsyncLifetime
{
    private const string Hyperlink = "=HYPERLINK(\"http://example.invalid/\",\"1NW ADAIR\")";
    private const string Sum = "@SUM(1+1)";
    private const string Adair = "adair/1nw-adair";

    private readonly SqliteApiHost _host = new();
    private readonly DirectoryInfo _election = Directory.CreateTempSubdirectory("caucus-hostile-election-");
    private ApiInstance? _api;

    public async Task InitializeAsync()
    {
        foreach (var file in Directory.GetFiles(ElectionSource.DefaultPath)) File.Copy(file, Path.Combine(_election.FullName, Path.GetFileName(file)));
        Rewrite("precincts.csv", ("1NW ADAIR", Csv.Escape(Hyperlink)), ("3SW FONTANELLE", Sum));
        Rewrite("election.json", ("\"Warren\"", "\"+Warren\""), ("\"Sanders\"", "\"-Sanders\""));
        await _host.InitializeAsync();
        _api = _host.StartInstance(settings: new Dictionary<string, string?> { ["Caucus:ElectionPath"] = _election.FullName });
    }

    public async Task DisposeAsync()
    {
        if (_api is not null) await _api.DisposeAsync();
        await _host.DisposeAsync();
        _election.Delete(recursive: true);
    }

    private void Rewrite(string file, params (string From, string To)[] replacements)
    {
        var path = Path.Combine(_election.FullName, file);
        var text = File.ReadAllText(path);
        foreach (var (from, to) in replacements)
        {
            Assert.Contains(from, text, StringComparison.Ordinal);
            text = text.Replace(from, to, StringComparison.Ordinal);
        }
        File.WriteAllText(path, text);
    }

    /// <summary>Each cell of each line as a spreadsheet sees it: unquoted, but with no guard taken off.</summary>
    private static IEnumerable<string> CellsAsWritten(string csv) =>
        Csv.Parse(csv).SelectMany(r => r.Fields).Select(Csv.Guard);

    private static void AssertNoCellRuns(string csv)
    {
        foreach (var cell in CellsAsWritten(csv))
        {
            Assert.False(cell.Length > 0 && Csv.FormulaStarts.Contains(cell[0], StringComparison.Ordinal) && !Csv.IsPlainNumber(cell), cell);
        }
    }

    [Fact]
    public async Task Names_a_spreadsheet_would_run_are_written_as_text_in_precincts_csv_and_the_token_export()
    {
        var api = _api!.Client;
        var report = """{"attendees":40,"first":{"-Sanders":20,"+Warren":20},"final":{"-Sanders":20,"+Warren":20},"source":"official"}""";
        var stored = await api.PostReportAsync(Adair, report);
        Assert.True(stored.Status == HttpStatusCode.Created, stored.ToString());

        var export = await api.GetAsync("/api/v1/export/precincts.csv");
        Assert.Equal(HttpStatusCode.OK, export.Status);
        var csv = export.Text;
        Assert.Contains($"Adair,{Adair},\"'{Hyperlink.Replace("\"", "\"\"", StringComparison.Ordinal)}\",precinct,'+Warren,20,20,", csv, StringComparison.Ordinal);
        Assert.Contains($"Adair,{Adair},\"'{Hyperlink.Replace("\"", "\"\"", StringComparison.Ordinal)}\",precinct,'-Sanders,20,20,", csv, StringComparison.Ordinal);
        Assert.Contains($",'{Sum},", csv, StringComparison.Ordinal);
        AssertNoCellRuns(csv);
        // Our reader takes the guard off: the names come back as the election folder has them.
        var rows = Csv.Parse(csv).Skip(1).ToList();
        Assert.Equal(["+Warren", "-Sanders"], rows.Where(r => r.Fields[1] == Adair).Select(r => r.Fields[4]).Order(StringComparer.Ordinal));
        Assert.Equal(Hyperlink, rows.First(r => r.Fields[1] == Adair).Fields[2]);

        var sheet = new FileInfo(Path.Combine(_election.FullName, "tokens.csv"));
        var error = new StringWriter();
        var code = await TokensCommand.Export(api.Http.BaseAddress!.ToString(), ApiFactory.AdminToken, sheet, _election, error, CancellationToken.None);
        Assert.True(code == 0, error.ToString());
        var tokens = await File.ReadAllTextAsync(sheet.FullName);
        Assert.Contains($"{Adair},Adair,\"'{Hyperlink.Replace("\"", "\"\"", StringComparison.Ordinal)}\",precinct,", tokens, StringComparison.Ordinal);
        Assert.Contains($",'{Sum},precinct,", tokens, StringComparison.Ordinal);
        AssertNoCellRuns(tokens);
    }
}
