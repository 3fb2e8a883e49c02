using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Caucus.LoadTests.Night;

/// <summary>
/// A process this run started and will stop: the built Caucus API with its shipped defaults (appsettings.json,
/// logging included: the product's figures come from the product's defaults), or the ceiling server. Only the
/// address, the admin token and the store are set. Output goes to a log file beside its data.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StreamWriter log;

    private ChildProcess(Process process, StreamWriter log, Uri url)
    {
        this.process = process;
        this.log = log;
        Url = url;
    }

    public Uri Url { get; }
    public int Pid => process.Id;
    public bool HasExited => process.HasExited;

    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Caucus.sln"))) return dir.FullName;
        }
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Caucus.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("No Caucus.sln above the runner or the working directory.");
    }

    /// <summary>
    /// Starts the Release API on a free loopback port with a fresh SQLite file in <paramref name="dataDir"/> (or the given
    /// PostgreSQL); <paramref name="settings"/> (environment variables such as <c>Caucus__PublicResults</c>) for a run that needs a mode on.
    /// </summary>
    public static Task<ChildProcess> StartApiAsync(string store, string? connection, string token, string dataDir, CancellationToken cancellationToken,
        IReadOnlyDictionary<string, string>? settings = null)
    {
        var dll = Path.Combine(RepoRoot(), "src", "Caucus.Api", "bin", "Release", "net10.0", "Caucus.Api.dll");
        if (!File.Exists(dll)) throw new InvalidOperationException($"{dll} is missing: run `dotnet build -c Release src/Caucus.Api` first.");
        var port = FreeLoopbackPort();
        var url = new Uri($"http://127.0.0.1:{port}/");
        // The content root is the build output, so the shipped appsettings.json there is the one in force.
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = Path.GetDirectoryName(dll)! };
        info.ArgumentList.Add(dll);
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add($"http://127.0.0.1:{port}");
        info.Environment["CAUCUS_ADMIN_TOKEN"] = token;
        info.Environment["Caucus__Store"] = store;
        info.Environment["ConnectionStrings__Caucus"] = store == "sqlite" ? $"Data Source={Path.Combine(dataDir, "caucus.db")}" : connection;
        // Nothing else: the shipped appsettings.json decides logging, limits and the rest.
        foreach (var key in new[] { "ASPNETCORE_ENVIRONMENT", "DOTNET_ENVIRONMENT", "Logging__LogLevel__Default" }) info.Environment.Remove(key);
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) info.Environment[key] = value;
        return StartAsync(info, url, "healthz", Path.Combine(dataDir, "api.log"), cancellationToken);
    }

    /// <summary>Starts nginx in the foreground (<c>daemon off</c>, so it is this run's child) on <paramref name="config"/>, listening at <paramref name="url"/>.</summary>
    public static Task<ChildProcess> StartNginxAsync(string nginx, string config, Uri url, string dataDir, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(nginx) { WorkingDirectory = dataDir };
        foreach (var a in new[] { "-c", config, "-g", "daemon off;" }) info.ArgumentList.Add(a);
        return StartAsync(info, url, "healthz", Path.Combine(dataDir, "nginx.log"), cancellationToken);
    }

    /// <summary>Starts this runner's own `ceiling-server` (bare Kestrel serving fixed bytes) on a free loopback port.</summary>
    public static Task<ChildProcess> StartCeilingAsync(int bytes, string dataDir, CancellationToken cancellationToken)
    {
        var port = FreeLoopbackPort();
        var url = new Uri($"http://127.0.0.1:{port}/");
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = dataDir };
        info.ArgumentList.Add(typeof(ChildProcess).Assembly.Location);
        foreach (var a in new[] { "ceiling-server", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bytes", bytes.ToString(System.Globalization.CultureInfo.InvariantCulture) })
            info.ArgumentList.Add(a);
        return StartAsync(info, url, "", Path.Combine(dataDir, "ceiling.log"), cancellationToken);
    }

    private static async Task<ChildProcess> StartAsync(ProcessStartInfo info, Uri url, string probe, string logPath, CancellationToken cancellationToken)
    {
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.UseShellExecute = false;
        var log = new StreamWriter(logPath) { AutoFlush = true };
        var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {info.FileName}.");
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var child = new ChildProcess(process, log, url);
        using var http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (process.HasExited) break;
            try
            {
                using var response = await http.GetAsync(probe, cancellationToken);
                if (response.IsSuccessStatusCode) return child;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested) { }
            await Task.Delay(200, cancellationToken);
        }
        await child.DisposeAsync();
        throw new InvalidOperationException($"{Path.GetFileName(info.FileName)} {Path.GetFileName(info.ArgumentList[0])} did not come up at {url} within 60 s; see {logPath}.");
    }

    private bool disposed;

    /// <summary>Kills the process (and its children) if it still runs; a second call does nothing.</summary>
    public async ValueTask DisposeAsync()
    {
        if (disposed) return;
        disposed = true;
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try { await process.WaitForExitAsync(wait.Token); }
            catch (OperationCanceledException) { }
        }
        process.Dispose();
        lock (log) log.Dispose();
    }
}
