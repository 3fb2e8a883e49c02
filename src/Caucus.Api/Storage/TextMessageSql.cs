namespace Caucus.Api.Storage;

/// <summary>The SQL of texts and phone bindings (schema 0009), the same text for both databases.</summary>
internal static class TextMessageSql
{
    public const string InsertBinding = """
        INSERT INTO phone_bindings (phone_hash, token_id, bound_by, bound_at)
        VALUES (@PhoneHash, @TokenId, @BoundBy, @BoundAt)
        """;

    public const string BindingExists = """
        SELECT COUNT(*) FROM phone_bindings
        WHERE phone_hash = @PhoneHash AND token_id = @TokenId AND bound_at = @BoundAt
        """;

    public const string TokenByPhone = """
        SELECT t.id, t.token_hash AS TokenHash, t.role, t.precinct_id AS PrecinctId, t.created_at AS CreatedAt, t.source,
               r.revoked_at AS RevokedAt
        FROM phone_bindings b
        JOIN tokens t ON t.id = b.token_id
        LEFT JOIN token_revocations r ON r.token_id = t.id
        WHERE b.phone_hash = @PhoneHash
        ORDER BY b.seq DESC
        LIMIT 1
        """;

    /// <summary>Credentials some number is bound to now: a number's latest binding only.</summary>
    public const string BoundTokens = """
        SELECT b.token_id FROM phone_bindings b
        WHERE b.seq = (SELECT MAX(l.seq) FROM phone_bindings l WHERE l.phone_hash = b.phone_hash)
        """;

    private const string Columns = """
        seq, gateway, message_id AS MessageId, phone_hash AS PhoneHash, token_id AS TokenId, precinct_id AS PrecinctId, kind,
        body, request, body_hash AS RequestHash, report_body AS ReportBody, confirms_seq AS ConfirmsSeq, revision_seq AS RevisionSeq,
        reply, received_at AS ReceivedAt
        """;

    public const string InsertText = """
        INSERT INTO text_messages (gateway, message_id, phone_hash, token_id, precinct_id, kind, body, body_hash, request,
                                   report_body, confirms_seq, revision_seq, reply, received_at)
        VALUES (@Gateway, @MessageId, @PhoneHash, @TokenId, @PrecinctId, @Kind, @Body, @RequestHash, @Request,
                @ReportBody, @ConfirmsSeq, @RevisionSeq, @Reply, @ReceivedAt)
        """;

    public const string TextById = $"SELECT {Columns} FROM text_messages WHERE gateway = @Gateway AND message_id = @MessageId";

    public const string LatestOfPhone = $"SELECT {Columns} FROM text_messages WHERE phone_hash = @PhoneHash ORDER BY seq DESC LIMIT 1";

    public const string OfPrecinct = $"SELECT {Columns} FROM text_messages WHERE precinct_id = @PrecinctId ORDER BY seq DESC LIMIT @Limit";
}
