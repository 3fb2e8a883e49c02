namespace Caucus.Api.Storage;

/// <summary>
/// A credential as listed to admins: never its hash. <see cref="RevokedAt"/> and <see cref="RevokedBy"/> are null
/// while it works.
/// </summary>
public sealed record TokenListing(
    string Id,
    string Role,
    string? PrecinctId,
    string? Source,
    DateTimeOffset CreatedAt,
    DateTimeOffset? RevokedAt,
    string? RevokedBy);

/// <summary>
/// One revocation: <see cref="Seq"/> orders revocations (instances poll for those after the last they applied);
/// <see cref="PrecinctId"/> is the revoked token's precinct, if it was bound to one.
/// </summary>
public sealed record TokenRevocation(long Seq, string TokenId, string RevokedBy, DateTimeOffset RevokedAt, string? PrecinctId);

/// <summary>What a revocation did. Closed set: <see cref="Revoked"/>, <see cref="UnknownToken"/>.</summary>
public abstract record RevocationOutcome
{
    private RevocationOutcome()
    {
    }

    /// <summary>
    /// The token is revoked: by this call, or already by an earlier one (revoking is idempotent: the listing is the
    /// first revocation's, whoever asks again).
    /// </summary>
    public sealed record Revoked(TokenListing Token, TokenRevocation Revocation) : RevocationOutcome;

    /// <summary>No stored token has this id.</summary>
    public sealed record UnknownToken : RevocationOutcome;
}

internal sealed class TokenListingRow
{
    public string Id { get; set; } = "";
    public string Role { get; set; } = "";
    public string? PrecinctId { get; set; }
    public string? Source { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public long? RevocationSeq { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    public string? RevokedBy { get; set; }

    public TokenListing ToListing() => new(Id, Role, PrecinctId, Source, CreatedAt, RevokedAt, RevokedBy);

    public TokenRevocation? ToRevocation() =>
        RevocationSeq is { } seq ? new TokenRevocation(seq, Id, RevokedBy ?? "", RevokedAt ?? default, PrecinctId) : null;
}

internal sealed class RevocationRow
{
    public long Seq { get; set; }
    public string TokenId { get; set; } = "";
    public string RevokedBy { get; set; } = "";
    public DateTimeOffset RevokedAt { get; set; }
    public string? PrecinctId { get; set; }

    public TokenRevocation ToRevocation() => new(Seq, TokenId, RevokedBy, RevokedAt, PrecinctId);
}

/// <summary>The SQL of revocations, the same in both dialects (schema 0007).</summary>
internal static class RevocationSql
{
    private const string ListingColumns = """
        t.id AS Id, t.role AS Role, t.precinct_id AS PrecinctId, t.source AS Source, t.created_at AS CreatedAt,
        r.seq AS RevocationSeq, r.revoked_at AS RevokedAt, r.revoked_by AS RevokedBy
        FROM tokens t LEFT JOIN token_revocations r ON r.token_id = t.id
        """;

    private const string RevocationColumns = """
        r.seq AS Seq, r.token_id AS TokenId, r.revoked_by AS RevokedBy, r.revoked_at AS RevokedAt, t.precinct_id AS PrecinctId
        FROM token_revocations r JOIN tokens t ON t.id = r.token_id
        """;

    public const string TokenListing = $"SELECT {ListingColumns} WHERE t.id = @Id";

    /// <summary>Every credential, oldest first (a night has a few thousand: one per precinct, operators, screens).</summary>
    public const string TokenListings = $"SELECT {ListingColumns} ORDER BY t.created_at, t.id";

    public const string InsertRevocation = """
        INSERT INTO token_revocations (token_id, revoked_by, revoked_at) VALUES (@TokenId, @RevokedBy, @RevokedAt)
        """;

    public const string RevocationsAfter = $"SELECT {RevocationColumns} WHERE r.seq > @AfterSeq ORDER BY r.seq";

    public const string RevocationsOfPrecinct = $"SELECT {RevocationColumns} WHERE t.precinct_id = @PrecinctId ORDER BY r.seq";

    /// <summary>A token by hash, with whether it is revoked (a revoked token is refused, not cached as working).</summary>
    public const string TokenByHash = """
        SELECT t.id AS Id, t.token_hash AS TokenHash, t.role AS Role, t.precinct_id AS PrecinctId, t.created_at AS CreatedAt,
               t.source AS Source, r.revoked_at AS RevokedAt
        FROM tokens t LEFT JOIN token_revocations r ON r.token_id = t.id WHERE t.token_hash = @TokenHash
        """;
}
