using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Caucus.Cli;

/// <summary>
/// The CLI's HTTP client for a running Caucus API. Sends with retries where a retry is safe:
/// network failures, 503 (honouring Retry-After) and other 5xx; report submissions carry an
/// Idempotency-Key so a retry never counts twice.
/// </summary>
public sealed class ApiClient(HttpClient http, TextWriter log, int maxAttempts = 6)
{
    public static HttpClient Create(string baseUrl, string token)
    {
        var http = new HttpClient { BaseAddress = new Uri(baseUrl.TrimEnd('/') + "/"), Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    public async Task<(HttpStatusCode Status, string Body)> PostJsonAsync(string path, string json, string? idempotencyKey,
        CancellationToken cancellationToken = default)
    {
        var delay = TimeSpan.FromMilliseconds(250);
        for (var attempt = 1; ; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
            if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
            try
            {
                using var response = await http.SendAsync(request, cancellationToken);
                var body = await response.Content.ReadAsStringAsync(cancellationToken);
                var retryable = (int)response.StatusCode >= 500 && idempotencyKey is not null;
                if (!retryable || attempt >= maxAttempts) return (response.StatusCode, body);
                var wait = response.Headers.RetryAfter?.Delta ?? delay;
                log.WriteLine($"attempt {attempt}: {(int)response.StatusCode}, retrying in {wait.TotalSeconds:0.#} s with the same Idempotency-Key");
                await Task.Delay(wait, cancellationToken);
            }
            catch (HttpRequestException e) when (idempotencyKey is not null && attempt < maxAttempts)
            {
                log.WriteLine($"attempt {attempt}: {e.Message}; retrying in {delay.TotalSeconds:0.#} s with the same Idempotency-Key");
                await Task.Delay(delay, cancellationToken);
            }
            // Jittered exponential backoff, so many clients retrying after an outage do not arrive together.
            delay = TimeSpan.FromMilliseconds(Math.Min(8000, delay.TotalMilliseconds * 2) * (0.5 + Random.Shared.NextDouble()));
        }
    }

    public async Task<(HttpStatusCode Status, string Body)> GetAsync(string path, CancellationToken cancellationToken = default)
    {
        using var response = await http.GetAsync(path, cancellationToken);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
    }
}
