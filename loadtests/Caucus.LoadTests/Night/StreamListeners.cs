using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;

namespace Caucus.LoadTests.Night;

/// <summary>
/// Server-Sent Events listeners on /api/v1/stream. Each records when (Stopwatch ticks) each <c>results</c>
/// event arrived and its id (the results version). No request is made per report: the delay of a report is
/// read afterwards, from its acknowledgement time and its commit seq (from the audit trail), as the time until
/// a listener's first results event with id ≥ that seq (the version is the highest seq applied).
/// </summary>
public sealed class StreamListeners : IAsyncDisposable
{
    private readonly HttpClient[] clients;
    private readonly string[] tokens;
    private readonly List<Listener> listeners = [];
    private readonly CancellationTokenSource stop = new();
    private readonly List<Task> loops = [];

    public StreamListeners(Uri url, string token, int count) : this(url, [token], [], count)
    {
    }

    /// <summary>
    /// Listener i uses credential <c>tokens[i % tokens.Count]</c> and, when <paramref name="sources"/> is not empty, connects
    /// from local address <c>sources[i % sources.Count]</c> (127.0.0.2, 127.0.0.3, …): the API holds at most so many streams per
    /// credential and per client address, so many listeners spread over several of each rather than raising the limits.
    /// </summary>
    public StreamListeners(Uri url, IReadOnlyList<string> tokens, IReadOnlyList<IPAddress> sources, int count)
    {
        ArgumentOutOfRangeException.ThrowIfZero(tokens.Count);
        Count = count;
        this.tokens = [.. tokens];
        clients = sources.Count == 0 ? [NewClient(url, null)] : [.. sources.Select(source => NewClient(url, source))];
    }

    private static HttpClient NewClient(Uri url, IPAddress? source)
    {
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = int.MaxValue,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            ConnectTimeout = TimeSpan.FromSeconds(10),
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
        };
        if (source is not null)
        {
            handler.ConnectCallback = async (context, cancellationToken) =>
            {
                var remote = IPAddress.TryParse(context.DnsEndPoint.Host, out var ip) ? ip : IPAddress.Loopback;
                var socket = new Socket(remote.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(source, 0));
                    await socket.ConnectAsync(new IPEndPoint(remote, context.DnsEndPoint.Port), cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            };
        }
        return new HttpClient(handler) { BaseAddress = url, Timeout = Timeout.InfiniteTimeSpan };
    }

    public int Count { get; }
    public string Name => $"listeners-{Count}";

    public sealed class Listener
    {
        public List<(long Ticks, long Version)> Events { get; } = [];
        public bool Connected { get; set; }
        public string? Error { get; set; }
        public long LastVersion => Events.Count == 0 ? -1 : Events[^1].Version;
    }

    public IReadOnlyList<Listener> All => listeners;
    public int ConnectedCount => listeners.Count(l => l.Connected);
    public IEnumerable<string> Errors => listeners.Where(l => l.Error is not null).GroupBy(l => l.Error!).Select(g => $"{g.Key} × {g.Count()}");

    /// <summary>Opens every listener (at most 50 connecting at once) and waits until each has its first results event, or <paramref name="timeout"/>.</summary>
    public async Task ConnectAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var gate = new SemaphoreSlim(50);
        var firsts = new List<Task>();
        for (var i = 0; i < Count; i++)
        {
            var listener = new Listener();
            listeners.Add(listener);
            var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            firsts.Add(first.Task);
            await gate.WaitAsync(cancellationToken);
            var index = i;
            loops.Add(Task.Run(async () =>
            {
                try { await ListenAsync(listener, clients[index % clients.Length], tokens[index % tokens.Length], first, gate); }
                finally { first.TrySetResult(); }
            }, CancellationToken.None));
        }
        await Task.WhenAll(firsts).WaitAsync(timeout, cancellationToken).ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
    }

    private async Task ListenAsync(Listener listener, HttpClient client, string token, TaskCompletionSource first, SemaphoreSlim gate)
    {
        var released = false;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "api/v1/stream");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stop.Token);
            gate.Release();
            released = true;
            if (response.StatusCode != HttpStatusCode.OK) { listener.Error = $"HTTP {(int)response.StatusCode}"; return; }
            listener.Connected = true;
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(stop.Token));
            string? eventName = null;
            long id = -1;
            while (await reader.ReadLineAsync(stop.Token) is { } line)
            {
                if (line.Length == 0)
                {
                    if (eventName == "results" && id >= 0)
                    {
                        var at = Stopwatch.GetTimestamp();
                        lock (listener) listener.Events.Add((at, id));
                        first.TrySetResult();
                    }
                    eventName = null;
                    id = -1;
                }
                else if (line.StartsWith("event: ", StringComparison.Ordinal)) eventName = line[7..];
                else if (line.StartsWith("id: ", StringComparison.Ordinal)) id = long.Parse(line.AsSpan(4), CultureInfo.InvariantCulture);
            }
            if (!stop.IsCancellationRequested) listener.Error = "stream ended";
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is HttpRequestException or IOException or FormatException)
        {
            listener.Error = e.GetType().Name;
        }
        finally
        {
            if (!released) gate.Release();
            if (listener.Error is not null) listener.Connected = false;
        }
    }

    /// <summary>Waits (bounded) until every connected listener has seen <paramref name="version"/> or newer.</summary>
    public async Task<bool> WaitForVersionAsync(long version, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (listeners.Where(l => l.Connected).All(l => { lock (l) return l.LastVersion >= version; })) return true;
            await Task.Delay(50, cancellationToken);
        }
        return false;
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await Task.WhenAll(loops).WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        foreach (var client in clients) client.Dispose();
        stop.Dispose();
    }
}

/// <summary>What the listeners saw: per report, the delay from its acknowledgement to its version at the slowest listener.</summary>
public sealed record StreamDelays(string Name, int Listeners, int Connected, int Reports, int Missed, double P50Ms, double P99Ms, double MaxMs,
    double FinalSlowestMs, long FinalVersion, long EventsReceived, IReadOnlyList<string> Errors)
{
    /// <summary>
    /// For each acknowledged report with seq s acknowledged at time a, and each listener, the first results
    /// event with id ≥ s arrived at t: the listener's delay is max(0, t − a) (an event can beat the 201 to the
    /// runner). The report's delay is its slowest listener's; a listener that never got it counts as a miss.
    /// </summary>
    public static StreamDelays Compute(StreamListeners listeners, IReadOnlyList<(long Seq, long AckTicks)> reports)
    {
        var perReport = new List<double>();
        var missed = 0;
        var connected = listeners.All.Where(l => l.Connected || l.Events.Count > 0).ToList();
        // One copy of each listener's events, not one per report: with 10,000 listeners and 1,765 reports that is the difference.
        var seen = connected.Select(l => { lock (l) return l.Events.ToArray(); }).ToList();
        long finalSeq = reports.Count == 0 ? 0 : reports.Max(r => r.Seq);
        double finalSlowest = double.NaN;
        foreach (var (seq, ack) in reports)
        {
            double slowest = 0;
            var miss = false;
            foreach (var events in seen)
            {
                var index = FirstAtLeast(events, seq);
                if (index < 0) { miss = true; continue; }
                slowest = Math.Max(slowest, Math.Max(0, events[index].Ticks - ack) * 1000.0 / Stopwatch.Frequency);
            }
            if (miss) missed++;
            perReport.Add(slowest);
            if (seq == finalSeq) finalSlowest = double.IsNaN(finalSlowest) ? slowest : Math.Max(finalSlowest, slowest);
        }
        perReport.Sort();
        double At(double p) => perReport.Count == 0 ? double.NaN : perReport[Math.Min(perReport.Count - 1, (int)Math.Ceiling(p / 100 * perReport.Count) - 1)];
        return new StreamDelays(listeners.Name, listeners.Count, connected.Count, reports.Count, missed, At(50), At(99),
            perReport.Count == 0 ? double.NaN : perReport[^1], finalSlowest, finalSeq, seen.Sum(e => (long)e.Length), [.. listeners.Errors]);
    }

    /// <summary>The index of the first event (in arrival order, versions rising) at or past <paramref name="version"/>, or -1.</summary>
    internal static int FirstAtLeast((long Ticks, long Version)[] events, long version)
    {
        int lo = 0, hi = events.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (events[mid].Version >= version) hi = mid; else lo = mid + 1;
        }
        return lo < events.Length ? lo : -1;
    }
}
