using System.Collections.Concurrent;

namespace Caucus.Api.Auth;

/// <summary>
/// The credentials this instance knows to be revoked, and a cancellation per credential that its open streams
/// hold: revoking cancels it, so a revoked screen's stream ends at once rather than at its next reconnect.
/// Revocations arrive from the revoking request (this instance) and from <see cref="RevocationFollower"/> (all).
/// </summary>
public sealed class RevokedCredentials
{
    private readonly ConcurrentDictionary<string, bool> _revoked = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _sessions = new(StringComparer.Ordinal);

    public bool IsRevoked(string tokenId) => _revoked.ContainsKey(tokenId);

    /// <summary>Marks the credential revoked and ends whatever it holds open; true the first time on this instance.</summary>
    public bool Revoke(string tokenId)
    {
        var first = _revoked.TryAdd(tokenId, true);
        // Not disposed: a stream may be linking to its token right now; a source without a timer holds nothing to free.
        if (_sessions.TryRemove(tokenId, out var session)) session.Cancel();
        return first;
    }

    /// <summary>
    /// Cancelled when <paramref name="tokenId"/> is revoked (at once if it already is). One source per credential,
    /// shared by its streams; it lives until the revocation (a night has a few thousand credentials).
    /// </summary>
    public CancellationToken Session(string tokenId)
    {
        if (IsRevoked(tokenId)) return new CancellationToken(canceled: true);
        var token = _sessions.GetOrAdd(tokenId, _ => new CancellationTokenSource()).Token;
        // A revocation between the check and the GetOrAdd may have missed the new source: look again.
        if (IsRevoked(tokenId)) Revoke(tokenId);
        return token;
    }
}
