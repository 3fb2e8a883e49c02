using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Caucus.Api.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Caucus.Api.Tests.Processes;

/// <summary>
/// Two API processes on one PostgreSQL database (DESIGN.md: stateless instances behind a load balancer,
/// each kept current by LISTEN/NOTIFY): a report sent to one is served by the other (waited for with a
/// generous deadline; the time it took is written to the output), and after reports spread over both
/// they publish the same results.
/// </summary>
[Collection(ApiProcessCollection.Name)]
public sealed class TwoInstanceTests(PostgresServer server, ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);

    /// <summary>How long a wait may take before the test fails: generous, so a busy machine is not a failure.</summary>
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly List<ApiProcess> _processes = [];
    private readonly List<HttpClient> _clients = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        foreach (var api in _processes)
        {
            output.WriteLine($"---- {api} output (tail) ----\n{api.Tail(30)}");
            await api.DisposeAsync();
        }
    }

    private async Task<(HttpClient A, HttpClient B)> StartTwoAsync()
    {
        var connectionString = await server.CreateDatabaseAsync();
        var a = await ApiProcess.StartAsync("A", "postgres", connectionString, Api.AdminToken);
        _processes.Add(a);
        var b = await ApiProcess.StartAsync("B", "postgres", connectionString, Api.AdminToken);
        _processes.Add(b);
        var clientA = a.CreateClient(Api.AdminToken);
        var clientB = b.CreateClient(Api.AdminToken);
        _clients.Add(clientA);
        _clients.Add(clientB);
        return (clientA, clientB);
    }

    private static async Task<int> PostAsync(HttpClient client, string precinct, string body, string key)
    {
        using var request = Api.ReportRequest(precinct, body, key);
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"POST {precinct}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("revision").GetInt32();
    }

    /// <summary>Time from the writer's 201 until the reader serves the precinct's revision and counts it in the results.</summary>
    private async Task<TimeSpan?> VisibleAsync(HttpClient reader, string precinct, int revision, int reporting)
    {
        var elapsed = await Api.PollAsync(async () =>
            Api.Revision(await Api.GetJsonAsync(reader, Api.PrecinctUri(precinct))) == revision
            && Api.Reporting(await Api.GetJsonAsync(reader, Api.ResultsUri)) >= reporting,
            Deadline, Poll);
        output.WriteLine($"{precinct} revision {revision} visible on the other instance after {elapsed?.TotalMilliseconds:0} ms");
        return elapsed;
    }

    [Fact]
    public async Task A_report_sent_to_one_instance_is_served_by_the_other_both_ways()
    {
        var (a, b) = await StartTwoAsync();
        var precincts = await Api.PrecinctIdsAsync(a);
        // Warm both instances' read paths, so the logged times measure propagation rather than first-call JIT.
        foreach (var client in (HttpClient[])[a, b])
        {
            await Api.GetJsonAsync(client, Api.ResultsUri);
            await Api.GetJsonAsync(client, Api.PrecinctUri(precincts[^1]));
        }

        // A → B
        Assert.Equal(1, await PostAsync(a, precincts[0], Api.ReportBody(7, 5), "two-1"));
        var toB = await VisibleAsync(b, precincts[0], 1, 1);
        Assert.True(toB is not null, $"A's report did not reach B within {Deadline.TotalSeconds} s.");

        // B → A
        Assert.Equal(1, await PostAsync(b, precincts[1], Api.ReportBody(4, 9), "two-2"));
        var toA = await VisibleAsync(a, precincts[1], 1, 2);
        Assert.True(toA is not null, $"B's report did not reach A within {Deadline.TotalSeconds} s.");

        // A correction of A's precinct sent to B reaches A too, as revision 2.
        Assert.Equal(2, await PostAsync(b, precincts[0], Api.ReportBody(5, 7), "two-3"));
        var back = await VisibleAsync(a, precincts[0], 2, 2);
        Assert.True(back is not null, $"B's correction did not reach A within {Deadline.TotalSeconds} s.");
        var counted = (await Api.GetJsonAsync(a, Api.PrecinctUri(precincts[0]))).GetProperty("counted");
        Assert.Equal(new Dictionary<string, int> { ["Sanders"] = 5, ["Warren"] = 7 }, Api.Counts(counted.GetProperty("final")));
    }

    [Fact]
    public async Task After_fifty_reports_spread_over_both_instances_they_publish_the_same_results()
    {
        var (a, b) = await StartTwoAsync();
        var all = await Api.PrecinctIdsAsync(a);
        var precincts = Enumerable.Range(0, 40).Select(i => all[(i * 37) % all.Count]).Distinct().ToList();
        Assert.Equal(40, precincts.Count);

        // 40 first reports, 8 at a time, alternating instances.
        using var gate = new SemaphoreSlim(8);
        await Task.WhenAll(precincts.Select(async (precinct, i) =>
        {
            await gate.WaitAsync();
            try
            {
                Assert.Equal(1, await PostAsync(i % 2 == 0 ? a : b, precinct, Api.ReportBody(3 + (i % 9), 2 + (i % 5)), $"spread-{i}"));
            }
            finally
            {
                gate.Release();
            }
        }));

        // 10 corrections, each sent to the instance that did not take the first report.
        var corrections = new Dictionary<string, Dictionary<string, int>>();
        for (var i = 0; i < 10; i++)
        {
            int sanders = 10 + i, warren = 1 + i;
            Assert.Equal(2, await PostAsync(i % 2 == 0 ? b : a, precincts[i], Api.ReportBody(sanders, warren), $"correction-{i}"));
            corrections[precincts[i]] = new() { ["Sanders"] = sanders, ["Warren"] = warren };
        }

        // Both instances converge on the same document (poll briefly: the last commit may still be on its way).
        JsonElement resultsA = default, resultsB = default;
        var stopwatch = Stopwatch.StartNew();
        var converged = await Api.PollAsync(async () =>
        {
            resultsA = await Api.GetJsonAsync(a, Api.ResultsUri);
            resultsB = await Api.GetJsonAsync(b, Api.ResultsUri);
            return Api.Reporting(resultsA) == 40 && Api.Reporting(resultsB) == 40
                && Candidates(resultsA) == Candidates(resultsB) && Api.Version(resultsA) == Api.Version(resultsB);
        }, Deadline, Poll);
        output.WriteLine($"A: version {Api.Version(resultsA)}, reporting {Api.Reporting(resultsA)}, {Api.SdeLine(resultsA)}");
        output.WriteLine($"B: version {Api.Version(resultsB)}, reporting {Api.Reporting(resultsB)}, {Api.SdeLine(resultsB)}");
        Assert.True(converged is not null, $"The instances did not converge within {stopwatch.ElapsedMilliseconds} ms:\n" +
            $"A: reporting {Api.Reporting(resultsA)}: {Candidates(resultsA)}\nB: reporting {Api.Reporting(resultsB)}: {Candidates(resultsB)}");
        Assert.Equal(Api.SdeLine(resultsA), Api.SdeLine(resultsB));
        // The version is derived from the shared durable state, so both instances name it alike.
        Assert.Equal(Api.Version(resultsA), Api.Version(resultsB));
        Assert.Equal(Api.Reporting(resultsA), Api.Reporting(resultsB));
        Assert.NotEqual("0.0000", Sde(resultsA, "Sanders"));

        // And every precinct reads the same on both, corrections included.
        foreach (var precinct in precincts)
        {
            var onA = await Api.GetJsonAsync(a, Api.PrecinctUri(precinct));
            var onB = await Api.GetJsonAsync(b, Api.PrecinctUri(precinct));
            var expectedRevision = corrections.ContainsKey(precinct) ? 2 : 1;
            Assert.Equal(expectedRevision, Api.Revision(onA));
            Assert.Equal(expectedRevision, Api.Revision(onB));
            Assert.Equal(onA.GetProperty("allocation").GetRawText(), onB.GetProperty("allocation").GetRawText());
            if (corrections.TryGetValue(precinct, out var expected))
            {
                Assert.Equal(expected, Api.Counts(onA.GetProperty("counted").GetProperty("final")));
                Assert.Equal(expected, Api.Counts(onB.GetProperty("counted").GetProperty("final")));
            }
        }
    }

    [Fact]
    public async Task A_credential_revoked_on_one_instance_is_refused_by_the_other_within_a_second_and_its_stream_there_closes()
    {
        var (a, b) = await StartTwoAsync();
        using var issue = await a.PostAsync(new Uri("api/v1/admin/tokens", UriKind.Relative),
            new StringContent("""{"role":"warroom"}""", Encoding.UTF8, "application/json"));
        var issued = JsonDocument.Parse(await issue.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(HttpStatusCode.Created, issue.StatusCode);
        var token = issued.GetProperty("token").GetString()!;
        var id = issued.GetProperty("id").GetString()!;

        async Task<HttpStatusCode> ResultsOnB()
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, Api.ResultsUri);
            request.Headers.Authorization = new("Bearer", token);
            using var response = await b.SendAsync(request);
            return response.StatusCode;
        }

        // B knows the credential (cached: it would keep working there with the database down) and streams to it.
        Assert.Equal(HttpStatusCode.OK, await ResultsOnB());
        using var cts = new CancellationTokenSource(Deadline);
        using var streamRequest = new HttpRequestMessage(HttpMethod.Get, new Uri("api/v1/stream", UriKind.Relative));
        streamRequest.Headers.Authorization = new("Bearer", token);
        using var stream = await b.SendAsync(streamRequest, HttpCompletionOption.ResponseHeadersRead, cts.Token);
        Assert.Equal(HttpStatusCode.OK, stream.StatusCode);
        using var reader = new StreamReader(await stream.Content.ReadAsStreamAsync(cts.Token));
        Assert.StartsWith("event: results", await reader.ReadLineAsync(cts.Token), StringComparison.Ordinal);
        var streamEnded = reader.ReadToEndAsync(cts.Token);

        using (var revoke = await a.DeleteAsync(new Uri($"api/v1/admin/tokens/{Uri.EscapeDataString(id)}", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        }

        var refused = await Api.PollAsync(async () => await ResultsOnB() == HttpStatusCode.Unauthorized, Deadline, TimeSpan.FromMilliseconds(20));
        output.WriteLine($"Revoked on A, refused on B after {refused?.TotalMilliseconds:0} ms");
        Assert.True(refused is not null, $"B still accepted the revoked credential after {Deadline.TotalSeconds} s.");
        Assert.True(refused < TimeSpan.FromSeconds(1.5), $"B refused the revoked credential only after {refused?.TotalMilliseconds:0} ms.");
        await streamEnded; // the stream's own deadline (cts) fails the test if B keeps it open

        // Both instances log it: A as it revokes, B as it applies the revocation.
        foreach (var api in _processes)
        {
            Assert.True(await Api.PollAsync(() => Task.FromResult(api.Output.Contains($"Credential {id} ", StringComparison.Ordinal)
                && api.Output.Contains("revoked by env-admin", StringComparison.Ordinal)), Deadline, Poll) is not null, $"{api} did not log the revocation.");
        }
    }

    private static string Candidates(JsonElement results) => results.GetProperty("candidates").GetRawText();

    private static string? Sde(JsonElement results, string name) => results.GetProperty("candidates").EnumerateArray()
        .Single(c => c.GetProperty("name").GetString() == name).GetProperty("sde").GetString();
}
