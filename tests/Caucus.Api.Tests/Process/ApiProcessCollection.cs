using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Caucus.Api.Tests.Infrastructure;

namespace Caucus.Api.Tests.Processes;

/// <summary>
/// Tests that run the API as real child processes. They share their own PostgreSQL cluster (not the
/// "postgres" collection's: the database-down test stops and starts it), and the collection runs alone,
/// after the parallel ones, so the child processes do not compete with the rest of the run for the cores.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ApiProcessCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "api-processes";
}

/// <summary>What the process tests send and read: report bodies, precinct ids in URLs, JSON fields.</summary>
internal static class Api
{
    public const string AdminToken = "adm_process_tests_0123456789abcdef";

    /// <summary>A well-formed official report: Sanders and Warren, <paramref name="sanders"/> + <paramref name="warren"/> attendees.</summary>
    public static string ReportBody(int sanders, int warren) =>
        $$"""{"attendees":{{sanders + warren}},"first":{"Sanders":{{sanders}},"Warren":{{warren}}},"final":{"Sanders":{{sanders}},"Warren":{{warren}}},"source":"official"}""";

    public static Uri PrecinctUri(string id) => new($"api/v1/precincts/{Uri.EscapeDataString(id)}", UriKind.Relative);

    public static Uri ReportUri(string id) => new($"api/v1/precincts/{Uri.EscapeDataString(id)}/reports", UriKind.Relative);

    public static Uri AuditUri(string id) => new($"api/v1/audit/precincts/{Uri.EscapeDataString(id)}", UriKind.Relative);

    public static readonly Uri ResultsUri = new("api/v1/results", UriKind.Relative);

    public static readonly Uri PrecinctsUri = new("api/v1/precincts", UriKind.Relative);

    public static HttpRequestMessage ReportRequest(string precinct, string body, string idempotencyKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, ReportUri(precinct))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        return request;
    }

    /// <summary>GET that must answer 200; returns the parsed body.</summary>
    public static async Task<JsonElement> GetJsonAsync(HttpClient client, Uri uri)
    {
        using var response = await client.GetAsync(uri);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {uri} answered {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>The ids of every precinct (not satellite) of the election, in the order the API lists them.</summary>
    public static async Task<List<string>> PrecinctIdsAsync(HttpClient client)
    {
        var list = await GetJsonAsync(client, PrecinctsUri);
        return [.. list.EnumerateArray()
            .Where(p => p.GetProperty("kind").GetString() == "precinct")
            .Select(p => p.GetProperty("id").GetString()!)];
    }

    public static int Reporting(JsonElement results) => results.GetProperty("precincts").GetProperty("reporting").GetInt32();

    public static long Version(JsonElement results) => results.GetProperty("version").GetInt64();

    /// <summary>"name=sde" for each candidate, in document order: what two instances must agree on.</summary>
    public static string SdeLine(JsonElement results) => string.Join(", ", results.GetProperty("candidates").EnumerateArray()
        .Select(c => $"{c.GetProperty("name").GetString()}={c.GetProperty("sde").GetString()}"));

    /// <summary>A precinct document's current revision (0 before any report).</summary>
    public static int Revision(JsonElement precinct) =>
        precinct.TryGetProperty("revision", out var r) && r.ValueKind == JsonValueKind.Number ? r.GetInt32() : 0;

    /// <summary>Non-zero entries of a counts object, e.g. the counted report's "first".</summary>
    public static Dictionary<string, int> Counts(JsonElement counts) =>
        counts.EnumerateObject().Where(p => p.Value.GetInt32() != 0).ToDictionary(p => p.Name, p => p.Value.GetInt32());

    /// <summary>Polls <paramref name="probe"/> every <paramref name="interval"/> until it holds or <paramref name="timeout"/> passes; returns the elapsed time, or null.</summary>
    public static async Task<TimeSpan?> PollAsync(Func<Task<bool>> probe, TimeSpan timeout, TimeSpan interval)
    {
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            if (await probe())
            {
                return stopwatch.Elapsed;
            }

            if (stopwatch.Elapsed > timeout)
            {
                return null;
            }

            await Task.Delay(interval);
        }
    }
}
