using Caucus.Api.Auth;
using Caucus.Api.Infrastructure;
using Caucus.Api.Storage;
using Caucus.Core.Model;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Caucus.Api.Audit;

public sealed record AuditDocument(string Precinct, IReadOnlyList<AuditRevision> Revisions, IReadOnlyList<AuditRejection> Rejected, IReadOnlyList<AuditDecision> Decisions);

/// <summary>An admin's review decision on one of the precinct's reports.</summary>
public sealed record AuditDecision(long Seq, string Item, string Action, string Reason, string Actor, DateTimeOffset DecidedAt);

public sealed record AuditRevision(long Seq, int Revision, string Source, string Actor, DateTimeOffset ReceivedAt, string? IdempotencyKey, string RawBody);

public sealed record AuditRejection(long Seq, string? Actor, DateTimeOffset ReceivedAt, string RawBody, string Reason);

public static class AuditApi
{
    /// <summary>GET /api/v1/audit/precincts/{id}: every revision and refused submission with its raw text, who sent it, when (admin and war room).</summary>
    public static RouteGroupBuilder MapAudit(this RouteGroupBuilder group)
    {
        group.RequireAuthorization(Policies.Audit).WithTags("Audit");
        group.MapGet("/precincts/{id}", Get).WithSummary("The audit trail of one precinct.");
        return group;
    }

    private static async Task<Results<Ok<AuditDocument>, NotFound<ProblemDetails>>> Get(string id, Election election, ICaucusStore store,
        CancellationToken cancellationToken)
    {
        if (election.FindPrecinct(id) is null)
        {
            return TypedResults.NotFound(Problems.UnknownPrecinct(id));
        }
        var trail = await store.LoadAuditAsync(id, cancellationToken);
        return TypedResults.Ok(new AuditDocument(id,
            [.. trail.Revisions.Select(r => new AuditRevision(r.Seq, r.Revision, r.Source, r.Actor, r.ReceivedAt, r.IdempotencyKey, r.RawBody))],
            [.. trail.Rejections.Select(r => new AuditRejection(r.Seq, r.Actor, r.ReceivedAt, r.RawBody, r.Reason))],
            [.. (trail.Decisions ?? []).Select(d => new AuditDecision(d.Seq, d.ItemKey, d.Action, d.Reason, d.Actor, d.DecidedAt))]));
    }
}
