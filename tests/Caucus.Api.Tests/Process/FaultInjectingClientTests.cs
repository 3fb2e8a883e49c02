using System.Net;
using System.Text.Json;
using Caucus.Api.Tests.Infrastructure;
using Caucus.Cli;
using Xunit.Abstractions;

namespace Caucus.Api.Tests.Processes;

/// <summary>
/// The CLI's client (`caucus submit`'s retries with one Idempotency-Key) behind a handler that loses requests
/// before they are sent, loses answers after the server stored the report, and turns answers into 503s, against
/// a real API process on PostgreSQL: every report converges on exactly one revision.
/// </summary>
[Collection(ApiProcessCollection.Name)]
public sealed class FaultInjectingClientTests(PostgresServer server, ITestOutputHelper output) : IAsyncLifetime
{
    private ApiProcess? _api;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_api is not null)
        {
            output.WriteLine($"---- {_api} output (tail) ----\n{_api.Tail(40)}");
            await _api.DisposeAsync();
        }
    }

    /// <summary>Each request: lost before sending, sent but its answer lost, answered by a made-up 503, or passed through.</summary>
    private sealed class FaultInjectingHandler(int seed) : DelegatingHandler(new SocketsHttpHandler())
    {
        private readonly Random _random = new(seed);
        private readonly Lock _gate = new();

        public int Lost { get; private set; }

        public int AnswersLost { get; private set; }

        public int Injected503 { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            int roll;
            lock (_gate) roll = _random.Next(100);
            if (request.Method != HttpMethod.Post) return await base.SendAsync(request, cancellationToken);
            if (roll < 20)
            {
                lock (_gate) Lost++;
                throw new HttpRequestException("injected: connection reset before the request was sent");
            }

            var response = await base.SendAsync(request, cancellationToken);
            if (roll < 50)
            {
                response.Dispose();
                lock (_gate) AnswersLost++;
                throw new HttpRequestException("injected: connection reset after the server answered");
            }

            if (roll < 65)
            {
                response.Dispose();
                lock (_gate) Injected503++;
                var unavailable = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable) { RequestMessage = request };
                unavailable.Headers.Add("Retry-After", "0");
                return unavailable;
            }

            return response;
        }
    }

    [Fact]
    public async Task A_client_retrying_through_lost_requests_and_lost_answers_stores_each_report_exactly_once()
    {
        var connectionString = await server.CreateDatabaseAsync();
        _api = await ApiProcess.StartAsync("faulty client", "postgres", connectionString, Api.AdminToken);
        using var plain = _api.CreateClient(Api.AdminToken);
        var precincts = (await Api.PrecinctIdsAsync(plain)).Take(40).ToList();

        using var handler = new FaultInjectingHandler(seed: 2020);
        using var http = new HttpClient(handler) { BaseAddress = _api.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Api.AdminToken);
        var log = new StringWriter();
        var client = new ApiClient(http, log, new RetryPolicy(12, TimeSpan.FromMilliseconds(20), TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(1)));

        var answers = await Task.WhenAll(precincts.Select(async (precinct, i) =>
        {
            var (status, body) = await client.PostJsonAsync(Api.ReportUri(precinct).ToString(), Api.ReportBody(5 + (i % 6), 4), $"faulty-{i}");
            return (precinct, status, body);
        }));

        output.WriteLine($"Injected: {handler.Lost} requests lost, {handler.AnswersLost} answers lost, {handler.Injected503} made-up 503s.");
        Assert.True(handler.AnswersLost > 0 && handler.Lost > 0 && handler.Injected503 > 0, "The handler did not inject every kind of fault.");
        foreach (var (precinct, status, body) in answers)
        {
            Assert.True(status == HttpStatusCode.Created, $"{precinct}: {(int)status} {body}\n{log}");
            Assert.Equal(1, JsonDocument.Parse(body).RootElement.GetProperty("revision").GetInt32());
            Assert.Equal(1, Api.Revision(await Api.GetJsonAsync(plain, Api.PrecinctUri(precinct))));
            Assert.Single((await Api.GetJsonAsync(plain, Api.AuditUri(precinct))).GetProperty("revisions").EnumerateArray());
        }

        Assert.Equal(precincts.Count, Api.Reporting(await Api.GetJsonAsync(plain, Api.ResultsUri)));
    }
}
