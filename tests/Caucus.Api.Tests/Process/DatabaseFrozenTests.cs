using System.Net;
using Caucus.Api.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Caucus.Api.Tests.Processes;

/// <summary>
/// PostgreSQL frozen with SIGSTOP under a running API (a hung host or disk: connections stay open, connects are
/// accepted, nothing answers). Reads go on from memory; every report is answered 503 + Retry-After within the
/// 1.5 s commit deadline (so within 2 s), never left hanging; /readyz says 503 and /healthz 200; once the server is resumed the
/// client's retries with the same keys are stored, each exactly once, without restarting the API.
/// </summary>
[Collection(ApiProcessCollection.Name)]
public sealed class DatabaseFrozenTests(PostgresServer server, ITestOutputHelper output) : DatabaseFaultTest(server, output)
{
    [Fact]
    public async Task With_the_database_frozen_reads_answer_writes_get_503_within_2_s_and_recover_when_it_resumes()
    {
        var (postgres, service) = await StartOnStoppableServerAsync("frozen-db");
        using var client = service.CreateClient(Api.AdminToken, timeout: Answer.Deadline);
        var precincts = await Api.PrecinctIdsAsync(client);
        var stored = precincts[0];
        Assert.Equal(HttpStatusCode.Created, (await Answer.PostAsync(client, stored, Api.ReportBody(6, 4), "frozen-stored")).Status);

        var refused = Enumerable.Range(1, 5).Select(i => (Precinct: precincts[i], Body: Api.ReportBody(5 + i, 4), Key: $"frozen-{i}")).ToList();
        var frozen = false;
        try
        {
            postgres.Freeze();
            frozen = true;
            Output.WriteLine("PostgreSQL frozen (SIGSTOP).");

            // Every report is refused fast: the first waits out the commit deadline, the later ones too or, once the
            // circuit is open, are refused at once without being queued.
            foreach (var (precinct, body, key) in refused)
            {
                var answer = await Answer.PostAsync(client, precinct, body, key);
                Output.WriteLine($"POST {precinct} while frozen: {answer}");
                Answer.AssertFastRefusal(answer, $"POST {precinct} while frozen");

                // Reads come from memory, fast. Timing is the subject: a read that waited for the database would take
                // the 1.5 s commit deadline or hang, so 1 s separates the two (a read from memory takes milliseconds,
                // a hundred times less, even on a busy machine).
                var results = await Answer.GetAsync(client, "api/v1/results");
                Assert.Equal(HttpStatusCode.OK, results.Status);
                Assert.True(results.Elapsed < TimeSpan.FromSeconds(1), $"GET results took {results.Elapsed.TotalMilliseconds:0} ms while frozen.");
            }

            Assert.Equal(1, Api.Reporting(await Api.GetJsonAsync(client, Api.ResultsUri)));
            Assert.Equal(1, Api.Revision(await Api.GetJsonAsync(client, Api.PrecinctUri(stored))));
            // Liveness is about the process, readiness about the database.
            Assert.Equal(HttpStatusCode.OK, (await Answer.GetAsync(client, "healthz")).Status);
            var ready = await Answer.GetAsync(client, "readyz");
            Output.WriteLine($"readyz while frozen: {(int)ready.Status} in {ready.Elapsed.TotalMilliseconds:0} ms");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.Status);
            Assert.True(ready.Elapsed < Answer.FastRefusal, $"readyz took {ready.Elapsed.TotalMilliseconds:0} ms.");
        }
        finally
        {
            if (frozen)
            {
                postgres.Thaw();
                Output.WriteLine("PostgreSQL resumed (SIGCONT).");
            }
        }

        // No restart: the same process stores the client's retries (a write that committed late is replayed).
        foreach (var (precinct, body, key) in refused)
        {
            var (answer, attempts) = await Answer.RetryUntilStoredAsync(client, precinct, body, key);
            Output.WriteLine($"{precinct} stored after resuming ({(answer.Replayed ? "replayed" : "new")}): {string.Join("; ", attempts)}");
            Assert.Equal(1, answer.Revision);
        }

        foreach (var (precinct, _, _) in refused)
        {
            Assert.Equal(1, Api.Revision(await Api.GetJsonAsync(client, Api.PrecinctUri(precinct))));
            Assert.Single((await Api.GetJsonAsync(client, Api.AuditUri(precinct))).GetProperty("revisions").EnumerateArray());
        }

        Assert.Equal(1 + refused.Count, Api.Reporting(await Api.GetJsonAsync(client, Api.ResultsUri)));
        var readyAgain = await Api.PollAsync(async () => (await Answer.GetAsync(client, "readyz")).Status == HttpStatusCode.OK,
            TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(250));
        Assert.NotNull(readyAgain);
    }
}
