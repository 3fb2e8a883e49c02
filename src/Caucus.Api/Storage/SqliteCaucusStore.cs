using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Caucus.Api.Storage;

/// <summary>
/// The embedded default. WAL so readers never wait on the writer; <c>synchronous=FULL</c> so a commit
/// is on disk before the caller is told, and an acknowledged report survives a power cut.
/// One write connection, owned by the writer; every read opens its own (pooled) connection.
/// Commit notifications cover this process only: one SQLite file serves one API instance.
/// </summary>
public sealed class SqliteCaucusStore : CaucusStoreBase
{
    private const int BusyTimeoutMilliseconds = 5000;

    // SQLite primary result codes (https://sqlite.org/rescode.html).
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;
    private const int SqliteIoError = 10;
    private const int SqliteFull = 13;
    private const int SqliteCantOpen = 14;

    private readonly string _connectionString;

    public SqliteCaucusStore(string connectionString, CaucusStoreOptions? options = null, ILogger<SqliteCaucusStore>? logger = null)
        : base(options ?? new CaucusStoreOptions(), logger ?? NullLogger<SqliteCaucusStore>.Instance)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (builder.DefaultTimeout < BusyTimeoutMilliseconds / 1000)
        {
            builder.DefaultTimeout = BusyTimeoutMilliseconds / 1000;
        }

        _connectionString = builder.ToString();
    }

    protected override string Dialect => "sqlite";

    protected override async Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken)
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

    protected override async Task ApplySchemaAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        // Each file runs in BEGIN IMMEDIATE (Microsoft.Data.Sqlite's default), which takes the write lock,
        // so two processes opening the same file cannot both apply it.
        await SchemaScripts.ApplyAsync(
            connection,
            Dialect,
            "CREATE TABLE IF NOT EXISTS schema_version (version TEXT PRIMARY KEY, applied_at TEXT NOT NULL)",
            TimestampParameter(Options.TimeProvider.GetUtcNow()),
            cancellationToken);
    }

    protected internal override object TimestampParameter(DateTimeOffset value) =>
        TruncateToMicroseconds(value).UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture);

    protected override bool IsTransient(Exception exception) =>
        exception is SqliteException { SqliteErrorCode: var code } && (code & 0xFF) is SqliteBusy or SqliteLocked;

    protected override bool IsUnavailable(Exception exception) =>
        exception is SqliteException { SqliteErrorCode: var code } && (code & 0xFF) is SqliteBusy or SqliteLocked or SqliteIoError or SqliteFull or SqliteCantOpen;

    // Both dialects keep microseconds, PostgreSQL's precision, so a timestamp reads back the same from either.
    internal static DateTimeOffset TruncateToMicroseconds(DateTimeOffset value) =>
        new(value.UtcTicks - (value.UtcTicks % 10), TimeSpan.Zero);
}
