namespace Caucus.Api.Storage;

// Row shapes Dapper fills; timestamps go through TimestampHandler in both directions.

internal sealed class RevisionRow
{
    public long Seq { get; set; }
    public string PrecinctId { get; set; } = "";
    public long Revision { get; set; }
    public string Source { get; set; } = "";
    public string Actor { get; set; } = "";
    public DateTimeOffset ReceivedAt { get; set; }
    public string? IdempotencyKey { get; set; }
    public string BodyHash { get; set; } = "";
    public string RawBody { get; set; } = "";
    public string? SubmissionId { get; set; }

    /// <summary>Read by the audit only (null elsewhere, and on rows stored before schema 0006).</summary>
    public byte[]? RawBytes { get; set; }

    public StoredRevision ToStored() => new(
        Seq, PrecinctId, checked((int)Revision), Source, Actor, ReceivedAt, IdempotencyKey, BodyHash, RawBody, SubmissionId);
}

internal sealed class RejectionRow
{
    public long Seq { get; set; }
    public string? PrecinctId { get; set; }
    public string? Actor { get; set; }
    public DateTimeOffset ReceivedAt { get; set; }
    public string RawBody { get; set; } = "";
    public string Reason { get; set; } = "";
    public string? IdempotencyKey { get; set; }
    public byte[]? BodyPrefix { get; set; }
    public long? BodySize { get; set; }
    public string? BodySha256 { get; set; }

    public StoredRejection ToStored()
    {
        if (BodyPrefix is not null)
        {
            return new StoredRejection(Seq, PrecinctId, Actor, ReceivedAt, BodyPrefix, BodySize ?? BodyPrefix.Length, BodySha256 ?? "", Reason, IdempotencyKey);
        }

        // Stored before schema 0006: the whole text is in raw_body; read it as the bounded shape.
        var bytes = System.Text.Encoding.UTF8.GetBytes(RawBody);
        return new StoredRejection(Seq, PrecinctId, Actor, ReceivedAt, RefusedBody.Prefix(bytes), bytes.Length, Hashing.Sha256Hex(bytes), Reason, IdempotencyKey);
    }
}

internal sealed class TokenRow
{
    public string Id { get; set; } = "";
    public string TokenHash { get; set; } = "";
    public string Role { get; set; } = "";
    public string? PrecinctId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public string? Source { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }

    public StoredToken ToStored() => new(Id, TokenHash, Role, PrecinctId, CreatedAt, Source) { RevokedAt = RevokedAt };
}

/// <summary>
/// One row of <see cref="StoreSql.ChangesAfter"/>: a revision or a certification. Certifications written
/// before change_seq existed read as changes at the revision they certified (ordered after it).
/// </summary>
internal sealed class ChangeRow
{
    public long Seq { get; set; }
    public string Kind { get; set; } = "";
    public string? PrecinctId { get; set; }
    public long? Revision { get; set; }
    public string? Source { get; set; }
    public string Actor { get; set; } = "";
    public DateTimeOffset At { get; set; }
    public string? IdempotencyKey { get; set; }
    public string? BodyHash { get; set; }
    public string? RawBody { get; set; }
    public string? SubmissionId { get; set; }
    public long? ThroughSeq { get; set; }
    public string? Note { get; set; }
    public string? ItemKey { get; set; }
    public string? Action { get; set; }
    public long Test { get; set; }

    public bool IsRevision => Kind == "revision";

    public bool IsCertification => Kind == "certification";

    public bool IsMerge => Kind == "merge";

    public bool IsDecision => Kind == "review";

    /// <summary>A merge row carries its from_name as ItemKey, its into_name as Note (the union's shared columns).</summary>
    public StoredGroupMerge ToMerge() => new(Seq, GroupMergeRow.ActionOf(Action!), ItemKey!, Note, Actor, At);

    public StoredReviewDecision ToDecision() => new(Seq, ItemKey!, PrecinctId!, ThroughSeq!.Value, Action!, Note!, Actor, At);

    public StoredRevision ToRevision() => new(
        Seq, PrecinctId!, checked((int)Revision!.Value), Source!, Actor, At, IdempotencyKey, BodyHash!, RawBody!, SubmissionId);

    public Certification ToCertification() => new(Seq, ThroughSeq!.Value, Actor, At, Note, Test != 0);
}

internal sealed class DecisionRow
{
    public long Seq { get; set; }
    public string ItemKey { get; set; } = "";
    public string PrecinctId { get; set; } = "";
    public long RevisionSeq { get; set; }
    public string Action { get; set; } = "";
    public string Reason { get; set; } = "";
    public string Actor { get; set; } = "";
    public DateTimeOffset DecidedAt { get; set; }

    public StoredReviewDecision ToStored() => new(Seq, ItemKey, PrecinctId, RevisionSeq, Action, Reason, Actor, DecidedAt);
}

internal sealed class GroupMergeRow
{
    public long Seq { get; set; }
    public string Action { get; set; } = "";
    public string FromName { get; set; } = "";
    public string? IntoName { get; set; }
    public string Actor { get; set; } = "";
    public DateTimeOffset MergedAt { get; set; }

    public StoredGroupMerge ToStored() => new(Seq, ActionOf(Action), FromName, IntoName, Actor, MergedAt);

    /// <summary>The stored action column (the schema's CHECK allows only these two).</summary>
    public static GroupMergeAction ActionOf(string stored) => stored switch
    {
        "merge" => GroupMergeAction.Merge,
        "unmerge" => GroupMergeAction.Unmerge,
        _ => throw new InvalidOperationException($"Unknown stored merge action '{stored}'."),
    };

    public static string Stored(GroupMergeAction action) => action == GroupMergeAction.Merge ? "merge" : "unmerge";
}
