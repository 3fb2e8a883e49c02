using System.Data.Common;
using Caucus.Api.Tests.Infrastructure;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Caucus.Api.Tests.Http;

/// <summary>One running API instance (its factory and a client), disposable so a test can stop it.</summary>
public sealed class ApiInstance : IAsyncDisposable
{
    private readonly ApiFactory _factory;

    public ApiInstance(IReadOnlyDictionary<string, string?> storeSettings, int failedAuthLimit, IReadOnlyDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? services = null)
    {
        _factory = new ApiFactory(storeSettings, failedAuthLimit, settings: settings, services: services);
        _factory.StartServer();
        Client = new ApiClient(_factory.CreateClient());
    }

    public ApiClient Client { get; }

    /// <summary>The instance's services, to look at its hosted services after it stops.</summary>
    public IServiceProvider Services => _factory.Services;

    public async ValueTask DisposeAsync()
    {
        Client.Http.Dispose();
        await _factory.DisposeAsync();
    }
}

/// <summary>
/// A store (fresh database or file) for one test class, and the API instance the class's tests share.
/// More instances on the same store can be started: a restart, or one with a low failed-auth limit.
/// </summary>
public abstract class ApiHost : IAsyncLifetime
{
    /// <summary>High enough that the 401 tests never trip the limiter of the shared instance.</summary>
    public const int GenerousFailedAuthLimit = 1_000_000;

    private ApiInstance? _shared;

    public IReadOnlyDictionary<string, string?> StoreSettings { get; private set; } = new Dictionary<string, string?>();

    public ApiClient Client => (_shared ?? throw new InvalidOperationException("Not started.")).Client;

    protected abstract Task<IReadOnlyDictionary<string, string?>> CreateStoreAsync();

    protected virtual Task DeleteStoreAsync() => Task.CompletedTask;

    /// <summary>A connection straight to the store's database, to see what the API wrote there.</summary>
    protected abstract DbConnection OpenRaw(string connectionString);

    /// <summary>The raw bodies of a precinct's stored revisions, read from the database itself.</summary>
    public async Task<IReadOnlyList<string>> StoredBodiesAsync(string precinct)
    {
        await using var connection = OpenRaw(StoreSettings["ConnectionStrings:Caucus"]!);
        await connection.OpenAsync();
        return [.. await connection.QueryAsync<string>(
            "SELECT raw_body FROM revisions WHERE precinct_id = @precinct ORDER BY revision", new { precinct })];
    }

    /// <summary>One number read from the store's database itself.</summary>
    public async Task<long> ScalarAsync(string sql, object? parameters = null)
    {
        await using var connection = OpenRaw(StoreSettings["ConnectionStrings:Caucus"]!);
        await connection.OpenAsync();
        return await connection.ExecuteScalarAsync<long>(sql, parameters);
    }

    /// <summary>Runs one statement on the store's database itself, as another instance (or an operator) would.</summary>
    public async Task ExecuteAsync(string sql, object? parameters = null)
    {
        await using var connection = OpenRaw(StoreSettings["ConnectionStrings:Caucus"]!);
        await connection.OpenAsync();
        await connection.ExecuteAsync(sql, parameters);
    }

    public ApiInstance StartInstance(int failedAuthLimit = GenerousFailedAuthLimit, IReadOnlyDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? services = null) =>
        new(StoreSettings, failedAuthLimit, settings, services);

    /// <summary>An instance whose clock is <paramref name="time"/>: the test moves time instead of waiting for it.</summary>
    public ApiInstance StartInstance(TimeProvider time, int failedAuthLimit = GenerousFailedAuthLimit, IReadOnlyDictionary<string, string?>? settings = null) =>
        StartInstance(failedAuthLimit, settings, s => s.AddSingleton(time));

    public async Task InitializeAsync()
    {
        StoreSettings = await CreateStoreAsync();
        _shared = StartInstance();
    }

    public async Task DisposeAsync()
    {
        if (_shared is not null)
        {
            await _shared.DisposeAsync();
        }

        await DeleteStoreAsync();
    }
}

public sealed class SqliteApiHost : ApiHost
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"caucus-api-{Guid.NewGuid():N}");

    protected override Task<IReadOnlyDictionary<string, string?>> CreateStoreAsync()
    {
        Directory.CreateDirectory(_directory);
        return Task.FromResult<IReadOnlyDictionary<string, string?>>(new Dictionary<string, string?>
        {
            ["Caucus:Store"] = "sqlite",
            ["ConnectionStrings:Caucus"] = $"Data Source={Path.Combine(_directory, "caucus.db")}",
        });
    }

    protected override DbConnection OpenRaw(string connectionString) => new SqliteConnection(connectionString);

    protected override Task DeleteStoreAsync()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }

        return Task.CompletedTask;
    }
}

public sealed class PostgresApiHost(PostgresServer server) : ApiHost
{
    protected override async Task<IReadOnlyDictionary<string, string?>> CreateStoreAsync() => new Dictionary<string, string?>
    {
        ["Caucus:Store"] = "postgres",
        ["ConnectionStrings:Caucus"] = await server.CreateDatabaseAsync(),
    };

    protected override DbConnection OpenRaw(string connectionString) => new NpgsqlConnection(connectionString);
}
