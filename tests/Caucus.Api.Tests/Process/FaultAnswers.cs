using System.Diagnostics;
using System.Net;
using System.Text.Json;

namespace Caucus.Api.Tests.Processes;

/// <summary>One answer to a report, timed, as the fault tests look at it.</summary>
internal sealed record Answer(HttpStatusCode Status, string Body, TimeSpan Elapsed, string? RetryAfter, bool Replayed)
{
    /// <summary>How long a 503 for a hung database may take: the 1.5 s commit deadline, and what a busy test machine adds to it.</summary>
    public static readonly TimeSpan FastRefusal = TimeSpan.FromSeconds(3);

    /// <summary>The service's own default commit deadline, which the fault tests run with (other process tests lengthen it).</summary>
    public static readonly IReadOnlyDictionary<string, string> ProductionDeadline = new Dictionary<string, string>
    {
        ["Caucus__CommitWaitMilliseconds"] = "1500",
    };

    /// <summary>Generous, so a busy machine is not a failure; a wait past it fails the test instead of hanging it.</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    public int Revision => JsonDocument.Parse(Body).RootElement.GetProperty("revision").GetInt32();

    public override string ToString() => $"{(int)Status} in {Elapsed.TotalMilliseconds:0} ms (Retry-After {RetryAfter ?? "none"}): {(Body.Length > 300 ? Body[..300] : Body)}";

    public static async Task<Answer> PostAsync(HttpClient client, string precinct, string body, string key)
    {
        var stopwatch = Stopwatch.StartNew();
        using var request = Api.ReportRequest(precinct, body, key);
        using var response = await client.SendAsync(request).WaitAsync(Deadline);
        var text = await response.Content.ReadAsStringAsync();
        stopwatch.Stop();
        var retryAfter = response.Headers.RetryAfter?.Delta?.TotalSeconds.ToString("0")
            ?? (response.Headers.TryGetValues("Retry-After", out var values) ? values.FirstOrDefault() : null);
        return new Answer(response.StatusCode, text, stopwatch.Elapsed, retryAfter, response.Headers.Contains("Idempotent-Replayed"));
    }

    /// <summary>A timed GET.</summary>
    public static async Task<(HttpStatusCode Status, TimeSpan Elapsed)> GetAsync(HttpClient client, string path)
    {
        var stopwatch = Stopwatch.StartNew();
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative)).WaitAsync(Deadline);
        await response.Content.ReadAsStringAsync();
        return (response.StatusCode, stopwatch.Elapsed);
    }

    /// <summary>A refusal as a hung or dead database must give it: 503 with Retry-After, within <see cref="FastRefusal"/>.</summary>
    public static void AssertFastRefusal(Answer answer, string what)
    {
        Assert.True(answer.Status == HttpStatusCode.ServiceUnavailable, $"{what}: expected 503, got {answer}");
        Assert.True(int.TryParse(answer.RetryAfter, out var seconds) && seconds >= 1, $"{what}: Retry-After missing: {answer}");
        Assert.True(answer.Elapsed < FastRefusal, $"{what}: the 503 took {answer.Elapsed.TotalMilliseconds:0} ms: {answer}");
    }

    /// <summary>Retries with the same key, as a client would, until the report is stored (201); fails past <see cref="Deadline"/>.</summary>
    public static async Task<(Answer Answer, List<string> Attempts)> RetryUntilStoredAsync(HttpClient client, string precinct, string body, string key)
    {
        var since = Stopwatch.StartNew();
        var attempts = new List<string>();
        while (since.Elapsed < Deadline)
        {
            var attempt = await PostAsync(client, precinct, body, key);
            attempts.Add($"{since.ElapsedMilliseconds} ms: {(int)attempt.Status} ({attempt.Elapsed.TotalMilliseconds:0} ms)");
            if (attempt.Status == HttpStatusCode.Created) return (attempt, attempts);
            Assert.True(attempt.Status == HttpStatusCode.ServiceUnavailable,
                $"While recovering: expected 503 or 201, got {attempt}\n{string.Join('\n', attempts)}");
            await Task.Delay(500);
        }

        Assert.Fail($"No retry of {precinct} was stored within {Deadline.TotalSeconds} s:\n{string.Join('\n', attempts)}");
        throw new InvalidOperationException("unreachable");
    }
}
