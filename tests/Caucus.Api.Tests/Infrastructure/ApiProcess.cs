using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;

namespace Caucus.Api.Tests.Infrastructure;

/// <summary>
/// The built API (<c>Caucus.Api.dll</c>, copied into this test project's output by the project reference,
/// with its runtimeconfig, deps and the shipped elections folder) running as a real child process:
/// <c>dotnet Caucus.Api.dll --urls http://127.0.0.1:&lt;free port&gt;</c>. Started ready (GET /healthz = 200),
/// killed with SIGKILL by <see cref="Kill"/>, and always killed by <see cref="DisposeAsync"/>.
/// Its stdout and stderr are kept (the tail) for failure messages.
/// </summary>
public sealed class ApiProcess : IAsyncDisposable
{
    private const int MaxOutputChars = 256 * 1024;
    private static readonly TimeSpan DefaultStartTimeout = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Lock _outputLock = new();
    private int _disposed;

    private ApiProcess(Process process, string name, Uri baseAddress)
    {
        _process = process;
        Name = name;
        BaseAddress = baseAddress;
    }

    public string Name { get; }

    public Uri BaseAddress { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Everything the child wrote so far (stdout and stderr interleaved, the tail if very long).</summary>
    public string Output
    {
        get
        {
            lock (_outputLock)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>The path of the API assembly this test run starts.</summary>
    public static string ApiDllPath
    {
        get
        {
            var besideTests = Path.Combine(AppContext.BaseDirectory, "Caucus.Api.dll");
            if (File.Exists(besideTests) && File.Exists(Path.Combine(AppContext.BaseDirectory, "Caucus.Api.runtimeconfig.json")))
            {
                return besideTests;
            }

            // Fallback: the API project's own build output, same configuration as this test assembly.
            var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent?.Name ?? "Debug";
            var repo = FindRepoRoot(AppContext.BaseDirectory);
            var own = Path.Combine(repo, "src", "Caucus.Api", "bin", configuration, "net10.0", "Caucus.Api.dll");
            return File.Exists(own) ? own : throw new FileNotFoundException($"Caucus.Api.dll is neither in {AppContext.BaseDirectory} nor at {own}.");
        }
    }

    /// <summary>Starts the API and waits for GET /healthz = 200.</summary>
    /// <param name="name">A label for messages ("A", "B", "after restart").</param>
    /// <param name="store"><c>sqlite</c> or <c>postgres</c>.</param>
    /// <param name="connectionString">ConnectionStrings:Caucus.</param>
    /// <param name="adminToken">CAUCUS_ADMIN_TOKEN.</param>
    /// <param name="environment">Extra environment variables (configuration overrides).</param>
    /// <param name="arguments">Extra command-line arguments (after <c>--urls</c>), e.g. <c>--demo</c>.</param>
    /// <param name="workingDirectory">The child's working directory; the API assembly's folder when null.</param>
    /// <param name="apiDll">The API assembly to run (a published build); <see cref="ApiDllPath"/> when null.</param>
    public static async Task<ApiProcess> StartAsync(string name, string store, string connectionString, string adminToken,
        IReadOnlyDictionary<string, string>? environment = null, TimeSpan? startTimeout = null,
        IReadOnlyList<string>? arguments = null, string? workingDirectory = null, string? apiDll = null)
    {
        // A free port can be taken between our probe and the child's bind; try a few ports then.
        for (var attempt = 1; ; attempt++)
        {
            var api = Launch(name, store, connectionString, adminToken, environment, FreePort(), arguments, workingDirectory, apiDll);
            try
            {
                await api.WaitUntilHealthyAsync(startTimeout ?? DefaultStartTimeout);
                return api;
            }
            catch (InvalidOperationException) when (attempt < 3 && api.HasExited
                && api.Output.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            {
                await api.DisposeAsync();
            }
            catch
            {
                await api.DisposeAsync();
                throw;
            }
        }
    }

    private static ApiProcess Launch(string name, string store, string connectionString, string adminToken,
        IReadOnlyDictionary<string, string>? environment, int port, IReadOnlyList<string>? arguments, string? workingDirectory, string? apiDll)
    {
        var dll = apiDll ?? ApiDllPath;
        var baseAddress = new Uri($"http://127.0.0.1:{port}/");
        var info = new ProcessStartInfo
        {
            FileName = DotnetHost(),
            WorkingDirectory = workingDirectory ?? Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(dll);
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add($"http://127.0.0.1:{port}");
        foreach (var argument in arguments ?? [])
        {
            info.ArgumentList.Add(argument);
        }

        // Nothing from the test host's own environment may pick another port or environment.
        foreach (var inherited in (string[])["ASPNETCORE_URLS", "ASPNETCORE_HTTP_PORTS", "ASPNETCORE_HTTPS_PORTS", "DOTNET_URLS"])
        {
            info.Environment.Remove(inherited);
        }

        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["CAUCUS_ADMIN_TOKEN"] = adminToken;
        info.Environment["Caucus__Store"] = store;
        info.Environment["ConnectionStrings__Caucus"] = connectionString;
        // Per-request logging would drown what matters (store warnings, start-up) in a burst of hundreds.
        info.Environment["Logging__LogLevel__Default"] = "Information";
        info.Environment["Logging__LogLevel__Microsoft.AspNetCore"] = "Warning";
        info.Environment["Logging__Console__FormatterName"] = "simple";
        info.Environment["Logging__Console__FormatterOptions__TimestampFormat"] = "HH:mm:ss.fff ";
        info.Environment["Logging__Console__FormatterOptions__SingleLine"] = "true";
        // The fault tests that are about the 2 s commit deadline set it (Answer.ProductionDeadline in Process/); elsewhere a
        // busy test machine must not turn a slow commit into a 503.
        info.Environment["Caucus__CommitWaitMilliseconds"] = "15000";
        if (environment is not null)
        {
            foreach (var (key, value) in environment)
            {
                info.Environment[key] = value;
            }
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var api = new ApiProcess(process, name, baseAddress);
        process.OutputDataReceived += (_, e) => api.Append(e.Data);
        process.ErrorDataReceived += (_, e) => api.Append(e.Data is null ? null : "[stderr] " + e.Data);
        if (!process.Start())
        {
            throw new InvalidOperationException($"Could not start {info.FileName} {dll}.");
        }

        Children.Add(api);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return api;
    }

    /// <summary>An HttpClient for this instance that sends the admin token.</summary>
    public HttpClient CreateClient(string adminToken, int maxConnections = 16, TimeSpan? timeout = null)
    {
        var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = maxConnections, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            BaseAddress = BaseAddress,
            Timeout = timeout ?? TimeSpan.FromSeconds(30),
        };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", adminToken);
        return client;
    }

    /// <summary>SIGKILL (Process.Kill on Linux), the whole process tree; returns once the process is gone.</summary>
    public void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }

        if (!_process.WaitForExit(TimeSpan.FromSeconds(15)))
        {
            throw new InvalidOperationException($"API process {Name} (pid {_process.Id}) did not die after SIGKILL.");
        }

        _process.WaitForExit(); // flushes the redirected output
    }

    /// <summary>SIGTERM, as a container stop or systemd would send: the service drains and exits on its own.</summary>
    public void Terminate()
    {
        var info = new ProcessStartInfo("kill") { UseShellExecute = false };
        info.ArgumentList.Add("-TERM");
        info.ArgumentList.Add(_process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var kill = Process.Start(info) ?? throw new InvalidOperationException("Could not run kill.");
        kill.WaitForExit(10_000);
    }

    /// <summary>Waits for the process to exit by itself; returns its exit code, or null if it is still running after <paramref name="timeout"/>.</summary>
    public async Task<int?> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            return _process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            if (!_process.HasExited)
            {
                Kill();
            }
        }
        catch (InvalidOperationException)
        {
            // Never started or already reaped.
        }

        Children.Remove(this);
        _process.Dispose();
        await Task.CompletedTask;
    }

    /// <summary>The last <paramref name="lines"/> lines of output, for failure messages.</summary>
    public string Tail(int lines = 60)
    {
        // Stack traces logged on one line can be very long: keep the head of each.
        var all = Output.Split('\n');
        return string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)).Select(l => l.Length > 600 ? l[..600] + " …" : l));
    }

    public override string ToString() => $"API {Name} (pid {(_disposed == 0 ? _process.Id.ToString() : "?")}, {BaseAddress})";

    private async Task WaitUntilHealthyAsync(TimeSpan timeout)
    {
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var stopwatch = Stopwatch.StartNew();
        string last = "no answer yet";
        while (stopwatch.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                _process.WaitForExit();
                throw new InvalidOperationException(
                    $"API {Name} exited with code {_process.ExitCode} before it was healthy. Output:\n{Output}");
            }

            try
            {
                using var response = await client.GetAsync(new Uri("healthz", UriKind.Relative));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }

                last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
            }
            catch (HttpRequestException e)
            {
                last = e.Message;
            }
            catch (TaskCanceledException)
            {
                last = "timed out";
            }

            await Task.Delay(100);
        }

        throw new InvalidOperationException(
            $"API {Name} was not healthy within {timeout.TotalSeconds:0} s (last: {last}). Output:\n{Output}");
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_outputLock)
        {
            _output.Append(line).Append('\n');
            if (_output.Length > MaxOutputChars)
            {
                _output.Remove(0, _output.Length - (MaxOutputChars * 3 / 4));
            }
        }
    }

    internal static string DotnetHost()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host))
        {
            return host;
        }

        if (Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            return self;
        }

        return "dotnet";
    }

    public static string FindRepoRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (Directory.Exists(Path.Combine(dir.FullName, "src", "Caucus.Api")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No src/Caucus.Api above {start}.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Children still running when the test host exits (a run torn down early) are killed too.</summary>
    private static class Children
    {
        private static readonly HashSet<ApiProcess> Running = [];
        private static readonly Lock Gate = new();

        static Children() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            ApiProcess[] left;
            lock (Gate)
            {
                left = [.. Running];
            }

            foreach (var api in left)
            {
                try
                {
                    api._process.Kill(entireProcessTree: true);
                }
                catch (InvalidOperationException)
                {
                }
            }
        };

        public static void Add(ApiProcess api)
        {
            lock (Gate)
            {
                Running.Add(api);
            }
        }

        public static void Remove(ApiProcess api)
        {
            lock (Gate)
            {
                Running.Remove(api);
            }
        }
    }
}
