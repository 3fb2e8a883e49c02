using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.Timeout;

namespace Caucus.Cli;

/// <summary>
/// How hard the CLI tries a request that is safe to resend: <see cref="MaxRetryAttempts"/> retries after
/// the first attempt, jittered exponential backoff from <see cref="BaseDelay"/> unless the server's
/// Retry-After says how long, <see cref="AttemptTimeout"/> per attempt and <see cref="TotalTimeout"/> in all.
/// </summary>
public sealed record RetryPolicy(int MaxRetryAttempts, TimeSpan BaseDelay, TimeSpan AttemptTimeout, TimeSpan TotalTimeout)
{
    public static RetryPolicy Default { get; } = new(5, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(2));
}

/// <summary>
/// The CLI's HTTP client for a running Caucus API. Requests that are safe to resend — GETs, and POSTs
/// carrying an Idempotency-Key, which the API answers once however often it arrives — go through a Polly
/// pipeline: a total timeout around Polly's HTTP retry (network errors, attempt time-outs, 408, 429, 5xx;
/// Retry-After honoured) around a per-attempt timeout. A POST without a key is sent once: resending it
/// could do its work twice (issue two tokens).
/// </summary>
public sealed class ApiClient
{
    private readonly HttpClient _http;
    private readonly ResiliencePipeline<HttpResponseMessage> _resendable;
    private readonly ResiliencePipeline<HttpResponseMessage> _once;

    public ApiClient(HttpClient http, TextWriter log, RetryPolicy? retry = null)
    {
        ArgumentNullException.ThrowIfNull(log);
        _http = http;
        var policy = retry ?? RetryPolicy.Default;
        _resendable = new ResiliencePipelineBuilder<HttpResponseMessage>()
            .AddTimeout(policy.TotalTimeout)
            .AddRetry(new HttpRetryStrategyOptions
            {
                // The defaults of HttpRetryStrategyOptions: retry on HttpRequestException, TimeoutRejectedException
                // (the attempt timeout below), 408, 429 and 5xx, and wait what a Retry-After header asks for.
                MaxRetryAttempts = policy.MaxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = policy.BaseDelay,
                MaxDelay = TimeSpan.FromSeconds(30),
                ShouldRetryAfterHeader = true,
                OnRetry = args =>
                {
                    var what = args.Outcome.Result is { } response ? $"{(int)response.StatusCode} {response.StatusCode}"
                        : args.Outcome.Exception is TimeoutRejectedException ? $"no answer within {policy.AttemptTimeout.TotalSeconds:0.#} s"
                        : args.Outcome.Exception?.Message;
                    log.WriteLine($"attempt {args.AttemptNumber + 1}: {what}; retrying in {args.RetryDelay.TotalSeconds:0.#} s");
                    return ValueTask.CompletedTask;
                },
            })
            .AddTimeout(policy.AttemptTimeout)
            .Build();
        _once = new ResiliencePipelineBuilder<HttpResponseMessage>().AddTimeout(policy.AttemptTimeout).Build();
    }

    /// <summary>An HttpClient for <paramref name="baseUrl"/>; its own timeout is off, the pipelines' time-outs bound every request.</summary>
    public static HttpClient Create(string baseUrl, string token)
    {
        var http = new HttpClient { BaseAddress = new Uri(baseUrl.TrimEnd('/') + "/"), Timeout = Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    /// <summary>
    /// POSTs <paramref name="json"/>; with an <paramref name="idempotencyKey"/>, every attempt carries that
    /// same key. Throws <see cref="HttpRequestException"/> or <see cref="TimeoutRejectedException"/> when no
    /// attempt got an answer.
    /// </summary>
    public async Task<(HttpStatusCode Status, string Body)> PostJsonAsync(string path, string json, string? idempotencyKey,
        CancellationToken cancellationToken = default)
    {
        var pipeline = idempotencyKey is null ? _once : _resendable;
        using var response = await pipeline.ExecuteAsync(async ct =>
        {
            // A fresh request per attempt: a sent HttpRequestMessage cannot be sent again.
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
            if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
            return await _http.SendAsync(request, ct);
        }, cancellationToken);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
    }

    public async Task<(HttpStatusCode Status, string Body)> GetAsync(string path, CancellationToken cancellationToken = default)
    {
        using var response = await _resendable.ExecuteAsync(async ct => await _http.GetAsync(path, ct), cancellationToken);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
    }

    /// <summary>DELETE is idempotent, so it is resent like a GET.</summary>
    public async Task<(HttpStatusCode Status, string Body)> DeleteAsync(string path, CancellationToken cancellationToken = default)
    {
        using var response = await _resendable.ExecuteAsync(async ct => await _http.DeleteAsync(path, ct), cancellationToken);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
    }
}
