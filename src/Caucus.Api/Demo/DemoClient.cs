using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Caucus.Api.Auth;
using Caucus.Api.Reports;

namespace Caucus.Api.Demo;

/// <summary>What one step's request got back: its status, whether it was answered as a replay, and the body when it failed.</summary>
public sealed record DemoSent(HttpStatusCode Status, bool Replayed, string? Problem)
{
    public bool Accepted => Status == HttpStatusCode.Created;
}

/// <summary>Where the replay stands, as a newcomer would read it: GET /api/v1/results without a token.</summary>
public sealed record DemoReading(int Reporting, int Total, int Inconsistent, int PendingTieBreaks, string Status);

/// <summary>
/// The demo night's side of the HTTP contract: the same requests a captain's phone, the hotline's operators (in pairs,
/// so each call is entered twice) and the party's admin would send, with tokens issued by the admin the way
/// <c>caucus tokens issue</c> issues them.
/// </summary>
public sealed class DemoClient(HttpClient http, string adminToken)
{
    private readonly Dictionary<string, string> _precinctTokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _precinctPairs = new(StringComparer.Ordinal);
    private readonly List<(string First, string Second)> _operatorPairs = [];

    /// <summary>True once GET /healthz answers 200 (the results are rebuilt from the store).</summary>
    public async Task<bool> IsHealthyAsync(CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(new Uri("healthz", UriKind.Relative), cancellationToken);
        return response.StatusCode == HttpStatusCode.OK;
    }

    /// <summary>
    /// The hotline operators' credentials, <paramref name="pairs"/> pairs of two tokens (so a pair's entries are a double
    /// entry). A precinct's calls go to one pair, the pairs taking precincts in turn.
    /// </summary>
    public async Task IssueOperatorsAsync(int pairs, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pairs, 1);
        for (var i = 0; i < pairs; i++)
        {
            _operatorPairs.Add((await IssueAsync(Roles.Hotline, null, cancellationToken), await IssueAsync(Roles.Hotline, null, cancellationToken)));
        }
    }

    public async Task<DemoSent> SendAsync(DemoStep step, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(step);
        var token = step.Sender switch
        {
            DemoSender.FirstOperator => OperatorPair(step.Precinct).First,
            DemoSender.SecondOperator => OperatorPair(step.Precinct).Second,
            DemoSender.Precinct => await PrecinctTokenAsync(step.Precinct, cancellationToken),
            _ => adminToken,
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"api/v1/precincts/{Uri.EscapeDataString(step.Precinct)}/reports", UriKind.Relative))
        {
            Content = new StringContent(step.Body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Add(ReportsApi.IdempotencyKeyHeader, step.IdempotencyKey);
        using var response = await http.SendAsync(request, cancellationToken);
        var replayed = response.Headers.TryGetValues("Idempotent-Replayed", out var values) && values.Contains("true");
        var problem = response.StatusCode == HttpStatusCode.Created ? null : await response.Content.ReadAsStringAsync(cancellationToken);
        return new DemoSent(response.StatusCode, replayed, problem);
    }

    /// <summary>The public read, without a token (the demo runs with <c>Caucus:PublicResults</c>).</summary>
    public async Task<DemoReading> ReadResultsAsync(CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(new Uri("api/v1/results", UriKind.Relative), cancellationToken);
        response.EnsureSuccessStatusCode();
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(cancellationToken));
        var root = doc.RootElement;
        var precincts = root.GetProperty("precincts");
        var flags = root.GetProperty("flags");
        return new DemoReading(precincts.GetProperty("reporting").GetInt32(), precincts.GetProperty("total").GetInt32(),
            flags.GetProperty("inconsistent").GetInt32(), flags.GetProperty("pendingTieBreaks").GetInt32(), root.GetProperty("status").GetString() ?? "");
    }

    private (string First, string Second) OperatorPair(string precinct)
    {
        if (_operatorPairs.Count == 0) throw new InvalidOperationException("The hotline operators have no tokens yet.");
        if (!_precinctPairs.TryGetValue(precinct, out var pair))
        {
            _precinctPairs[precinct] = pair = _precinctPairs.Count % _operatorPairs.Count;
        }
        return _operatorPairs[pair];
    }

    /// <summary>A precinct's credential, issued the first time its captain or chair reports (as a captain would scan it on the night).</summary>
    private async Task<string> PrecinctTokenAsync(string precinct, CancellationToken cancellationToken)
    {
        if (!_precinctTokens.TryGetValue(precinct, out var token))
        {
            _precinctTokens[precinct] = token = await IssueAsync(Roles.Precinct, precinct, cancellationToken);
        }
        return token;
    }

    private async Task<string> IssueAsync(string role, string? precinct, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("api/v1/admin/tokens", UriKind.Relative))
        {
            Content = JsonContent.Create(new { role, precinct }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminToken);
        using var response = await http.SendAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw new HttpRequestException($"POST /api/v1/admin/tokens ({role}) answered {(int)response.StatusCode}: " +
                await response.Content.ReadAsStringAsync(cancellationToken), null, response.StatusCode);
        }
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(cancellationToken));
        return doc.RootElement.GetProperty("token").GetString()!;
    }
}
