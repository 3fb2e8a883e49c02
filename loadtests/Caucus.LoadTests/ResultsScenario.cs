using System.Net;

namespace Caucus.LoadTests;

/// <summary>War-room polling: GET /api/v1/results with If-None-Match of the last ETag seen; 200 and 304 are both fine.</summary>
internal sealed class ResultsScenario(double rate) : Scenario("results", rate)
{
    private volatile string? etag;
    private long bytes200;

    public override IEnumerable<string> Notes()
    {
        yield return $"Last ETag seen: {etag ?? "(none)"}; {Interlocked.Read(ref bytes200):N0} body bytes read from 200 answers.";
    }

    public override PlannedRequest Plan(long index) => SendAsync;

    private async Task<RequestResult> SendAsync(HttpClient client, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/v1/results");
        var tag = etag;
        if (tag is not null) request.Headers.TryAddWithoutValidation("If-None-Match", tag);
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        switch (response.StatusCode)
        {
            case HttpStatusCode.OK:
                if (response.Headers.TryGetValues("ETag", out var tags) && tags.FirstOrDefault() is { Length: > 0 } newTag) etag = newTag;
                else return RequestResult.Fail("200 without ETag");
                Interlocked.Add(ref bytes200, body.Length);
                return RequestResult.Pass("200");
            case HttpStatusCode.NotModified:
                return RequestResult.Pass("304");
            default:
                return RequestResult.Fail($"HTTP {(int)response.StatusCode}");
        }
    }
}
