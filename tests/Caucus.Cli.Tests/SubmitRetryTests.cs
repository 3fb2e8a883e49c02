using Caucus.Cli.Commands;
using Microsoft.AspNetCore.Http;

namespace Caucus.Cli.Tests;

/// <summary>
/// `caucus submit` against a loopback server that fails on purpose: it retries what is safe to retry, with
/// the same Idempotency-Key every time, waits what Retry-After asks, gives up on an attempt that takes too
/// long, stops after a bounded number of attempts, and printed the key before it sent anything.
/// </summary>
public sealed class SubmitRetryTests : IDisposable
{
    private const string Report = """{"attendees":10,"first":{"Sanders":10},"final":{"Sanders":10},"source":"captain"}""";
    private const string Created = """{"revision":1}""";
    private readonly FileInfo _file = new(Path.Combine(Path.GetTempPath(), $"caucus-submit-{Guid.NewGuid():N}.json"));
    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();

    public SubmitRetryTests() => File.WriteAllText(_file.FullName, Report);

    public void Dispose()
    {
        _file.Delete();
        _output.Dispose();
        _error.Dispose();
    }

    /// <summary>Short backoff so that a wait of a second can only come from Retry-After; attempts may take 30 s.</summary>
    private static readonly RetryPolicy Patient = new(MaxRetryAttempts: 3, BaseDelay: TimeSpan.FromMilliseconds(10),
        AttemptTimeout: TimeSpan.FromSeconds(30), TotalTimeout: TimeSpan.FromMinutes(2));

    private Task<int> SubmitAsync(LoopbackServer server, string? key, RetryPolicy policy) =>
        SubmitCommand.Run(server.Url, "cau_test", "adair/1nw-adair", _file, key, _output, _error, policy, CancellationToken.None);

    private static async Task AnswerAsync(HttpContext context, int status, string body, string? retryAfter = null)
    {
        context.Response.StatusCode = status;
        if (retryAfter is not null) context.Response.Headers.RetryAfter = retryAfter;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body);
    }

    [Fact]
    public async Task Two_503s_with_Retry_After_are_waited_out_and_the_third_attempt_is_stored_once_under_the_same_key()
    {
        string? printedBeforeFirstSend = null;
        var stored = 0;
        await using var server = await LoopbackServer.StartAsync(async (n, context) =>
        {
            if (n == 1) printedBeforeFirstSend = _error.ToString();
            if (n <= 2)
            {
                await AnswerAsync(context, 503, """{"title":"store unavailable"}""", retryAfter: "1");
                return;
            }
            Interlocked.Increment(ref stored);
            await AnswerAsync(context, 201, Created);
        });

        var code = await SubmitAsync(server, null, Patient);

        Assert.True(code == 0, _error.ToString());
        var attempts = server.Attempts;
        Assert.Equal(3, attempts.Count);
        Assert.Equal(1, stored);
        Assert.Equal(Created, _output.ToString().Trim());
        Assert.All(attempts, a => Assert.Equal(Report, a.Body));
        Assert.All(attempts, a => Assert.Equal("/api/v1/precincts/adair%2F1nw-adair/reports", a.Path));
        var key = Assert.Single(attempts.Select(a => a.IdempotencyKey).Distinct());
        Assert.False(string.IsNullOrEmpty(key));
        // The key was on stderr, with how to resend, before the first request arrived.
        Assert.Contains($"Idempotency-Key: {key} (resend with --idempotency-key {key} to retry safely)", printedBeforeFirstSend, StringComparison.Ordinal);
        // Retry-After: 1 was honoured: each retry came at least a second after the 503 (the backoff alone is 10 ms).
        Assert.InRange(attempts[1].At - attempts[0].At, TimeSpan.FromSeconds(0.9), TimeSpan.MaxValue);
        Assert.InRange(attempts[2].At - attempts[1].At, TimeSpan.FromSeconds(0.9), TimeSpan.MaxValue);
    }

    [Fact]
    public async Task An_attempt_that_times_out_is_sent_again_with_the_operators_key_and_succeeds()
    {
        var policy = Patient with { AttemptTimeout = TimeSpan.FromSeconds(3) };
        await using var server = await LoopbackServer.StartAsync(async (n, context) =>
        {
            if (n == 1)
            {
                // Far longer than the attempt timeout: the client gives up on this one and resends.
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(60), context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
            await AnswerAsync(context, 201, Created);
        });

        var code = await SubmitAsync(server, "operator-key-7", policy);

        Assert.True(code == 0, _error.ToString());
        Assert.Equal(Created, _output.ToString().Trim());
        var attempts = server.Attempts;
        Assert.InRange(attempts.Count, 2, 4);
        Assert.All(attempts, a => Assert.Equal("operator-key-7", a.IdempotencyKey));
        Assert.Contains("Idempotency-Key: operator-key-7 (resend with --idempotency-key operator-key-7 to retry safely)", _error.ToString(), StringComparison.Ordinal);
        Assert.Contains("attempt 1: no answer within 3 s", _error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_that_keeps_failing_gets_a_bounded_number_of_attempts_and_the_operator_gets_the_key_to_resend()
    {
        await using var server = await LoopbackServer.StartAsync((_, context) => AnswerAsync(context, 500, """{"title":"boom"}"""));

        var code = await SubmitAsync(server, "kept-failing-1", Patient);

        Assert.Equal(1, code);
        Assert.Equal(1 + Patient.MaxRetryAttempts, server.Attempts.Count);
        Assert.All(server.Attempts, a => Assert.Equal("kept-failing-1", a.IdempotencyKey));
        Assert.Contains("500 InternalServerError (Idempotency-Key kept-failing-1)", _error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_that_never_answers_leaves_the_operator_the_key_to_resend()
    {
        var policy = Patient with { MaxRetryAttempts = 1, AttemptTimeout = TimeSpan.FromMilliseconds(300) };
        await using var server = await LoopbackServer.StartAsync(async (_, context) =>
        {
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(60), context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
            }
        });

        var code = await SubmitAsync(server, "never-1", policy);

        Assert.Equal(1, code);
        Assert.Equal(2, server.Attempts.Count);
        Assert.Contains("no answer: ", _error.ToString(), StringComparison.Ordinal);
        Assert.EndsWith("(resend with --idempotency-key never-1 to retry safely)", _error.ToString().TrimEnd(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_request_has_no_idempotency_key_so_it_is_sent_once()
    {
        await using var server = await LoopbackServer.StartAsync((_, context) => AnswerAsync(context, 503, """{"title":"store unavailable"}""", retryAfter: "1"));

        var code = await TokensCommand.Issue(server.Url, "adm_test", "warroom", null, _output, _error, CancellationToken.None);

        Assert.Equal(1, code);
        var attempt = Assert.Single(server.Attempts);
        Assert.Null(attempt.IdempotencyKey);
        Assert.Contains("503", _error.ToString(), StringComparison.Ordinal);
    }
}
