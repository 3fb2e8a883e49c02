using System.Data.Common;
using Dapper;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Caucus.Api.Storage;

/// <summary>
/// The production store: several API instances share one PostgreSQL. Each instance has its own writer
/// with group commit; every write transaction takes one advisory lock, so transactions from all instances
/// commit one at a time, in seq order. That is what makes "load changes after seq N" a complete catch-up
/// (no transaction can later commit a smaller seq) and keeps per-precinct revision numbers gap-free.
/// The lock costs little because each transaction carries a whole batch.
/// </summary>
public sealed class PostgresDialect : StoreDialect
{
    public const string NotificationChannel = "caucus_revisions";

    /// <summary>Revocations have their own channel: a revoked credential must stop working everywhere at once.</summary>
    public const string RevocationChannel = "caucus_revocations";

    // Arbitrary but fixed advisory lock keys ("Caucus" in ASCII, then a small number).
    private const long SchemaLockKey = 0x436175637573_01;
    private const long AppendLockKey = 0x436175637573_02;

    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgresCommitListener _listener;
    private PostgresRevisionBatch? _revisionBatch;

    public PostgresDialect(string connectionString, CaucusStoreOptions options, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        // A dead database must fail fast (the API answers 503), not hold requests for Npgsql's default 15 s.
        if (!given.ContainsKey("Timeout"))
        {
            builder.Timeout = 3;
        }

        // A frozen server (SIGSTOP, a hung disk) accepts connections and then never answers: without a command
        // time-out the single writer would wait on it for Npgsql's 30 s, or for ever on a COMMIT. Keep-alives find
        // a connection whose peer went away without a word (a dead host, a dropped NAT entry).
        if (!given.ContainsKey("Command Timeout") && !given.ContainsKey("CommandTimeout"))
        {
            builder.CommandTimeout = Math.Max(1, (int)Math.Ceiling(options.CommandTimeout.TotalSeconds));
        }

        // After a time-out Npgsql sends the server a cancel request and by default waits 2 s for its answer, which a
        // frozen server never gives; do not wait: the timed-out connection is broken and dropped either way.
        if (!given.ContainsKey("Cancellation Timeout") && !given.ContainsKey("CancellationTimeout"))
        {
            builder.CancellationTimeout = -1;
        }

        if (!given.ContainsKey("Keepalive"))
        {
            builder.KeepAlive = 10;
        }

        if (!given.ContainsKey("Tcp Keepalive") && !given.ContainsKey("TcpKeepalive"))
        {
            builder.TcpKeepAlive = true;
        }

        _dataSource = NpgsqlDataSource.Create(builder.ConnectionString);
        _listener = new PostgresCommitListener(builder.ConnectionString, NotificationChannel, RevocationChannel, options, logger);
    }

    public override string Name => "postgres";

    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken);

    public override async Task ApplySchemaAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        // Several instances may start together against a fresh database: one applies, the others wait.
        await connection.ExecuteAsync(new CommandDefinition(
            "SELECT pg_advisory_lock(@Key)", new { Key = SchemaLockKey }, cancellationToken: cancellationToken));
        try
        {
            await SchemaScripts.ApplyAsync(connection, Name,
                "CREATE TABLE IF NOT EXISTS schema_version (version text PRIMARY KEY, applied_at timestamptz NOT NULL)", now, cancellationToken);
        }
        finally
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "SELECT pg_advisory_unlock(@Key)", new { Key = SchemaLockKey }, cancellationToken: CancellationToken.None));
        }
    }

    public override string WriteLockSql => $"SELECT pg_advisory_xact_lock({AppendLockKey})";

    // NOTIFY inside the transaction is delivered only if, and once, it commits.
    public override string CommitNotificationSql => $"SELECT pg_notify('{NotificationChannel}', @Payload)";

    public override string RevocationNotificationSql => $"SELECT pg_notify('{RevocationChannel}', @Payload)";

    internal override IRevisionBatchStatements RevisionBatch => _revisionBatch ??= new PostgresRevisionBatch(WriteLockSql, CommitNotificationSql);

    public override string InsertRevisionSql => StoreSql.InsertRevision("OVERRIDING SYSTEM VALUE");

    public override bool IsTransient(Exception exception) =>
        exception is NpgsqlException { IsTransient: true } or TimeoutException;

    public override bool IsUnavailable(Exception exception) => exception switch
    {
        NpgsqlException { IsTransient: true } or TimeoutException => true,
        // connection_exception, operator intervention (shutdown), insufficient resources
        PostgresException pg => pg.SqlState.StartsWith("08", StringComparison.Ordinal)
            || pg.SqlState.StartsWith("57P", StringComparison.Ordinal)
            || pg.SqlState.StartsWith("53", StringComparison.Ordinal),
        NpgsqlException => true, // no server answer at all: socket, protocol, or broken connection
        _ => false,
    };

    public override void OnConnectionFault(Exception exception)
    {
        // After a server restart every idle pooled connection is dead; drop them all rather than
        // spending one retry on each.
        if (exception is NpgsqlException and not PostgresException || exception is PostgresException { SqlState: "57P01" })
        {
            _dataSource.Clear();
        }
    }

    public override Task StartListeningAsync(Action<long> committed, Action<long> revoked, CancellationToken cancellationToken) =>
        _listener.StartAsync(committed, revoked, cancellationToken);

    public override async ValueTask DisposeAsync()
    {
        await _listener.DisposeAsync();
        await _dataSource.DisposeAsync();
        await base.DisposeAsync();
    }
}
