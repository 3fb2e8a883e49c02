using Caucus.Api.Storage;

namespace Caucus.Api.Auth;

/// <summary>
/// Applies revocations made on any instance to this one's <see cref="RevokedCredentials"/>: at once on a
/// notification (this instance's writer, PostgreSQL NOTIFY from the others), and by a poll every
/// <see cref="PollInterval"/> for revocations after the last applied, so one whose notification was lost (the
/// LISTEN connection reconnecting) still takes effect within a second. A poll that fails (the database is down)
/// changes nothing: known, unrevoked credentials keep working from memory.
/// </summary>
public sealed class RevocationFollower(ICaucusStore store, RevokedCredentials revoked, TimeProvider clock, ILogger<RevocationFollower> logger)
    : BackgroundService
{
    /// <summary>The bound: a revocation is effective on every instance within a second.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private long _cursor;
    private bool _failing;

    /// <summary>Loads and applies the revocations after the last applied (one load at a time).</summary>
    public async Task CatchUpAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var revocations = await store.LoadRevocationsAsync(_cursor, cancellationToken);
            foreach (var revocation in revocations)
            {
                if (revoked.Revoke(revocation.TokenId))
                {
                    logger.LogInformation("Credential {TokenId} revoked by {RevokedBy} at {RevokedAt:O}.", revocation.TokenId, revocation.RevokedBy,
                        revocation.RevokedAt);
                }
                _cursor = Math.Max(_cursor, revocation.Seq);
            }
            _failing = false;
        }
        finally
        {
            _gate.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var listen = Task.Run(async () =>
        {
            try
            {
                await foreach (var _ in store.WatchRevocationsAsync(stoppingToken)) await TryCatchUpAsync(stoppingToken);
            }
            catch (OperationCanceledException)
            {
            }
        }, stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            await TryCatchUpAsync(stoppingToken);
            try
            {
                await Task.Delay(PollInterval, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        await listen.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task TryCatchUpAsync(CancellationToken stoppingToken)
    {
        try
        {
            await CatchUpAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The database is down or not yet set up: try again at the next poll. Logged once per outage, not once a second.
            if (!_failing) logger.LogWarning(e, "Could not load revocations; trying again every {Interval} s.", PollInterval.TotalSeconds);
            _failing = true;
        }
    }

    public override void Dispose()
    {
        _gate.Dispose();
        base.Dispose();
    }
}
