using System.Net;
using System.Net.Sockets;

namespace Caucus.Api.Tests.Sms;

/// <summary>The gateway's media store, as Twilio keeps an MMS's photos: a loopback HTTP server answering one photo per path.</summary>
public sealed class MediaServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Dictionary<string, byte[]> _files = new(StringComparer.Ordinal);
    private readonly Task _loop;

    public MediaServer()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public int Port { get; }

    public Uri Add(string name, byte[] bytes)
    {
        lock (_files) _files["/" + name] = bytes;
        return new Uri($"http://127.0.0.1:{Port}/{name}");
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }
            byte[]? bytes;
            lock (_files) bytes = _files.GetValueOrDefault(context.Request.Url!.AbsolutePath);
            context.Response.StatusCode = bytes is null ? 404 : 200;
            context.Response.ContentType = "image/png";
            if (bytes is not null) await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _loop.Wait(TimeSpan.FromSeconds(5));
    }
}
