using System.Data.Common;
using Caucus.Api.Storage;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;

namespace Caucus.Api.Tests.Storage;

public sealed class SqliteStoreTests : StoreContractTests
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"caucus-sqlite-{Guid.NewGuid():N}");

    private string ConnectionString => $"Data Source={Path.Combine(_directory, "caucus.db")}";

    protected override string Dialect => "sqlite";

    public override Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        return Task.CompletedTask;
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    protected override ICaucusStore NewStore() => new SqliteCaucusStore(ConnectionString, TestOptions);

    protected override async Task<DbConnection> OpenRawConnectionAsync()
    {
        var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    [Fact]
    public async Task The_database_is_in_WAL_mode_and_the_writer_syncs_fully()
    {
        await StartStoreAsync();
        await using var connection = await OpenRawConnectionAsync();
        Assert.Equal("wal", await connection.ExecuteScalarAsync<string>("PRAGMA journal_mode"));
        Assert.True(File.Exists(Path.Combine(_directory, "caucus.db-wal")));
    }

    [Fact]
    public async Task Factory_picks_sqlite_by_default_and_postgres_when_configured()
    {
        var sqlite = CaucusStoreFactory.Create(Config(("ConnectionStrings:Caucus", ConnectionString)));
        await using (sqlite)
        {
            Assert.IsType<SqliteCaucusStore>(sqlite);
        }

        var postgres = CaucusStoreFactory.Create(Config(("Caucus:Store", "postgres"), ("ConnectionStrings:Caucus", "Host=127.0.0.1;Username=x")));
        await using (postgres)
        {
            Assert.IsType<PostgresCaucusStore>(postgres);
        }

        Assert.Throws<InvalidOperationException>(() => CaucusStoreFactory.Create(Config(("Caucus:Store", "oracle"))));
        Assert.Throws<InvalidOperationException>(() => CaucusStoreFactory.Create(Config(("Caucus:Store", "postgres"))));
    }

    private static IConfiguration Config(params (string Key, string Value)[] pairs) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(pairs.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value)))
            .Build();
}
