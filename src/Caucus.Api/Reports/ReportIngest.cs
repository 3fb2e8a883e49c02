using System.Diagnostics.CodeAnalysis;
using System.Security.Claims;
using System.Text.Json;
using Caucus.Api.Auth;
using Caucus.Api.Infrastructure;
using Caucus.Api.Results;
using Caucus.Api.Storage;
using Caucus.Core.Aggregation;
using Caucus.Core.Counting;
using Caucus.Core.Model;
using Caucus.Core.Validation;
using Microsoft.AspNetCore.Mvc;

namespace Caucus.Api.Reports;

/// <summary>What became of a submission; the endpoint maps each case to its status code.</summary>
public abstract record IngestOutcome
{
    private IngestOutcome()
    {
    }

    public sealed record Accepted(ReportResponse Response, bool Replayed) : IngestOutcome;

    /// <summary>Refused: <see cref="Problem"/> is both the answer and what the audit trail keeps.</summary>
    public sealed record Refused(ProblemDetails Problem) : IngestOutcome;
}

/// <summary>
/// The ingest pipeline of DESIGN.md: validate → authorise → compute (pure core) → durable append
/// (group commit; acknowledged only after its commit) → counted by the follower, in commit order.
/// Every refused submission for a precinct of the election is stored (a bounded prefix of its bytes, its size and
/// hash) before the refusal is answered.
/// </summary>
public sealed class ReportIngest(ICaucusStore store, ResultsState state, TimeProvider clock, CaucusOptions options, CaucusMetrics metrics)
{
    /// <summary>How long an acknowledged report waits to be counted before it is answered anyway (it is durable).</summary>
    private static readonly TimeSpan CountedWait = TimeSpan.FromSeconds(5);

    public async Task<IngestOutcome> SubmitAsync(Precinct precinct, BodyBytes body, string? idempotencyKey,
        ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(precinct);
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(user);
        var rawBody = body.Text;
        var rawBytes = body.Bytes;
        var actor = user.FindFirstValue(Roles.TokenIdClaim) ?? "unknown";
        var role = user.FindFirstValue(ClaimTypes.Role) ?? "";

        if (role == Roles.Precinct && user.FindFirstValue(Roles.PrecinctClaim) != precinct.Id)
        {
            return await RefuseAsync(precinct.Id, user, rawBytes, idempotencyKey,
                Problem(StatusCodes.Status403Forbidden, "Forbidden", "This credential may only submit reports for its own precinct."), cancellationToken);
        }
        var (report, errors) = ReportParser.Parse(rawBody, state.Election.Candidates, state.Election.RuleSet.Form);
        if (report is null)
        {
            return await RefuseAsync(precinct.Id, user, rawBytes, idempotencyKey,
                new HttpValidationProblemDetails(errors) { Status = StatusCodes.Status400BadRequest, Title = "The report is not valid" }, cancellationToken);
        }
        if (!ReportPermissions.MayReportAs(user, report.Source))
        {
            return await RefuseAsync(precinct.Id, user, rawBytes, idempotencyKey, Problem(StatusCodes.Status403Forbidden, "Forbidden",
                ReportPermissions.Refusal(user, report.Source)), cancellationToken);
        }

        if (!state.Accepts(report.Source))
        {
            return await RefuseAsync(precinct.Id, user, rawBytes, idempotencyKey, CertifiedProblem(), cancellationToken);
        }

        // Computed before the append (it is pure) and held for the follower, which counts it in commit order.
        if (!TryCompute(state.Election, precinct, report, out var result, out var invalid))
        {
            return await RefuseAsync(precinct.Id, user, rawBytes, idempotencyKey, invalid, cancellationToken);
        }
        var submissionId = Guid.NewGuid().ToString("N");
        var stored = StoredReportBody.Of(rawBytes, rawBody);
        state.Reports.Hold(submissionId, report, result);
        AppendOutcome appended;
        try
        {
            appended = await store.AppendRevisionAsync(new NewRevision(precinct.Id, ApiJson.Name(report.Source), actor, clock.GetUtcNow(),
                idempotencyKey, Hashing.Sha256Hex(rawBytes), stored.Text, submissionId)
            {
                RawBytes = stored.ExactBytes,
                // Checked again by the writer, under its lock: a certification committed a moment ago still holds.
                RefusedWhenCertifiedInTestMode = report.Source == ReportSource.Official ? null : options.Test,
            }, cancellationToken);
        }
        catch
        {
            state.Reports.Release(submissionId);
            throw;
        }

        switch (appended)
        {
            case AppendOutcome.Appended a:
                await WaitUntilCountedAsync(a.Revision.Seq, cancellationToken);
                var response = Response(new SourceReport(report.Source, a.Revision.Revision, a.Revision.Seq,
                    a.Revision.ReceivedAt, report.Note, result, actor));
                if (response.Held is null) metrics.Accepted();
                else metrics.Held();
                return new IngestOutcome.Accepted(response, Replayed: false);
            case AppendOutcome.Replayed r:
                state.Reports.Release(submissionId);
                // The original answer, recomputed from the original body: the core is deterministic.
                return new IngestOutcome.Accepted(Response(state.Compute(r.Original)), Replayed: true);
            case AppendOutcome.RefusedCertified:
                state.Reports.Release(submissionId);
                return await RefuseAsync(precinct.Id, user, rawBytes, idempotencyKey, CertifiedProblem(), cancellationToken);
            case AppendOutcome.KeyConflict:
                state.Reports.Release(submissionId);
                return await RefuseAsync(precinct.Id, user, rawBytes, idempotencyKey, Problem(StatusCodes.Status409Conflict, "Idempotency-Key reused",
                    "This Idempotency-Key was already used with a different body; use a new key for a new report."), cancellationToken);
            default:
                throw new InvalidOperationException($"Unexpected append outcome {appended}.");
        }
    }

    /// <summary>
    /// Stores a refusal for the audit trail (the store keeps a bounded prefix of the bytes, their size and hash), then
    /// hands the same problem back to answer with. Only for a precinct of the election: see <see cref="RefuseUnknown"/>.
    /// </summary>
    public async Task<IngestOutcome.Refused> RefuseAsync(string precinctId, ClaimsPrincipal user, ReadOnlyMemory<byte> body, string? idempotencyKey,
        ProblemDetails problem, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(problem);
        var reason = JsonSerializer.Serialize(problem, problem.GetType(), ApiJson.Options);
        await store.AppendRejectedAsync(new RejectedSubmission(precinctId, user?.FindFirstValue(Roles.TokenIdClaim), clock.GetUtcNow(),
            body, reason, idempotencyKey), cancellationToken);
        metrics.Refused(problem.Status ?? StatusCodes.Status400BadRequest);
        return new IngestOutcome.Refused(problem);
    }

    /// <summary>
    /// A report for an id that is no precinct of the election: counted (metrics), never stored, so junk sent to made-up
    /// ids cannot grow the database or anyone's audit trail.
    /// </summary>
    public IngestOutcome.Refused RefuseUnknown(ProblemDetails problem)
    {
        metrics.UnknownPrecinct();
        return new IngestOutcome.Refused(problem);
    }

    public static ProblemDetails Problem(int status, string title, string detail) => new() { Status = status, Title = title, Detail = detail };

    private static ProblemDetails CertifiedProblem() => Problem(StatusCodes.Status409Conflict, "Results are certified",
        "The results are certified: only an official correction entered by headquarters (an admin) can change them. Call headquarters.");

    /// <summary>The answer for a stored report: what it computes, and where double entry stands.</summary>
    public ReportResponse Response(SourceReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var preview = Preview(report.Result);
        var reports = state.ReportsOf(report.Result.Precinct.Id);
        var stored = reports?.Latest.Values.Concat(reports.HotlineEntries.Values).FirstOrDefault(r => r.Seq == report.Seq);
        return new ReportResponse(preview.Precinct, report.Revision, report.Source, preview.Allocation, preview.Warnings, preview.PendingTieBreak,
            stored?.HoldReason,
            report.Source == ReportSource.Hotline ? DoubleEntryDocument.From(reports?.DoubleEntry) : null,
            preview.Early);
    }

    /// <summary>What the rules give a tally, as the report answer shows it (the pages' live math).</summary>
    public PreviewResponse Preview(PrecinctResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var allocation = result.Allocation;
        var precinct = result.Precinct;
        return new PreviewResponse(precinct.Id,
            AllocationDocument.From(allocation, PrecinctSde.Of(state.Election, precinct, allocation)),
            [.. allocation.Warnings.Select(WarningDocument.From)],
            allocation.IsProvisional && allocation.Tie is { } tie ? TieDocument.From(tie) : null,
            EarlyVoteDocument.From(result));
    }

    /// <summary>
    /// A report is answered once it is counted, so a read right after the 201 shows it. If the follower cannot
    /// load it in time (the database went away just after the commit), the report is durable: answer anyway.
    /// </summary>
    private async Task WaitUntilCountedAsync(long seq, CancellationToken cancellationToken)
    {
        try
        {
            await state.WaitForAppliedAsync(seq, cancellationToken).WaitAsync(CountedWait, clock, cancellationToken);
        }
        catch (TimeoutException)
        {
        }
    }

    /// <summary>
    /// The report as the rule set counts it, or the problem naming the field its arithmetic refuses (the parser has checked
    /// every shape; what is left is, e.g., early-vote cards more numerous than a count can hold).
    /// </summary>
    public static bool TryCompute(Election election, Precinct precinct, ParsedReport report,
        [NotNullWhen(true)] out PrecinctResult? result, [NotNullWhen(false)] out HttpValidationProblemDetails? problem)
    {
        try
        {
            result = PrecinctResult.Compute(election, precinct, report.Tally);
            problem = null;
            return true;
        }
        catch (TallyException e)
        {
            result = null;
            problem = new HttpValidationProblemDetails(new Dictionary<string, string[]> { [e.Field] = [e.Message] })
            {
                Status = StatusCodes.Status400BadRequest,
                Title = "The report is not valid",
            };
            return false;
        }
    }
}
