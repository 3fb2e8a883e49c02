using Caucus.Api.Auth;
using Caucus.Api.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;

namespace Caucus.Api.Tests.Auth;

/// <summary>
/// The token cache with the database gone: a known credential keeps working from memory, one never seen cannot be
/// checked (503, not 401), and a revocation applied to <see cref="RevokedCredentials"/> stops a cached one at once.
/// </summary>
public sealed class TokenCacheTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Evening = new(2020, 2, 3, 19, 0, 0, TimeSpan.Zero);
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"caucus-tokens-{Guid.NewGuid():N}");

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_known_credential_works_with_the_database_gone_until_it_is_revoked()
    {
        await using var store = new SqliteCaucusStore($"Data Source={Path.Combine(_directory, "caucus.db")}", new CaucusStoreOptions
        {
            RetryBaseDelay = TimeSpan.FromMilliseconds(10),
            BreakDuration = TimeSpan.FromSeconds(1),
        });
        await store.InitializeAsync();
        var revoked = new RevokedCredentials();
        var cache = new TokenCache(store, new ConfigurationBuilder().Build(), revoked);
        await store.InsertTokenAsync(new StoredToken("tok-known", Hashing.Sha256Hex("known"), Roles.Hotline, null, Evening));
        await store.InsertTokenAsync(new StoredToken("tok-unseen", Hashing.Sha256Hex("unseen"), Roles.Hotline, null, Evening));
        Assert.Equal("tok-known", (await cache.FindAsync("known", CancellationToken.None))?.Id);
        var session = revoked.Session("tok-known");

        // The database goes away (its file and directory with it).
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);

        Assert.Equal("tok-known", (await cache.FindAsync("known", CancellationToken.None))?.Id);
        await Assert.ThrowsAsync<StoreUnavailableException>(async () => await cache.FindAsync("unseen", CancellationToken.None));
        Assert.False(session.IsCancellationRequested);

        revoked.Revoke("tok-known");

        Assert.Null(await cache.FindAsync("known", CancellationToken.None));
        Assert.True(session.IsCancellationRequested);
        Assert.True(revoked.Session("tok-known").IsCancellationRequested);
    }
}
