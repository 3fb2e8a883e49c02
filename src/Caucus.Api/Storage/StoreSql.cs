namespace Caucus.Api.Storage;

/// <summary>The SQL both dialects share. Columns are aliased to the row classes' property names.</summary>
internal static class StoreSql
{
    private const string RevisionColumns = """
        seq AS Seq, precinct_id AS PrecinctId, revision AS Revision, source AS Source, actor AS Actor,
        received_at AS ReceivedAt, idempotency_key AS IdempotencyKey, body_hash AS BodyHash, raw_body AS RawBody
        """;

    public const string RevisionByKey = $"SELECT {RevisionColumns} FROM revisions WHERE idempotency_key = @IdempotencyKey";

    // The next revision number is read and written in the same statement, inside the writer's transaction,
    // which holds the write lock (SQLite: BEGIN IMMEDIATE; PostgreSQL: the append advisory lock).
    public const string InsertRevision = """
        INSERT INTO revisions (precinct_id, revision, source, actor, received_at, idempotency_key, body_hash, raw_body)
        SELECT @PrecinctId, COALESCE(MAX(revision), 0) + 1, @Source, @Actor, @ReceivedAt, @IdempotencyKey, @BodyHash, @RawBody
        FROM revisions WHERE precinct_id = @PrecinctId
        RETURNING seq AS Seq, revision AS Revision
        """;

    public const string RevisionsAfter = $"SELECT {RevisionColumns} FROM revisions WHERE seq > @AfterSeq ORDER BY seq";

    public const string RevisionsOfPrecinct = $"SELECT {RevisionColumns} FROM revisions WHERE precinct_id = @PrecinctId ORDER BY seq";

    public const string InsertRejected = """
        INSERT INTO rejected_submissions (precinct_id, actor, received_at, raw_body, reason, idempotency_key)
        VALUES (@PrecinctId, @Actor, @ReceivedAt, @RawBody, @Reason, @IdempotencyKey)
        RETURNING seq
        """;

    public const string RejectionsOfPrecinct = """
        SELECT seq AS Seq, precinct_id AS PrecinctId, actor AS Actor, received_at AS ReceivedAt, raw_body AS RawBody,
               reason AS Reason, idempotency_key AS IdempotencyKey
        FROM rejected_submissions WHERE precinct_id = @PrecinctId ORDER BY seq
        """;

    public const string InsertCertification = """
        INSERT INTO certifications (through_seq, actor, certified_at, note)
        VALUES (@ThroughSeq, @Actor, @CertifiedAt, @Note)
        """;

    public const string LatestCertification = """
        SELECT through_seq AS ThroughSeq, actor AS Actor, certified_at AS CertifiedAt, note AS Note
        FROM certifications ORDER BY seq DESC LIMIT 1
        """;

    public const string InsertToken = """
        INSERT INTO tokens (id, token_hash, role, precinct_id, created_at)
        VALUES (@Id, @TokenHash, @Role, @PrecinctId, @CreatedAt)
        """;

    public const string TokenByHash = """
        SELECT id AS Id, token_hash AS TokenHash, role AS Role, precinct_id AS PrecinctId, created_at AS CreatedAt
        FROM tokens WHERE token_hash = @TokenHash
        """;
}

// Row shapes Dapper fills. Timestamps arrive as text (SQLite) or DateTime (PostgreSQL), hence object.
internal sealed class RevisionRow
{
    public long Seq { get; set; }
    public string PrecinctId { get; set; } = "";
    public long Revision { get; set; }
    public string Source { get; set; } = "";
    public string Actor { get; set; } = "";
    public object ReceivedAt { get; set; } = "";
    public string? IdempotencyKey { get; set; }
    public string BodyHash { get; set; } = "";
    public string RawBody { get; set; } = "";

    public StoredRevision ToStored() => new(
        Seq, PrecinctId, checked((int)Revision), Source, Actor, Timestamps.Read(ReceivedAt), IdempotencyKey, BodyHash, RawBody);
}

internal sealed class InsertedRow
{
    public long Seq { get; set; }
    public long Revision { get; set; }
}

internal sealed class RejectionRow
{
    public long Seq { get; set; }
    public string? PrecinctId { get; set; }
    public string? Actor { get; set; }
    public object ReceivedAt { get; set; } = "";
    public string RawBody { get; set; } = "";
    public string Reason { get; set; } = "";
    public string? IdempotencyKey { get; set; }

    public StoredRejection ToStored() => new(Seq, PrecinctId, Actor, Timestamps.Read(ReceivedAt), RawBody, Reason, IdempotencyKey);
}

internal sealed class TokenRow
{
    public string Id { get; set; } = "";
    public string TokenHash { get; set; } = "";
    public string Role { get; set; } = "";
    public string? PrecinctId { get; set; }
    public object CreatedAt { get; set; } = "";

    public StoredToken ToStored() => new(Id, TokenHash, Role, PrecinctId, Timestamps.Read(CreatedAt));
}

internal sealed class CertificationRow
{
    public long ThroughSeq { get; set; }
    public string Actor { get; set; } = "";
    public object CertifiedAt { get; set; } = "";
    public string? Note { get; set; }

    public Certification ToCertification() => new(ThroughSeq, Actor, Timestamps.Read(CertifiedAt), Note);
}

internal static class Timestamps
{
    public static DateTimeOffset Read(object value) => value switch
    {
        DateTimeOffset offset => offset.ToUniversalTime(),
        DateTime time => new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc)),
        string text => DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.RoundtripKind).ToUniversalTime(),
        _ => throw new InvalidOperationException($"Unexpected timestamp value of type {value.GetType()}."),
    };
}
