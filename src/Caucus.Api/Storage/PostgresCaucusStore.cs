using System.Data.Common;
using System.Globalization;
using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Caucus.Api.Storage;

/// <summary>
/// The production store: several API instances share one PostgreSQL. Each instance has its own writer
/// with group commit; every write transaction takes one advisory lock, so transactions from all instances
/// commit one at a time, in seq order. That is what makes "load revisions after seq N" a complete catch-up
/// (no transaction can later commit a smaller seq) and keeps per-precinct revision numbers gap-free.
/// The lock costs little because each transaction carries a whole batch.
/// Each commit sends <c>NOTIFY caucus_revisions, '&lt;max seq&gt;'</c>; every instance keeps a dedicated
/// <c>LISTEN</c> connection, reconnecting after failures, and republishes what it hears.
/// </summary>
public sealed class PostgresCaucusStore : CaucusStoreBase
{
    public const string NotificationChannel = "caucus_revisions";

    // Arbitrary but fixed advisory lock keys ("Caucus" in ASCII, then a small number).
    private const long SchemaLockKey = 0x436175637573_01;
    private const long AppendLockKey = 0x436175637573_02;

    private readonly NpgsqlDataSource _dataSource;
    private readonly NpgsqlDataSource _listenerDataSource;
    private readonly CancellationTokenSource _stopListening = new();
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _listener;

    public PostgresCaucusStore(string connectionString, CaucusStoreOptions? options = null, ILogger<PostgresCaucusStore>? logger = null)
        : base(options ?? new CaucusStoreOptions(), logger ?? NullLogger<PostgresCaucusStore>.Instance)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        // A dead database must fail fast (the API answers 503), not hold requests for Npgsql's default 15 s.
        if (!HasKey(connectionString, "Timeout"))
        {
            builder.Timeout = 3;
        }

        _dataSource = NpgsqlDataSource.Create(builder.ConnectionString);
        var listenerBuilder = new NpgsqlConnectionStringBuilder(builder.ConnectionString) { Pooling = false };
        _listenerDataSource = NpgsqlDataSource.Create(listenerBuilder.ConnectionString);
    }

    protected override string Dialect => "postgres";

    protected override async Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken);

    protected override async Task ApplySchemaAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        // Several instances may start together against a fresh database: one applies, the others wait.
        await connection.ExecuteAsync(new CommandDefinition(
            "SELECT pg_advisory_lock(@Key)", new { Key = SchemaLockKey }, cancellationToken: cancellationToken));
        try
        {
            await SchemaScripts.ApplyAsync(
                connection,
                Dialect,
                "CREATE TABLE IF NOT EXISTS schema_version (version text PRIMARY KEY, applied_at timestamptz NOT NULL)",
                TimestampParameter(Options.TimeProvider.GetUtcNow()),
                cancellationToken);
        }
        finally
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "SELECT pg_advisory_unlock(@Key)", new { Key = SchemaLockKey }, cancellationToken: CancellationToken.None));
        }
    }

    protected override Task BeginWriteAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            "SELECT pg_advisory_xact_lock(@Key)", new { Key = AppendLockKey }, transaction, cancellationToken: cancellationToken));

    // NOTIFY inside the transaction is delivered only if, and once, it commits.
    protected override Task BeforeCommitAsync(DbConnection connection, DbTransaction transaction, long highestSeq, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            "SELECT pg_notify(@Channel, @Payload)",
            new { Channel = NotificationChannel, Payload = highestSeq.ToString(CultureInfo.InvariantCulture) },
            transaction,
            cancellationToken: cancellationToken));

    protected internal override object TimestampParameter(DateTimeOffset value) =>
        SqliteCaucusStore.TruncateToMicroseconds(value).UtcDateTime;

    protected override bool IsTransient(Exception exception) =>
        exception is NpgsqlException { IsTransient: true } or TimeoutException;

    protected override bool IsUnavailable(Exception exception) => exception switch
    {
        NpgsqlException { IsTransient: true } or TimeoutException => true,
        // connection_exception, operator intervention (shutdown), insufficient resources
        PostgresException pg => pg.SqlState.StartsWith("08", StringComparison.Ordinal)
            || pg.SqlState.StartsWith("57P", StringComparison.Ordinal)
            || pg.SqlState.StartsWith("53", StringComparison.Ordinal),
        NpgsqlException => true, // no server answer at all: socket, protocol, or broken connection
        _ => false,
    };

    protected override void OnConnectionFault(Exception exception)
    {
        // After a server restart every idle pooled connection is dead; drop them all rather than
        // spending one retry on each.
        if (exception is NpgsqlException and not PostgresException || exception is PostgresException { SqlState: "57P01" })
        {
            _dataSource.Clear();
        }
    }

    protected override async Task StartBackgroundAsync(CancellationToken cancellationToken)
    {
        _listener = Task.Run(() => ListenAsync(_stopListening.Token), CancellationToken.None);
        // Start-up continues once LISTEN is in place, so no commit after InitializeAsync goes unheard.
        await _listening.Task.WaitAsync(TimeSpan.FromSeconds(5), Options.TimeProvider, cancellationToken)
            .ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    protected override async ValueTask StopBackgroundAsync()
    {
        await _stopListening.CancelAsync();
        if (_listener is not null)
        {
            await _listener;
        }
    }

    protected override async ValueTask DisposeCoreAsync()
    {
        _stopListening.Dispose();
        await _listenerDataSource.DisposeAsync();
        await _dataSource.DisposeAsync();
        await base.DisposeCoreAsync();
    }

    private async Task ListenAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await _listenerDataSource.OpenConnectionAsync(cancellationToken);
                connection.Notification += (_, e) =>
                {
                    if (long.TryParse(e.Payload, NumberStyles.None, CultureInfo.InvariantCulture, out var seq))
                    {
                        PublishCommitted(seq);
                    }
                };
                await connection.ExecuteAsync(new CommandDefinition($"LISTEN {NotificationChannel}", cancellationToken: cancellationToken));

                // Anything committed while we were not listening (start-up, or a lost connection).
                var highest = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
                    "SELECT max(seq) FROM revisions", cancellationToken: cancellationToken));
                if (highest is > 0)
                {
                    PublishCommitted(highest.Value);
                }

                _listening.TrySetResult();
                while (true)
                {
                    // An idle connection can die silently; a periodic round trip finds out.
                    if (!await connection.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken))
                    {
                        await connection.ExecuteAsync(new CommandDefinition("SELECT 1", cancellationToken: cancellationToken));
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                Logger.LogWarning(ex, "LISTEN {Channel} connection lost; reconnecting.", NotificationChannel);
                try
                {
                    await Task.Delay(Options.ListenerReconnectDelay, Options.TimeProvider, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private static bool HasKey(string connectionString, string key) =>
        new DbConnectionStringBuilder { ConnectionString = connectionString }.ContainsKey(key);
}
