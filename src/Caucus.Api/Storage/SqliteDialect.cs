using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Caucus.Api.Storage;

/// <summary>
/// The embedded default. WAL so readers never wait on the writer; <c>synchronous=FULL</c> so a commit
/// is on disk before the caller is told, and an acknowledged report survives a power cut.
/// Commit notifications cover this process only: one SQLite file serves one API instance.
/// </summary>
public sealed class SqliteDialect : StoreDialect
{
    private const int BusyTimeoutMilliseconds = 5000;

    // SQLite primary result codes (https://sqlite.org/rescode.html).
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;
    private const int SqliteIoError = 10;
    private const int SqliteFull = 13;
    private const int SqliteCantOpen = 14;

    private readonly string _connectionString;

    public SqliteDialect(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (builder.DefaultTimeout < BusyTimeoutMilliseconds / 1000)
        {
            builder.DefaultTimeout = BusyTimeoutMilliseconds / 1000;
        }

        _connectionString = builder.ToString();
    }

    public override string Name => "sqlite";

    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            // journal_mode is stored in the file; synchronous and busy_timeout are per connection.
            await connection.ExecuteAsync(new CommandDefinition(
                $"PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout={BusyTimeoutMilliseconds};",
                cancellationToken: cancellationToken));
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public override async Task ApplySchemaAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        // Each file runs in BEGIN IMMEDIATE (Microsoft.Data.Sqlite's default), which takes the write lock,
        // so two processes opening the same file cannot both apply it.
        await SchemaScripts.ApplyAsync(connection, Name,
            "CREATE TABLE IF NOT EXISTS schema_version (version TEXT PRIMARY KEY, applied_at TEXT NOT NULL)", now, cancellationToken);
    }

    public override bool IsTransient(Exception exception) =>
        exception is SqliteException { SqliteErrorCode: var code } && (code & 0xFF) is SqliteBusy or SqliteLocked;

    public override bool IsUnavailable(Exception exception) =>
        exception is SqliteException { SqliteErrorCode: var code } && (code & 0xFF) is SqliteBusy or SqliteLocked or SqliteIoError or SqliteFull or SqliteCantOpen;
}
