namespace Caucus.Api.Storage;

/// <summary>The SQL both dialects share. Columns are aliased to the row classes' property names.</summary>
internal static class StoreSql
{
    private const string RevisionColumns = """
        seq AS Seq, precinct_id AS PrecinctId, revision AS Revision, source AS Source, actor AS Actor,
        received_at AS ReceivedAt, idempotency_key AS IdempotencyKey, body_hash AS BodyHash, raw_body AS RawBody,
        submission_id AS SubmissionId
        """;

    /// <summary>The highest commit seq of revisions and certifications: one sequence for both (the results version).</summary>
    public const string HighestSeq = """
        SELECT COALESCE(MAX(s), 0) FROM (
            SELECT MAX(seq) AS s FROM revisions
            UNION ALL SELECT MAX(change_seq) FROM certifications
            UNION ALL SELECT MAX(change_seq) FROM review_decisions
            UNION ALL SELECT MAX(change_seq) FROM group_merges) AS highest
        """;

    /// <summary>
    /// Whether the latest certification of this mode follows every revision and review decision: the results are
    /// certified now (the core's rule, <c>ResultsStatusRule.IsCertified</c>, read under the write lock).
    /// </summary>
    public const string CertifiedNow = """
        SELECT COUNT(*) FROM certifications
        WHERE test = @Test
          AND COALESCE(change_seq, through_seq) >= (SELECT COALESCE(MAX(s), 0) FROM (
              SELECT MAX(seq) AS s FROM revisions UNION ALL SELECT MAX(change_seq) FROM review_decisions
              UNION ALL SELECT MAX(change_seq) FROM group_merges) AS changes)
          AND COALESCE(change_seq, through_seq) > 0
        """;

    /// <summary>A key is scoped to the precinct and the credential (schema 0006): another credential's key is not ours to replay.</summary>
    public const string RevisionByKey = $"""
        SELECT {RevisionColumns} FROM revisions
        WHERE precinct_id = @PrecinctId AND actor = @Actor AND idempotency_key = @IdempotencyKey
        """;

    public const string RevisionBySubmission = $"SELECT {RevisionColumns} FROM revisions WHERE submission_id = @SubmissionId";

    /// <summary>
    /// The writer gives the seq (the next of the one sequence, under its write lock). The next revision number
    /// is read and written in the same statement, inside that transaction.
    /// </summary>
    public static string InsertRevision(string overriding) => $"""
        INSERT INTO revisions (seq, precinct_id, revision, source, actor, received_at, idempotency_key, body_hash, raw_body, submission_id, raw_bytes)
        {overriding}
        SELECT @Seq, @PrecinctId, COALESCE(MAX(revision), 0) + 1, @Source, @Actor, @ReceivedAt, @IdempotencyKey, @BodyHash, @RawBody, @SubmissionId, @RawBytes
        FROM revisions WHERE precinct_id = @PrecinctId
        RETURNING revision
        """;

    public const string RevisionsAfter = $"SELECT {RevisionColumns} FROM revisions WHERE seq > @AfterSeq ORDER BY seq";

    /// <summary>
    /// The sizes of a precinct's next revisions, read before the rows (AuditPage): octet_length reads a value's
    /// length without its bytes (PostgreSQL from the TOAST header, SQLite 3.43+ from the record header).
    /// </summary>
    public const string RevisionSizesOfPrecinct = """
        SELECT seq AS Seq, octet_length(raw_body) + COALESCE(octet_length(raw_bytes), 0) AS Bytes FROM revisions
        WHERE precinct_id = @PrecinctId AND seq > @After ORDER BY seq LIMIT @Limit
        """;

    /// <summary>One audit page of a precinct's revisions, with the exact bytes: those sized, through the page's last seq.</summary>
    public const string RevisionsOfPrecinct = $"""
        SELECT {RevisionColumns}, raw_bytes AS RawBytes FROM revisions
        WHERE precinct_id = @PrecinctId AND seq > @After AND seq <= @Through ORDER BY seq
        """;

    /// <summary>A refusal keeps a bounded prefix, size and hash; raw_body is '' from schema 0006 on.</summary>
    public const string InsertRejected = """
        INSERT INTO rejected_submissions (precinct_id, actor, received_at, raw_body, reason, idempotency_key, body_prefix, body_size, body_sha256)
        VALUES (@PrecinctId, @Actor, @ReceivedAt, '', @Reason, @IdempotencyKey, @BodyPrefix, @BodySize, @BodySha256)
        RETURNING seq
        """;

    public const string RejectionSizesOfPrecinct = """
        SELECT seq AS Seq, COALESCE(octet_length(body_prefix), 0) + octet_length(raw_body) + octet_length(reason) AS Bytes
        FROM rejected_submissions WHERE precinct_id = @PrecinctId AND seq > @After ORDER BY seq LIMIT @Limit
        """;

    /// <summary>One audit page of a precinct's refusals.</summary>
    public const string RejectionsOfPrecinct = """
        SELECT seq AS Seq, precinct_id AS PrecinctId, actor AS Actor, received_at AS ReceivedAt, raw_body AS RawBody,
               reason AS Reason, idempotency_key AS IdempotencyKey, body_prefix AS BodyPrefix, body_size AS BodySize, body_sha256 AS BodySha256
        FROM rejected_submissions WHERE precinct_id = @PrecinctId AND seq > @After AND seq <= @Through ORDER BY seq
        """;

    /// <summary>Changes of any kind committed after the version an admin certifies: the results moved.</summary>
    public const string ChangesAfterCount = """
        SELECT (SELECT COUNT(*) FROM revisions WHERE seq > @ThroughSeq)
             + (SELECT COUNT(*) FROM review_decisions WHERE change_seq > @ThroughSeq)
             + (SELECT COUNT(*) FROM certifications WHERE change_seq > @ThroughSeq)
             + (SELECT COUNT(*) FROM group_merges WHERE change_seq > @ThroughSeq)
        """;

    public const string InsertCertification = """
        INSERT INTO certifications (change_seq, through_seq, actor, certified_at, note, test)
        VALUES (@Seq, @ThroughSeq, @Actor, @CertifiedAt, @Note, @Test)
        """;

    public const string InsertReviewDecision = """
        INSERT INTO review_decisions (change_seq, item_key, precinct_id, revision_seq, action, reason, actor, decided_at)
        VALUES (@Seq, @ItemKey, @PrecinctId, @RevisionSeq, @Action, @Reason, @Actor, @DecidedAt)
        """;

    public const string DecisionSizesOfPrecinct = """
        SELECT change_seq AS Seq, octet_length(reason) AS Bytes
        FROM review_decisions WHERE precinct_id = @PrecinctId AND change_seq > @After ORDER BY change_seq LIMIT @Limit
        """;

    public const string DecisionsOfPrecinct = """
        SELECT change_seq AS Seq, item_key AS ItemKey, precinct_id AS PrecinctId, revision_seq AS RevisionSeq, action AS Action,
               reason AS Reason, actor AS Actor, decided_at AS DecidedAt
        FROM review_decisions WHERE precinct_id = @PrecinctId AND change_seq > @After AND change_seq <= @Through ORDER BY change_seq
        """;

    /// <summary>The readiness probe's round trip.</summary>
    public const string Ping = "SELECT 1";

    /// <summary>
    /// Revisions and certifications after a seq in one statement, so one snapshot: two reads could each miss
    /// a change committed between them while the other saw a later one.
    /// </summary>
    public const string ChangesAfter = """
        SELECT seq AS Seq, 'revision' AS Kind, precinct_id AS PrecinctId, revision AS Revision, source AS Source, actor AS Actor,
               received_at AS At, idempotency_key AS IdempotencyKey, body_hash AS BodyHash, raw_body AS RawBody,
               submission_id AS SubmissionId, CAST(NULL AS bigint) AS ThroughSeq, CAST(NULL AS text) AS Note, CAST(NULL AS text) AS ItemKey,
               CAST(NULL AS text) AS Action, 0 AS Test
        FROM revisions WHERE seq > @AfterSeq
        UNION ALL
        SELECT COALESCE(change_seq, through_seq), 'certification', NULL, NULL, NULL, actor,
               certified_at, NULL, NULL, NULL, NULL, through_seq, note, NULL, NULL, CASE WHEN test THEN 1 ELSE 0 END
        FROM certifications WHERE COALESCE(change_seq, through_seq) > @AfterSeq
        UNION ALL
        SELECT change_seq, 'review', precinct_id, NULL, NULL, actor,
               decided_at, NULL, NULL, NULL, NULL, revision_seq, reason, item_key, action, 0
        FROM review_decisions WHERE change_seq > @AfterSeq
        UNION ALL
        SELECT change_seq, 'merge', NULL, NULL, NULL, actor,
               merged_at, NULL, NULL, NULL, NULL, NULL, into_name, from_name, action, 0
        FROM group_merges WHERE change_seq > @AfterSeq
        ORDER BY 1, 2 DESC
        """;

    public const string InsertGroupMerge = """
        INSERT INTO group_merges (change_seq, action, from_name, into_name, actor, merged_at)
        VALUES (@Seq, @Action, @FromName, @IntoName, @Actor, @MergedAt)
        """;

    /// <summary>Every merge and unmerge headquarters made, in order: the audit trail of the war room's group names.</summary>
    public const string GroupMerges = """
        SELECT change_seq AS Seq, action AS Action, from_name AS FromName, into_name AS IntoName, actor AS Actor, merged_at AS MergedAt
        FROM group_merges ORDER BY change_seq
        """;

    public const string InsertToken = """
        INSERT INTO tokens (id, token_hash, role, precinct_id, created_at, source)
        VALUES (@Id, @TokenHash, @Role, @PrecinctId, @CreatedAt, @Source)
        """;

    public const string TokenById = "SELECT COUNT(*) FROM tokens WHERE id = @Id";
}
