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
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private const string OsUser = "postgres";
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), $"caucus-pg-{Guid.NewGuid():N}");
    private string _binDirectory = "";
    private int _databaseCounter;
    private bool _running;

    public int Port { get; private set; }

    /// <summary>Connection string for the <c>postgres</c> maintenance database.</summary>
    public string ConnectionString => ConnectionStringFor("postgres");

    public string ConnectionStringFor(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = "postgres",
        Database = database,
        Timeout = 3,
    }.ConnectionString;

    public async Task InitializeAsync()
    {
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
        return ConnectionStringFor(name);
    }

    public async Task StartAsync()
    {
        await RunAsync(Tool("pg_ctl"), ["-D", _dataDirectory, "-l", Path.Combine(_dataDirectory, "server.log"), "-w", "-t", "60", "start"]);
        _running = true;
    }

    /// <summary>Stops the server (fast shutdown: open connections are cut), for database-down tests.</summary>
    public async Task StopAsync()
    {
        await RunAsync(Tool("pg_ctl"), ["-D", _dataDirectory, "-m", "fast", "-w", "-t", "60", "stop"]);
        _running = false;
        NpgsqlConnection.ClearAllPools();
    }

    public async Task DisposeAsync()
    {
        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
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

    private void OnProcessExit(object? sender, EventArgs e)
    {
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
