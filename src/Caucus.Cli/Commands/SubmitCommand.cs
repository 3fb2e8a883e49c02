using System.CommandLine;
using System.Net;
using Polly.Timeout;

namespace Caucus.Cli.Commands;

/// <summary>
/// `caucus submit --precinct ID --file report.json`: sends a report with an Idempotency-Key and retries
/// (network errors, time-outs, 408/429/5xx, honouring Retry-After) with the same key, so a flaky connection
/// never counts it twice. The key is printed before the first send, so after any failure — even a killed
/// process — the operator can resend with <c>--idempotency-key</c> and the API answers it once.
/// </summary>
public static class SubmitCommand
{
    public static Command Create()
    {
        var url = CommonOptions.Url();
        var token = CommonOptions.Token("--token", "CAUCUS_TOKEN", "Bearer token (precinct, hotline or admin)");
        var precinct = new Option<string>("--precinct") { Description = "Precinct id, e.g. adair/1nw-adair.", Required = true };
        var file = new Option<FileInfo>("--file") { Description = "The report as JSON (see the HTTP contract); '-' reads stdin.", Required = true };
        var key = new Option<string?>("--idempotency-key") { Description = "Reuse a key to resend the same report safely (default: a new one)." };
        var command = new Command("submit", "Submit a precinct report, retrying safely.") { url, token, precinct, file, key };
        command.SetAction((parse, ct) => Run(parse.GetValue(url)!, parse.GetValue(token)!, parse.GetValue(precinct)!,
            parse.GetValue(file)!, parse.GetValue(key), Console.Out, Console.Error, ct));
        return command;
    }

    public static Task<int> Run(string url, string token, string precinct, FileInfo file, string? idempotencyKey,
        TextWriter output, TextWriter error, CancellationToken cancellationToken) =>
        Run(url, token, precinct, file, idempotencyKey, output, error, RetryPolicy.Default, cancellationToken);

    public static async Task<int> Run(string url, string token, string precinct, FileInfo file, string? idempotencyKey,
        TextWriter output, TextWriter error, RetryPolicy retry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var body = file.Name == "-" ? await Console.In.ReadToEndAsync(cancellationToken) : await File.ReadAllTextAsync(file.FullName, cancellationToken);
        var key = idempotencyKey ?? Guid.NewGuid().ToString("N");
        error.WriteLine($"Idempotency-Key: {key} (resend with --idempotency-key {key} to retry safely)");
        error.Flush();
        using var http = ApiClient.Create(url, token);
        try
        {
            var (status, response) = await new ApiClient(http, error, retry).PostJsonAsync(
                $"api/v1/precincts/{Uri.EscapeDataString(precinct)}/reports", body, key, cancellationToken);
            error.WriteLine($"{(int)status} {status} (Idempotency-Key {key})");
            output.WriteLine(response);
            return status == HttpStatusCode.Created ? 0 : 1;
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException)
        {
            error.WriteLine($"no answer: {e.Message} (resend with --idempotency-key {key} to retry safely)");
            return 1;
        }
    }
}
