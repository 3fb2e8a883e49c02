using System.Globalization;
using Dapper;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Caucus.Api.Storage;

/// <summary>
/// Hears commits made by every instance on the same database: a dedicated, unpooled <c>LISTEN</c>
/// connection, reconnecting after failures, that reports the highest seq of each commit's NOTIFY (a <see cref="CommitRange"/>) (and, after each (re)connect,
/// the highest seq committed while nobody listened); and, on a second channel of the same connection, each
/// revocation's seq (one lost while reconnecting is found by the revocation follower's poll).
/// </summary>
internal sealed class PostgresCommitListener(string connectionString, string channel, string revocationChannel, CaucusStoreOptions options, ILogger logger)
    : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(5);

    private readonly NpgsqlDataSource _dataSource =
        NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _loop;

    public async Task StartAsync(Action<long> committed, Action<long> revoked, CancellationToken cancellationToken)
    {
        _loop = Task.Run(() => ListenAsync(committed, revoked, _stop.Token), CancellationToken.None);
        // Start-up continues once LISTEN is in place, so no commit after start goes unheard. If it is not in
        // place in time (the database is slow or down), say so and go on: the follower's safety poll covers
        // the gap until the listener connects.
        try
        {
            await _listening.Task.WaitAsync(StartTimeout, options.TimeProvider, cancellationToken);
        }
        catch (TimeoutException)
        {
            logger.LogWarning("LISTEN {Channel} was not in place within {Seconds} s; other instances' commits are polled until it is.",
                channel, StartTimeout.TotalSeconds);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            await _loop;
        }

        _stop.Dispose();
        await _dataSource.DisposeAsync();
    }

    private async Task ListenAsync(Action<long> committed, Action<long> revoked, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
                connection.Notification += (_, e) =>
                {
                    if (e.Channel == revocationChannel)
                    {
                        if (long.TryParse(e.Payload, NumberStyles.None, CultureInfo.InvariantCulture, out var seq)) revoked(seq);
                    }
                    else if (CommitRange.TryParse(e.Payload, out var range))
                    {
                        // A commit's range "from-to" (or one number from an older instance): followers want the highest.
                        committed(range.To);
                    }
                };
                await connection.ExecuteAsync(new CommandDefinition($"LISTEN {channel}; LISTEN {revocationChannel}", cancellationToken: cancellationToken));

                // Anything committed while we were not listening (start-up, or a lost connection).
                var highest = await connection.ExecuteScalarAsync<long>(new CommandDefinition(StoreSql.HighestSeq, cancellationToken: cancellationToken));
                if (highest > 0)
                {
                    committed(highest);
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
                logger.LogWarning(ex, "LISTEN {Channel} connection lost; reconnecting.", channel);
                try
                {
                    await Task.Delay(options.ListenerReconnectDelay, options.TimeProvider, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
