using System.CommandLine;
using System.Net;
using System.Text;
using Polly.Timeout;

namespace Caucus.Cli.Commands;

/// <summary>
/// `caucus export --format csv|cdf --out FILE`: downloads /api/v1/export/precincts.csv (one row per precinct ×
/// group) or /api/v1/export/cdf.json (NIST SP 1500-100 ElectionReport) through the API client, which retries a GET
/// on network errors, time-outs, 408/429/5xx and honours Retry-After. The file is written only once the whole
/// download has arrived, so a failed run never leaves half an export behind.
/// </summary>
public static class ExportCommand
{
    public static Command Create()
    {
        var url = CommonOptions.Url();
        var token = CommonOptions.Token("--token", "CAUCUS_TOKEN", "Bearer token that may read results");
        var format = new Option<string>("--format") { Description = "csv (precinct rows) or cdf (NIST SP 1500-100 JSON).", Required = true };
        format.AcceptOnlyFromAmong("csv", "cdf");
        var output = new Option<FileInfo>("--out") { Description = "File to write; '-' writes to stdout.", Required = true };
        var command = new Command("export", "Download the precinct CSV or the NIST election results (CDF) export.") { url, token, format, output };
        command.SetAction((parse, ct) => Run(parse.GetValue(url)!, parse.GetValue(token)!, parse.GetValue(format)!, parse.GetValue(output)!,
            Console.Out, Console.Error, RetryPolicy.Default, ct));
        return command;
    }

    public static string PathOf(string format) => format switch
    {
        "csv" => "api/v1/export/precincts.csv",
        "cdf" => "api/v1/export/cdf.json",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "csv or cdf"),
    };

    public static async Task<int> Run(string url, string token, string format, FileInfo file, TextWriter output, TextWriter error,
        RetryPolicy retry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        using var http = ApiClient.Create(url, token);
        try
        {
            var (status, body) = await new ApiClient(http, error, retry).GetAsync(PathOf(format), cancellationToken);
            if (status != HttpStatusCode.OK)
            {
                error.WriteLine($"{(int)status} {status}: {body}");
                return 1;
            }
            if (file.Name == "-")
            {
                await output.WriteAsync(body);
                await output.FlushAsync(cancellationToken);
            }
            else
            {
                await File.WriteAllTextAsync(file.FullName, body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), cancellationToken);
                error.WriteLine($"wrote {file.FullName}");
            }
            return 0;
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException)
        {
            error.WriteLine($"no answer: {e.Message}");
            return 1;
        }
    }
}
