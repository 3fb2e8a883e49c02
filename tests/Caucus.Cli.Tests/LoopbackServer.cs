using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Caucus.Cli.Tests;

/// <summary>What the server saw of one request: when (since the server started), its Idempotency-Key, path and body.</summary>
internal sealed record Attempt(int Number, TimeSpan At, string? IdempotencyKey, string Path, string Body);

/// <summary>
/// A tiny Kestrel server on 127.0.0.1 (a free port) whose answer to the n-th request (1-based) is a
/// script, so a test can fail a client on purpose; it records every request it received.
/// </summary>
internal sealed class LoopbackServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly ConcurrentQueue<Attempt> _attempts = new();
    private int _count;

    private LoopbackServer(Func<int, HttpContext, Task> answer)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.Run(async context =>
        {
            var number = Interlocked.Increment(ref _count);
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync(context.RequestAborted);
            _attempts.Enqueue(new Attempt(number, _clock.Elapsed, context.Request.Headers["Idempotency-Key"].FirstOrDefault(),
                context.Request.Path + context.Request.QueryString, body));
            await answer(number, context);
        });
    }

    public static async Task<LoopbackServer> StartAsync(Func<int, HttpContext, Task> answer)
    {
        var server = new LoopbackServer(answer);
        await server._app.StartAsync();
        return server;
    }

    public string Url => _app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();

    public IReadOnlyList<Attempt> Attempts => [.. _attempts.OrderBy(a => a.Number)];

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
