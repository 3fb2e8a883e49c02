using System.Security.Claims;
using System.Text.Json;
using Caucus.Api.Auth;
using Caucus.Api.Results;
using Caucus.Api.Storage;
using Caucus.Core.Model;
using Microsoft.AspNetCore.Mvc;

namespace Caucus.Api.Reports;

/// <summary>What became of a submission; the endpoint maps each case to its status code.</summary>
public abstract record IngestOutcome
{
    private IngestOutcome()
    {
    }

    public sealed record Accepted(ReportResponse Response, bool Replayed) : IngestOutcome;

    public sealed record Invalid(Dictionary<string, string[]> Errors) : IngestOutcome;

    public sealed record Forbidden(string Detail) : IngestOutcome;

    public sealed record Conflict(string Detail) : IngestOutcome;
}

/// <summary>
/// The ingest pipeline of DESIGN.md: validate → authorise → compute (pure core) → durable append
/// (group commit; acknowledged only after its commit) → apply to the in-memory aggregate → publish.
/// Every refused submission is stored with its raw text before the refusal is answered.
/// </summary>
public sealed class ReportIngest(ICaucusStore store, ResultsState state, TimeProvider clock)
{
    public async Task<IngestOutcome> SubmitAsync(Precinct precinct, string rawBody, string? idempotencyKey,
        ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(precinct);
        ArgumentNullException.ThrowIfNull(user);
        var actor = user.FindFirstValue(Roles.TokenIdClaim) ?? "unknown";
        var role = user.FindFirstValue(ClaimTypes.Role) ?? "";

        if (role == Roles.Precinct && user.FindFirstValue(Roles.PrecinctClaim) != precinct.Id)
        {
            return await Refuse(new IngestOutcome.Forbidden("This credential may only submit reports for its own precinct."));
        }
        var (report, errors) = ReportParser.Parse(rawBody, state.Election.Candidates);
        if (report is null)
        {
            return await Refuse(new IngestOutcome.Invalid(errors));
        }
        if (!ReportSource.MayReportAs(role, report.Source))
        {
            return await Refuse(new IngestOutcome.Forbidden($"A {role} credential cannot submit a report with source '{report.Source}'."));
        }

        var appended = await store.AppendRevisionAsync(new NewRevision(precinct.Id, report.Source, actor, clock.GetUtcNow(),
            idempotencyKey, Hashing.Sha256Hex(rawBody), rawBody), cancellationToken);
        switch (appended)
        {
            case AppendOutcome.Appended a:
                var counted = state.Compute(a.Revision, report);
                state.Apply(counted);
                return new IngestOutcome.Accepted(Response(counted), Replayed: false);
            case AppendOutcome.Replayed r:
                // The original answer, recomputed from the original body: the core is deterministic.
                return new IngestOutcome.Accepted(Response(state.Compute(r.Original)), Replayed: true);
            case AppendOutcome.KeyConflict:
                return await Refuse(new IngestOutcome.Conflict(
                    "This Idempotency-Key was already used with a different body; use a new key for a new report."));
            default:
                throw new InvalidOperationException($"Unexpected append outcome {appended}.");
        }

        async Task<IngestOutcome> Refuse(IngestOutcome outcome)
        {
            var reason = outcome switch
            {
                IngestOutcome.Invalid i => JsonSerializer.Serialize(new ValidationProblemDetails(i.Errors) { Status = 400 }, ApiJson.Options),
                IngestOutcome.Forbidden f => JsonSerializer.Serialize(new ProblemDetails { Status = 403, Detail = f.Detail }, ApiJson.Options),
                IngestOutcome.Conflict c => JsonSerializer.Serialize(new ProblemDetails { Status = 409, Detail = c.Detail }, ApiJson.Options),
                _ => "",
            };
            await store.AppendRejectedAsync(new RejectedSubmission(precinct.Id, actor, clock.GetUtcNow(), rawBody, reason, idempotencyKey),
                cancellationToken);
            return outcome;
        }
    }

    /// <summary>Stores a submission refused before it reached the pipeline (too large, unknown precinct), for the audit trail.</summary>
    public Task RecordRefusalAsync(string? precinctId, ClaimsPrincipal user, string rawBody, string reason, string? idempotencyKey,
        CancellationToken cancellationToken) =>
        store.AppendRejectedAsync(new RejectedSubmission(precinctId, user?.FindFirstValue(Roles.TokenIdClaim), clock.GetUtcNow(),
            rawBody, reason, idempotencyKey), cancellationToken);

    public ReportResponse Response(CountedReport counted)
    {
        ArgumentNullException.ThrowIfNull(counted);
        var allocation = counted.Result.Allocation;
        var precinct = counted.Result.Precinct;
        var weight = state.Election.CountyOf(precinct).SdePerDelegate;
        var sde = precinct.Kind == PrecinctKind.Precinct
            ? allocation.Groups.ToDictionary(g => g.Group, g => g.Delegates * weight, StringComparer.Ordinal)
            : null;
        return new ReportResponse(precinct.Id, counted.Stored.Revision, counted.Report.Source,
            AllocationDocument.From(allocation, sde),
            [.. allocation.Warnings.Select(WarningDocument.From)],
            allocation.IsProvisional && allocation.Tie is { } tie ? TieDocument.From(tie) : null);
    }
}
