using Caucus.Api.Auth;
using Caucus.Api.Infrastructure;
using Caucus.Api.Results;
using Caucus.Api.Storage;
using Caucus.Core.Model;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Caucus.Api.Admin;

public sealed record CertifyRequest(string? Note);

public sealed record CertificationResponse(Caucus.Core.Counting.ResultsStatus Status, long ThroughSeq, DateTimeOffset CertifiedAt);

public static class AdminApi
{
    /// <summary>POST /api/v1/admin/certify (admin): certify the results named by If-Match (tokens are in TokensApi).</summary>
    public static RouteGroupBuilder MapAdmin(this RouteGroupBuilder group)
    {
        group.RequireAuthorization(Policies.Admin).WithTags("Admin");
        group.MapPost("/certify", Certify).Accepts<CertifyRequest>("application/json").ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed).ProducesProblem(StatusCodes.Status428PreconditionRequired)
            .WithSummary("Certify the results named by If-Match (every precinct reported, no tie pending, no review item that could change a count).");
        return group;
    }

    private const int CertifyRequestLimit = 4096;

    /// <summary>
    /// Certifies the results the admin looked at: <c>If-Match</c> names their ETag (the results version), 428 without
    /// it, 412 when the results moved since (here, or committed by another instance before the certification), 409 when
    /// the core's rule refuses (a precinct not in, a toss pending, a review item that could change a count).
    /// </summary>
    private static async Task<Results<Ok<CertificationResponse>, ValidationProblem, ProblemHttpResult>> Certify(
        ResultsState state, ICaucusStore store, TimeProvider clock, HttpContext context, CancellationToken cancellationToken)
    {
        // Read by hand like every body: a note that is not text is a 400 naming it, never a 500 (nor a NUL in the database).
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var fields = JsonText.ReadStringFields(await RequestBody.ReadTextAsync(context.Request, CertifyRequestLimit, cancellationToken), CertifyRequestLimit,
            ["note"], errors, emptyIsEmptyObject: true);
        if (fields is null) return TypedResults.ValidationProblem(errors);
        if (fields.GetValueOrDefault("note") is { Length: > 2000 }) return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["note"] = ["note must be at most 2000 characters."] });
        var request = new CertifyRequest(fields.GetValueOrDefault("note"));
        if (!ETags.TryReadIfMatch(context, out var seen))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["If-Match"] = ["If-Match must be one results ETag, e.g. \"1775\"."] });
        }
        if (seen is not { } looked)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status428PreconditionRequired, title: "Say which results you certify",
                detail: "Send If-Match with the ETag of the results you reviewed (GET /api/v1/results answers it): certification certifies exactly those.");
        }
        // Read on another instance a moment ago: let this one catch up before comparing (it never waits past a second).
        if (looked > state.Version)
        {
            try { await state.WaitForAppliedAsync(looked, cancellationToken).WaitAsync(TimeSpan.FromSeconds(1), clock, cancellationToken); }
            catch (TimeoutException) { }
        }
        var (check, version) = state.CertificationCheck();
        if (version != looked) return Moved(looked, version);
        if (!check.Eligible)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Results cannot be certified yet", detail: check.Reason);
        }
        var outcome = await store.AppendCertificationAsync(new NewCertification(version, context.User.FindFirst(Roles.TokenIdClaim)?.Value ?? "admin",
            clock.GetUtcNow(), request.Note), cancellationToken);
        switch (outcome)
        {
            case CertificationOutcome.Certified { Certification: var certification }:
                await state.WaitForAppliedAsync(certification.Seq, cancellationToken).WaitAsync(TimeSpan.FromSeconds(5), clock, cancellationToken);
                return TypedResults.Ok(new CertificationResponse(state.Current.Statewide.Status, certification.ThroughSeq, certification.CertifiedAt));
            case CertificationOutcome.Stale stale:
                return TypedResults.Problem(statusCode: StatusCodes.Status412PreconditionFailed, title: "The results moved",
                    detail: $"{stale.ChangesSince} change(s) were committed after version {version}, the results you looked at; review them and certify again.");
            default:
                throw new InvalidOperationException($"Unexpected certification outcome {outcome}.");
        }
    }

    private static ProblemHttpResult Moved(long looked, long now) => TypedResults.Problem(statusCode: StatusCodes.Status412PreconditionFailed,
        title: "The results moved", detail: $"You looked at version {looked}; the results are at version {now} now. Review them and certify again.");
}
