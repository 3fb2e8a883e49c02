using System.Globalization;
using Caucus.Api.Auth;
using Caucus.Api.Infrastructure;
using Caucus.Api.Storage;
using Caucus.Core.Model;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Caucus.Api.Audit;

/// <summary>
/// One page of a precinct's audit trail. <see cref="Next"/> is the link to the following page (null on the last):
/// revisions and decisions continue after <c>after</c> (their commit seq), refusals after <c>rejectedAfter</c>.
/// </summary>
public sealed record AuditDocument(string Precinct, IReadOnlyList<AuditRevision> Revisions, IReadOnlyList<AuditRejection> Rejected,
    IReadOnlyList<AuditDecision> Decisions, string? Next)
{
    /// <summary>Revocations of the credentials bound to this precinct, on every page (a precinct has a handful).</summary>
    public IReadOnlyList<AuditRevocation> Revocations { get; init; } = [];

    /// <summary>The precinct's worksheet photos, oldest first (a precinct has a handful), on every page.</summary>
    public IReadOnlyList<Photos.PhotoDocument> Photos { get; init; } = [];

    /// <summary>The precinct's latest texts, newest first (at most <see cref="AuditApi.TextsPerPage"/>), on every page.</summary>
    public IReadOnlyList<AuditText> Texts { get; init; } = [];
}

/// <summary>
/// A text from the precinct's registered phone (README, "Reporting by text message"): its words, the gateway's whole
/// request byte-exact (base64) with its SHA-256, the number only as its keyed hash, the reply it got, and for a YES the
/// revision it stored.
/// </summary>
public sealed record AuditText(long Seq, string Gateway, string MessageId, string Kind, string Actor, string PhoneHash, DateTimeOffset ReceivedAt,
    string Text, string RequestBase64, string RequestSha256, string Reply, long? Confirms, long? Revision);

/// <summary>An admin revoked one of the precinct's credentials.</summary>
public sealed record AuditRevocation(string TokenId, string RevokedBy, DateTimeOffset RevokedAt);

/// <summary>An admin's review decision on one of the precinct's reports.</summary>
public sealed record AuditDecision(long Seq, string Item, string Action, string Reason, string Actor, DateTimeOffset DecidedAt);

/// <summary>
/// A stored revision: <see cref="RawBody"/> is the text the follower parses (minified, for reports stored since the
/// bounded bodies; as sent, before), <see cref="RawBase64"/> the exact bytes only where they differ from its UTF-8.
/// </summary>
public sealed record AuditRevision(long Seq, int Revision, string Source, string Actor, DateTimeOffset ReceivedAt, string? IdempotencyKey, string RawBody,
    string? RawBase64 = null);

/// <summary>
/// A refused submission: the first bytes kept (<see cref="RawBody"/> read as UTF-8, <see cref="PrefixBase64"/> exact), the
/// body's size in bytes and SHA-256, and whether it was cut.
/// </summary>
public sealed record AuditRejection(long Seq, string? Actor, DateTimeOffset ReceivedAt, string RawBody, string Reason, string PrefixBase64,
    long BodyBytes, string BodySha256, bool Truncated);

public static class AuditApi
{
    /// <summary>Texts are few per precinct (each credential is rate-limited) and each request at most 16 KiB.</summary>
    public const int TextsPerPage = 50;

    /// <summary>
    /// GET /api/v1/audit/precincts/{id}?after=&amp;rejectedAfter=&amp;limit=: a page of revisions and refused submissions, who
    /// sent them, when (admin and war room). Bounded in rows and in bytes, and rate-limited per credential: a page of
    /// padded reports once weighed 16 MB, and twenty at once took the API from 224 MB to 1.2 GB (issue 19, case 4).
    /// </summary>
    public static RouteGroupBuilder MapAudit(this RouteGroupBuilder group)
    {
        group.RequireAuthorization(Policies.Audit).RequireRateLimiting(RateLimits.AuditReads).WithTags("Audit");
        group.MapGet("/precincts/{id}", Get)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithSummary($"A page of the audit trail of one precinct (limit {AuditQuery.DefaultLimit} by default, at most {AuditQuery.MaxLimit}, " +
                "and at most Caucus:Limits:AuditPageBytes of stored bodies); follow `next`.");
        group.MapGet("/group-merges", GroupMerges).ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithSummary("Every merge and unmerge of group spellings headquarters made, who and when, in commit order.");
        return group;
    }

    /// <summary>Headquarters' merges of group spellings change no precinct's report, so they have a trail of their own.</summary>
    private static async Task<Ok<IReadOnlyList<Groups.GroupMergeActionDocument>>> GroupMerges(ICaucusStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok<IReadOnlyList<Groups.GroupMergeActionDocument>>([.. (await store.LoadGroupMergesAsync(cancellationToken))
            .Select(h => new Groups.GroupMergeActionDocument(h.Seq, h.Action, h.FromName, h.IntoName, h.Actor, h.MergedAt))]);

    private static async Task<Results<Ok<AuditDocument>, NotFound<ProblemDetails>, ValidationProblem>> Get(string id, Election election, ICaucusStore store,
        ITextMessageStore texts, IPhotoStore photos, CaucusOptions options, long? after, long? rejectedAfter, int? limit, CancellationToken cancellationToken)
    {
        if (election.FindPrecinct(id) is null)
        {
            return TypedResults.NotFound(Problems.UnknownPrecinct(id));
        }
        var errors = new Dictionary<string, string[]>();
        if (after < 0) errors["after"] = ["Must be 0 or more."];
        if (rejectedAfter < 0) errors["rejectedAfter"] = ["Must be 0 or more."];
        if (limit is < 1 or > AuditQuery.MaxLimit) errors["limit"] = [$"Must be from 1 to {AuditQuery.MaxLimit}."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);

        var trail = await store.LoadAuditAsync(id, new AuditQuery(after ?? 0, rejectedAfter ?? 0, limit ?? AuditQuery.DefaultLimit)
        {
            MaxBytes = options.Limits.AuditPageBytes,
        }, cancellationToken);
        var revocations = await store.LoadRevocationsOfPrecinctAsync(id, cancellationToken);
        var messages = await texts.TextsOfPrecinctAsync(id, TextsPerPage, cancellationToken);
        var pictures = await photos.PhotosOfPrecinctAsync(id, cancellationToken);
        return TypedResults.Ok(new AuditDocument(id,
            [.. trail.Revisions.Select(r => new AuditRevision(r.Seq, r.Revision, r.Source, r.Actor, r.ReceivedAt, r.IdempotencyKey, r.RawBody,
                trail.ExactBodies.TryGetValue(r.Seq, out var exact) ? Convert.ToBase64String(exact) : null))],
            [.. trail.Rejections.Select(r => new AuditRejection(r.Seq, r.Actor, r.ReceivedAt, r.RawBody, r.Reason, Convert.ToBase64String(r.BodyPrefix),
                r.BodySize, r.BodySha256, r.Truncated))],
            [.. (trail.Decisions ?? []).Select(d => new AuditDecision(d.Seq, d.ItemKey, d.Action, d.Reason, d.Actor, d.DecidedAt))],
            trail.Next is { } next
                ? string.Create(CultureInfo.InvariantCulture,
                    $"/api/v1/audit/precincts/{Uri.EscapeDataString(id)}?after={next.AfterSeq}&rejectedAfter={next.RejectedAfterSeq}&limit={next.Limit}")
                : null)
        {
            Revocations = [.. revocations.Select(r => new AuditRevocation(r.TokenId, r.RevokedBy, r.RevokedAt))],
            Photos = [.. pictures.Select(Caucus.Api.Photos.PhotoDocument.From)],
            Texts = [.. messages.Select(t => new AuditText(t.Seq, ApiJson.Name(t.Message.Gateway), t.Message.MessageId, ApiJson.Name(t.Message.Kind),
                t.Message.TokenId, t.Message.PhoneHash, t.Message.ReceivedAt, System.Text.Encoding.UTF8.GetString(t.Message.Body),
                Convert.ToBase64String(t.Message.Request), t.RequestHash, t.Message.Reply, t.Message.ConfirmsSeq, t.Message.RevisionSeq))],
        });
    }
}
