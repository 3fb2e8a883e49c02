using System.Collections.Concurrent;
using Caucus.Api.Storage;

namespace Caucus.Api.Auth;

/// <summary>
/// Resolves bearer tokens by their SHA-256 hash. Known tokens are kept in memory, so a caller already seen keeps
/// working while the database is down; a revoked one stops at once here and within a second elsewhere
/// (<see cref="RevokedCredentials"/>, fed by <see cref="RevocationFollower"/>), and one found revoked in the store
/// is refused. The admin token from <c>CAUCUS_ADMIN_TOKEN</c> is checked without the database at all, and
/// cannot be revoked (change the variable and restart).
/// </summary>
public sealed class TokenCache(ICaucusStore store, IConfiguration configuration, RevokedCredentials revoked)
{
    /// <summary>The id claims of the <c>CAUCUS_ADMIN_TOKEN</c> credential carry.</summary>
    public const string EnvironmentAdminId = "env-admin";

    private readonly ConcurrentDictionary<string, StoredToken> _known = new(StringComparer.Ordinal);
    private readonly string? _adminHash = configuration["CAUCUS_ADMIN_TOKEN"] is { Length: > 0 } admin ? Hashing.Sha256Hex(admin) : null;

    public bool HasAdminToken => _adminHash is not null;

    public async ValueTask<StoredToken?> FindAsync(string token, CancellationToken cancellationToken)
    {
        var hash = Hashing.Sha256Hex(token);
        if (_adminHash is not null && System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
                System.Text.Encoding.ASCII.GetBytes(hash), System.Text.Encoding.ASCII.GetBytes(_adminHash)))
        {
            return new StoredToken(EnvironmentAdminId, hash, Roles.Admin, null, DateTimeOffset.UnixEpoch);
        }
        if (_known.TryGetValue(hash, out var cached)) return revoked.IsRevoked(cached.Id) ? null : cached;
        var stored = await store.FindTokenByHashAsync(hash, cancellationToken);
        if (stored is null) return null;
        if (stored.RevokedAt is not null)
        {
            revoked.Revoke(stored.Id);
            return null;
        }
        _known[hash] = stored;
        // Revoked while it was being read: the revocation may have been applied before it was cached.
        return revoked.IsRevoked(stored.Id) ? null : stored;
    }

    public void Remember(StoredToken token) => _known[token.TokenHash] = token;
}
