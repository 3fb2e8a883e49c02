using System.Collections.Concurrent;
using Caucus.Api.Storage;

namespace Caucus.Api.Auth;

/// <summary>
/// Resolves bearer tokens by their SHA-256 hash. Known tokens are kept in memory (tokens are never
/// revoked in v1), so a caller already seen keeps working while the database is down. The admin token
/// from <c>CAUCUS_ADMIN_TOKEN</c> is checked without the database at all.
/// </summary>
public sealed class TokenCache(ICaucusStore store, IConfiguration configuration)
{
    private readonly ConcurrentDictionary<string, StoredToken> _known = new(StringComparer.Ordinal);
    private readonly string? _adminHash = configuration["CAUCUS_ADMIN_TOKEN"] is { Length: > 0 } admin ? Hashing.Sha256Hex(admin) : null;

    public bool HasAdminToken => _adminHash is not null;

    public async ValueTask<StoredToken?> FindAsync(string token, CancellationToken cancellationToken)
    {
        var hash = Hashing.Sha256Hex(token);
        if (_adminHash is not null && System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
                System.Text.Encoding.ASCII.GetBytes(hash), System.Text.Encoding.ASCII.GetBytes(_adminHash)))
        {
            return new StoredToken("env-admin", hash, Roles.Admin, null, DateTimeOffset.UnixEpoch);
        }
        if (_known.TryGetValue(hash, out var cached)) return cached;
        var stored = await store.FindTokenByHashAsync(hash, cancellationToken);
        if (stored is not null) _known[hash] = stored;
        return stored;
    }

    public void Remember(StoredToken token) => _known[token.TokenHash] = token;
}
