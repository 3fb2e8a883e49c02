using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Caucus.Api.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Caucus.Api.Tests.Processes;

/// <summary>
/// PostgreSQL goes away under a running API: reads go on from memory, a report is refused fast with
/// 503 + Retry-After (the circuit breaker), and once the database is back the client's retry with the
/// same Idempotency-Key is stored. Stops the cluster of the "api-processes" collection (whose tests run
/// one at a time), and always starts it again; when that is an existing server (CAUCUS_TEST_POSTGRES),
/// which tests never stop, it starts and stops a throwaway cluster of its own instead.
/// </summary>
[Collection(ApiProcessCollection.Name)]
public sealed class DatabaseDownTests(PostgresServer server, ITestOutputHelper output) : DatabaseFaultTest(server, output)
{
    /// <summary>How long a wait may take before the test fails: generous, so a busy machine is not a failure.</summary>
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private sealed record Answer(HttpStatusCode Status, string Body, TimeSpan Elapsed, string? RetryAfter, bool Replayed);

    private static async Task<Answer> PostAsync(HttpClient client, string precinct, string body, string key)
    {
        var stopwatch = Stopwatch.StartNew();
        using var request = Api.ReportRequest(precinct, body, key);
        // An answer that does not come within the deadline fails the test (TimeoutException) rather than hanging it.
        using var response = await client.SendAsync(request).WaitAsync(Deadline);
        var text = await response.Content.ReadAsStringAsync();
        stopwatch.Stop();
        var retryAfter = response.Headers.RetryAfter?.Delta?.TotalSeconds.ToString("0")
            ?? (response.Headers.TryGetValues("Retry-After", out var values) ? values.FirstOrDefault() : null);
        return new Answer(response.StatusCode, text, stopwatch.Elapsed, retryAfter, response.Headers.Contains("Idempotent-Replayed"));
    }

    [Fact]
    public async Task With_the_database_down_reads_answer_from_memory_reports_get_a_fast_503_and_a_retry_succeeds_once_it_is_back()
    {
        var (postgres, service) = await StartOnStoppableServerAsync("db-down");
        using var client = service.CreateClient(Api.AdminToken);
        var precincts = await Api.PrecinctIdsAsync(client);
        string stored = precincts[0], refused = precincts[1];
        var refusedBody = Api.ReportBody(8, 6);
        const string RefusedKey = "db-down-refused-1";

        var first = await PostAsync(client, stored, Api.ReportBody(6, 4), "db-down-stored-1");
        Assert.True(first.Status == HttpStatusCode.Created, $"Before the outage: {(int)first.Status} {first.Body}");

        var down = false;
        try
        {
            await postgres.StopAsync();
            down = true;
            Output.WriteLine("PostgreSQL stopped.");

            // Reads are served from memory.
            var results = await Api.GetJsonAsync(client, Api.ResultsUri);
            Assert.Equal(1, Api.Reporting(results));
            Assert.Equal(1, Api.Revision(await Api.GetJsonAsync(client, Api.PrecinctUri(stored))));

            // A report is refused with 503 + Retry-After, not left waiting for the database.
            var refusal = await PostAsync(client, refused, refusedBody, RefusedKey);
            Output.WriteLine($"First POST while down: {(int)refusal.Status} in {refusal.Elapsed.TotalMilliseconds:0} ms, Retry-After {refusal.RetryAfter}: {refusal.Body}");
            Assert.True(refusal.Status == HttpStatusCode.ServiceUnavailable, $"Expected 503, got {(int)refusal.Status}: {refusal.Body}");
            Assert.True(int.TryParse(refusal.RetryAfter, out var retryAfter) && retryAfter >= 1, $"Retry-After: '{refusal.RetryAfter}'.");
            Assert.True(refusal.Elapsed < Caucus.Api.Tests.Processes.Answer.FastRefusal, $"The 503 took {refusal.Elapsed.TotalMilliseconds:0} ms.");

            // The client retries at once, while the circuit is open: refused again with Retry-After (that the
            // store's open circuit refuses without trying is PostgresStoreTests' dead-database test).
            var again = await PostAsync(client, refused, refusedBody, RefusedKey);
            Output.WriteLine($"Second POST while down: {(int)again.Status} in {again.Elapsed.TotalMilliseconds:0} ms, Retry-After {again.RetryAfter}");
            Assert.True(again.Status == HttpStatusCode.ServiceUnavailable, $"Expected 503, got {(int)again.Status}: {again.Body}");
            Assert.NotNull(again.RetryAfter);
            Assert.True(again.Elapsed < Caucus.Api.Tests.Processes.Answer.FastRefusal, $"The second 503 took {again.Elapsed.TotalMilliseconds:0} ms.");

            // Liveness is about the process, readiness about the database.
            Assert.Equal(HttpStatusCode.OK, (await Caucus.Api.Tests.Processes.Answer.GetAsync(client, "healthz")).Status);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await Caucus.Api.Tests.Processes.Answer.GetAsync(client, "readyz")).Status);

            // Reads still work, and still show only what was stored.
            Assert.Equal(1, Api.Reporting(await Api.GetJsonAsync(client, Api.ResultsUri)));
            Assert.Equal(0, Api.Revision(await Api.GetJsonAsync(client, Api.PrecinctUri(refused))));

            // The audit trail lives in the database: unavailable is 503, not 500.
            using var audit = await client.GetAsync(Api.AuditUri(stored));
            Assert.True(audit.StatusCode == HttpStatusCode.ServiceUnavailable,
                $"Audit while down: expected 503, got {(int)audit.StatusCode}: {await audit.Content.ReadAsStringAsync()}");

            // A token this instance has never seen cannot be checked: 503 (try again), not 401 (you are wrong).
            using (var unseen = new HttpRequestMessage(HttpMethod.Get, Api.ResultsUri))
            {
                unseen.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "cau_never-issued-token");
                using var answer = await client.SendAsync(unseen);
                Assert.True(answer.StatusCode == HttpStatusCode.ServiceUnavailable,
                    $"Unseen token while down: expected 503, got {(int)answer.StatusCode}: {await answer.Content.ReadAsStringAsync()}");
            }

            await postgres.StartAsync();
            down = false;
            Output.WriteLine("PostgreSQL started again.");
        }
        finally
        {
            if (down)
            {
                await postgres.StartAsync();
            }
        }

        // The client keeps retrying with the same key; before the deadline one attempt is stored.
        var since = Stopwatch.StartNew();
        var attempts = new List<string>();
        Answer? accepted = null;
        while (since.Elapsed < Deadline)
        {
            var attempt = await PostAsync(client, refused, refusedBody, RefusedKey);
            attempts.Add($"{since.ElapsedMilliseconds} ms: {(int)attempt.Status} ({attempt.Elapsed.TotalMilliseconds:0} ms)");
            if (attempt.Status == HttpStatusCode.Created)
            {
                accepted = attempt;
                break;
            }

            Assert.True(attempt.Status == HttpStatusCode.ServiceUnavailable,
                $"While recovering: expected 503 or 201, got {(int)attempt.Status}: {attempt.Body}\n{string.Join('\n', attempts)}");
            await Task.Delay(500);
        }

        Output.WriteLine("Retries after the restart: " + string.Join("; ", attempts));
        Assert.True(accepted is not null, $"No retry succeeded within {Deadline.TotalSeconds} s of PostgreSQL starting again:\n{string.Join('\n', attempts)}");
        Assert.False(accepted.Replayed, "The refused report was not stored, so its retry is new, not a replay.");
        Assert.Equal(1, JsonDocument.Parse(accepted.Body).RootElement.GetProperty("revision").GetInt32());

        // Stored once, counted, and the report from before the outage is still there.
        Assert.Equal(2, Api.Reporting(await Api.GetJsonAsync(client, Api.ResultsUri)));
        Assert.Equal(1, Api.Revision(await Api.GetJsonAsync(client, Api.PrecinctUri(refused))));
        var trail = await Api.GetJsonAsync(client, Api.AuditUri(refused));
        var revision = Assert.Single(trail.GetProperty("revisions").EnumerateArray());
        Assert.Equal(RefusedKey, revision.GetProperty("idempotencyKey").GetString());
        Assert.Equal(refusedBody, revision.GetProperty("rawBody").GetString());
        Assert.Single((await Api.GetJsonAsync(client, Api.AuditUri(stored))).GetProperty("revisions").EnumerateArray());

        // One more retry of the same key is now a replay.
        var replay = await PostAsync(client, refused, refusedBody, RefusedKey);
        Assert.Equal(HttpStatusCode.Created, replay.Status);
        Assert.True(replay.Replayed);
    }
}
