using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Caucus.Api.Tests.Infrastructure;

namespace Caucus.Api.Tests.Http;

/// <summary>An answer read whole: status, headers and body text (parsed as JSON on demand).</summary>
public sealed record ApiResponse(HttpStatusCode Status, IReadOnlyDictionary<string, string> Headers, string Text)
{
    public JsonElement Json
    {
        get
        {
            using var document = JsonDocument.Parse(Text);
            return document.RootElement.Clone();
        }
    }

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    public override string ToString() => $"{(int)Status} {Text}";
}

/// <summary>Raw HTTP against one running API instance: JSON bodies as strings, bearer tokens per request.</summary>
public sealed class ApiClient(HttpClient http)
{
    public HttpClient Http => http;

    /// <summary>A precinct id as one URL segment ('/' sent as %2F).</summary>
    public static string PrecinctPath(string id) => "/api/v1/precincts/" + Uri.EscapeDataString(id);

    public static string ReportsPath(string id) => PrecinctPath(id) + "/reports";

    public static string AuditPath(string id) => "/api/v1/audit/precincts/" + Uri.EscapeDataString(id);

    public Task<ApiResponse> GetAsync(string path, string? token = ApiFactory.AdminToken, string? ifNoneMatch = null) =>
        SendAsync(HttpMethod.Get, path, token, body: null, ifNoneMatch is null ? [] : [("If-None-Match", ifNoneMatch)]);

    public Task<ApiResponse> PostAsync(string path, string body, string? token = ApiFactory.AdminToken, string? idempotencyKey = null) =>
        SendAsync(HttpMethod.Post, path, token, body, idempotencyKey is null ? [] : [("Idempotency-Key", idempotencyKey)]);

    public Task<ApiResponse> PostReportAsync(string precinct, string body, string? token = ApiFactory.AdminToken, string? idempotencyKey = null) =>
        PostAsync(ReportsPath(precinct), body, token, idempotencyKey);

    public async Task<ApiResponse> SendAsync(HttpMethod method, string path, string? token, string? body, IEnumerable<(string Name, string Value)> headers)
    {
        using var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var all = response.Headers.Concat(response.Content.Headers)
            .ToDictionary(h => h.Key, h => string.Join(", ", h.Value), StringComparer.OrdinalIgnoreCase);
        return new ApiResponse(response.StatusCode, all, text);
    }

    /// <summary>POST /api/v1/admin/certify naming the results version the caller looked at (the current one unless given).</summary>
    public async Task<ApiResponse> CertifyAsync(string body = "{}", string? token = ApiFactory.AdminToken, long? version = null)
    {
        var looked = version ?? (await GetAsync("/api/v1/results")).Json.GetProperty("version").GetInt64();
        return await SendAsync(HttpMethod.Post, "/api/v1/admin/certify", token, body, [("If-Match", $"\"{looked}\"")]);
    }

    public Task<ApiResponse> DeleteAsync(string path, string? token = ApiFactory.AdminToken) => SendAsync(HttpMethod.Delete, path, token, body: null, []);

    /// <summary>Issues a token through the admin endpoint and returns it with its id (what revocation names).</summary>
    public async Task<(string Token, string Id)> IssueCredentialAsync(string role, string? precinct = null)
    {
        var response = await PostAsync("/api/v1/admin/tokens", precinct is null ? $$"""{"role":"{{role}}"}""" : $$"""{"role":"{{role}}","precinct":"{{precinct}}"}""");
        Assert.True(response.Status == HttpStatusCode.Created, $"Issuing a {role} token: {response}");
        return (response.Json.GetProperty("token").GetString()!, response.Json.GetProperty("id").GetString()!);
    }

    /// <summary>Issues a token through the admin endpoint and returns it.</summary>
    public async Task<string> IssueTokenAsync(string role, string? precinct = null, string? source = null)
    {
        var body = precinct is null ? $$"""{"role":"{{role}}"}"""
            : source is null ? $$"""{"role":"{{role}}","precinct":"{{precinct}}"}"""
            : $$"""{"role":"{{role}}","precinct":"{{precinct}}","source":"{{source}}"}""";
        var response = await PostAsync("/api/v1/admin/tokens", body);
        Assert.True(response.Status == HttpStatusCode.Created, $"Issuing a {role} token: {response}");
        return response.Json.GetProperty("token").GetString()!;
    }
}
