using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace Caucus.LoadTests.Night;

/// <summary>
/// The ceiling: bare Kestrel answering <c>GET /</c> with fixed bytes the size of the results document (and
/// <c>304</c> on a matching If-None-Match), no auth, routing table or logging. The same polling against it gives
/// what this machine, this runner and loopback HTTP can do at all; every API figure is read as a ratio of it.
/// </summary>
public static class CeilingServer
{
    private const string ETag = "\"1\"";

    public static async Task<int> RunAsync(int port, int bytes)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, port));
        var app = builder.Build();
        var body = new byte[bytes];
        Array.Fill(body, (byte)' ');
        body[0] = (byte)'{';
        body[^1] = (byte)'}';
        app.MapGet("/", context =>
        {
            context.Response.Headers.ETag = ETag;
            if (context.Request.Headers.IfNoneMatch == ETag)
            {
                context.Response.StatusCode = StatusCodes.Status304NotModified;
                return Task.CompletedTask;
            }
            context.Response.ContentType = "application/json";
            context.Response.ContentLength = body.Length;
            return context.Response.Body.WriteAsync(body).AsTask();
        });
        await app.RunAsync();
        return 0;
    }
}
