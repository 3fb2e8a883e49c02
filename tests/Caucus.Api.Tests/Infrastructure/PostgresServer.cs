using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Caucus.Api.Tests.Infrastructure;

/// <summary>
/// A throwaway PostgreSQL cluster for the test run: its own data directory under /tmp, a free port on
/// 127.0.0.1, trust authentication, fsync on. Started once per collection ("postgres"), stopped and
/// deleted on dispose, and on process exit if the run is torn down early.
/// Under root, initdb/pg_ctl run as the <c>postgres</c> OS user, which PostgreSQL requires.
/// Installs Debian's <c>postgresql</c> package if no server binaries are found.
/// With <see cref="ExistingServerVariable"/> set to a connection string, the tests use that server
/// instead (each test still gets its own fresh database, dropped at the end); tests that stop the server
/// start a throwaway one of their own (<see cref="CanStop"/>, <see cref="StartThrowawayAsync"/>).
/// </summary>
public sealed class PostgresServer : IAsyncLifetime, IAsyncDisposable
{
    /// <summary>A connection string to an existing server whose user may create databases.</summary>
    public const string ExistingServerVariable = "CAUCUS_TEST_POSTGRES";

    private const string OsUser = "postgres";
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), $"caucus-pg-{Guid.NewGuid():N}");
    private readonly NpgsqlConnectionStringBuilder? _existing;
    private readonly List<string> _databases = [];
    private string _binDirectory = "";
    private int _databaseCounter;
    private bool _running;
    private bool _frozen;

    public PostgresServer()
        : this(Environment.GetEnvironmentVariable(ExistingServerVariable))
    {
    }

    private PostgresServer(string? existing)
    {
        if (!string.IsNullOrWhiteSpace(existing))
        {
            _existing = new NpgsqlConnectionStringBuilder(existing);
        }
    }

    /// <summary>
    /// Whether <see cref="StopAsync"/>/<see cref="StartAsync"/> may be used: true for this run's throwaway
    /// cluster, false for an existing server named by <see cref="ExistingServerVariable"/>, which the tests
    /// never stop (others may be using it, and they could not start it again).
    /// </summary>
    public bool CanStop => _existing is null;

    public int Port { get; private set; }

    /// <summary>Connection string for the maintenance database (<c>postgres</c>, or the existing server's own).</summary>
    public string ConnectionString => _existing is null ? ConnectionStringFor("postgres")
        : ConnectionStringFor(string.IsNullOrEmpty(_existing.Database) ? "postgres" : _existing.Database);

    public string ConnectionStringFor(string database) => _existing is not null
        ? new NpgsqlConnectionStringBuilder(_existing.ConnectionString) { Database = database }.ConnectionString
        : new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = Port,
            Username = "postgres",
            Database = database,
            Timeout = 3,
        }.ConnectionString;

    /// <summary>A started throwaway cluster whatever <see cref="ExistingServerVariable"/> says, for a test that stops its server; the caller disposes it.</summary>
    public static async Task<PostgresServer> StartThrowawayAsync()
    {
        var server = new PostgresServer(existing: null);
        await server.InitializeAsync();
        return server;
    }

    public async Task InitializeAsync()
    {
        if (_existing is not null)
        {
            // Fail here, once and clearly, if the variable points nowhere useful.
            Port = _existing.Port;
            await using var connection = new NpgsqlConnection(ConnectionString);
            await connection.OpenAsync();
            return;
        }

        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
        try
        {
            _binDirectory = FindBinDirectory() ?? await InstallAndFindAsync();
            Directory.CreateDirectory(_dataDirectory);
            if (Environment.IsPrivilegedProcess)
            {
                await RunAsync("chown", [$"{OsUser}:{OsUser}", _dataDirectory], asServerUser: false);
            }

            await RunAsync(Tool("initdb"), ["-D", _dataDirectory, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale"]);
            Port = FreePort();
            // Appended settings win over initdb's defaults. The socket goes into the data directory so
            // nothing depends on /var/run/postgresql existing or being writable.
            await File.AppendAllTextAsync(Path.Combine(_dataDirectory, "postgresql.conf"), $"""

                port = {Port}
                listen_addresses = '127.0.0.1'
                unix_socket_directories = '{_dataDirectory}'
                fsync = on
                synchronous_commit = on
                max_connections = 200
                """);
            await StartAsync();
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    /// <summary>Creates a fresh, empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"caucus_{Interlocked.Increment(ref _databaseCounter)}_{Guid.NewGuid():N}"[..40];
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync();
        lock (_databases)
        {
            _databases.Add(name);
        }

        return ConnectionStringFor(name);
    }

    public async Task StartAsync()
    {
        RefuseToStopAnExistingServer();
        await RunAsync(Tool("pg_ctl"), ["-D", _dataDirectory, "-l", Path.Combine(_dataDirectory, "server.log"), "-w", "-t", "60", "start"]);
        _running = true;
    }

    /// <summary>Stops the server (fast shutdown: open connections are cut), for database-down tests.</summary>
    public async Task StopAsync()
    {
        RefuseToStopAnExistingServer();
        await RunAsync(Tool("pg_ctl"), ["-D", _dataDirectory, "-m", "fast", "-w", "-t", "60", "stop"]);
        _running = false;
        NpgsqlConnection.ClearAllPools();
    }

    /// <summary>
    /// Freezes the server as a hung host or disk would: SIGSTOP to the postmaster, then to each of its children
    /// (the backends and background workers). Connections stay open and connects are accepted by the kernel, but
    /// nothing answers. <see cref="Thaw"/> resumes it; disposing a frozen server thaws it first.
    /// </summary>
    public void Freeze()
    {
        RefuseToStopAnExistingServer();
        var postmaster = PostmasterPid();
        Signal("STOP", [postmaster]);
        Signal("STOP", ChildrenOf(postmaster));
        _frozen = true;
    }

    /// <summary>Resumes a frozen server: SIGCONT to the children first, then the postmaster.</summary>
    public void Thaw()
    {
        RefuseToStopAnExistingServer();
        var postmaster = PostmasterPid();
        Signal("CONT", ChildrenOf(postmaster));
        Signal("CONT", [postmaster]);
        _frozen = false;
    }

    private int PostmasterPid()
    {
        var pidFile = Path.Combine(_dataDirectory, "postmaster.pid");
        return File.Exists(pidFile) && int.TryParse(File.ReadLines(pidFile).FirstOrDefault(), out var pid)
            ? pid
            : throw new InvalidOperationException($"No postmaster.pid in {_dataDirectory}: is the server running?");
    }

    /// <summary>The pids whose parent is <paramref name="parent"/>, from /proc/*/stat (field 4 is the parent pid).</summary>
    private static List<int> ChildrenOf(int parent)
    {
        var children = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                // "pid (comm) state ppid ...": comm may hold spaces, so read after the last ')'.
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (int.TryParse(fields[1], out var ppid) && ppid == parent) children.Add(pid);
            }
            catch (IOException)
            {
                // The process ended while we looked.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return children;
    }

    private static void Signal(string signal, List<int> pids)
    {
        if (pids.Count == 0) return;
        var info = new ProcessStartInfo("kill") { UseShellExecute = false, RedirectStandardError = true };
        info.ArgumentList.Add("-" + signal);
        foreach (var pid in pids) info.ArgumentList.Add(pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var process = Process.Start(info) ?? throw new InvalidOperationException("Could not run kill.");
        process.WaitForExit(10_000);
    }

    ValueTask IAsyncDisposable.DisposeAsync() => new(DisposeAsync());

    public async Task DisposeAsync()
    {
        if (_existing is not null)
        {
            await DropDatabasesAsync();
            return;
        }

        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        if (_frozen)
        {
            Thaw();
        }

        NpgsqlConnection.ClearAllPools();
        if (_running)
        {
            try
            {
                await StopAsync();
            }
            catch (InvalidOperationException)
            {
                KillFromPidFile();
            }
        }

        DeleteDataDirectory();
    }

    private void RefuseToStopAnExistingServer()
    {
        if (_existing is not null)
        {
            throw new InvalidOperationException(
                $"The server named by {ExistingServerVariable} is not stopped or started by tests; a test that needs to stop one uses {nameof(StartThrowawayAsync)}.");
        }
    }

    /// <summary>On an existing server, the databases this run created go when it ends (FORCE: API processes may still hold connections).</summary>
    private async Task DropDatabasesAsync()
    {
        NpgsqlConnection.ClearAllPools();
        string[] names;
        lock (_databases)
        {
            names = [.. _databases];
        }

        try
        {
            await using var connection = new NpgsqlConnection(ConnectionString);
            await connection.OpenAsync();
            foreach (var name in names)
            {
                await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
                await command.ExecuteNonQueryAsync();
            }
        }
        catch (NpgsqlException)
        {
            // Leftover databases are named caucus_…; failing the run over clean-up would hide its results.
        }
    }

    private void OnProcessExit(object? sender, EventArgs e)
    {
        if (_frozen)
        {
            Thaw();
        }

        if (_running)
        {
            try
            {
                RunAsync(Tool("pg_ctl"), ["-D", _dataDirectory, "-m", "immediate", "-w", "stop"]).GetAwaiter().GetResult();
            }
            catch (InvalidOperationException)
            {
                KillFromPidFile();
            }
        }

        DeleteDataDirectory();
    }

    private void KillFromPidFile()
    {
        var pidFile = Path.Combine(_dataDirectory, "postmaster.pid");
        if (File.Exists(pidFile) && int.TryParse(File.ReadLines(pidFile).FirstOrDefault(), out var pid))
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                process.Kill(entireProcessTree: true);
                process.WaitForExit(10_000);
            }
            catch (ArgumentException)
            {
                // Already gone.
            }
        }

        _running = false;
    }

    private void DeleteDataDirectory()
    {
        try
        {
            if (Directory.Exists(_dataDirectory))
            {
                Directory.Delete(_dataDirectory, recursive: true);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private string Tool(string name) => Path.Combine(_binDirectory, name);

    private static string? FindBinDirectory()
    {
        const string root = "/usr/lib/postgresql";
        if (!Directory.Exists(root))
        {
            return null;
        }

        return Directory.GetDirectories(root)
            .Select(dir => (Dir: dir, Version: int.TryParse(Path.GetFileName(dir), out var v) ? v : 0))
            .OrderByDescending(x => x.Version)
            .Select(x => Path.Combine(x.Dir, "bin"))
            .FirstOrDefault(bin => File.Exists(Path.Combine(bin, "initdb")) && File.Exists(Path.Combine(bin, "pg_ctl")));
    }

    private static async Task<string> InstallAndFindAsync()
    {
        if (!Environment.IsPrivilegedProcess)
        {
            throw new InvalidOperationException("PostgreSQL is not installed and the tests are not root: apt-get install postgresql.");
        }

        await RunAsync("apt-get", ["update"], asServerUser: false, timeout: TimeSpan.FromMinutes(5));
        await RunAsync("apt-get", ["install", "-y", "--no-install-recommends", "postgresql"], asServerUser: false, timeout: TimeSpan.FromMinutes(10));
        return FindBinDirectory() ?? throw new InvalidOperationException("postgresql installed but no initdb under /usr/lib/postgresql/*/bin.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task RunAsync(string file, IReadOnlyList<string> arguments, bool asServerUser = true, TimeSpan? timeout = null)
    {
        var info = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (asServerUser && Environment.IsPrivilegedProcess)
        {
            info.FileName = "runuser";
            foreach (var argument in (string[])["-u", OsUser, "--", file])
            {
                info.ArgumentList.Add(argument);
            }
        }
        else
        {
            info.FileName = file;
        }

        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {file}.");
        // pg_ctl start leaves the server holding inherited pipes open, so wait for exit, not for EOF.
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} timed out.");
        }

        if (process.ExitCode != 0)
        {
            var error = await Task.WhenAny(stderr, Task.Delay(1000)) == stderr ? await stderr : "";
            var output = await Task.WhenAny(stdout, Task.Delay(1000)) == stdout ? await stdout : "";
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited with {process.ExitCode}: {error}{output}");
        }
    }
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "postgres";
}
