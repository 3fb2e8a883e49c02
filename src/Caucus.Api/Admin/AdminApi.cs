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
    /// <summary>POST /api/v1/admin/tokens (admin): issue a token for a role, or for one precinct.</summary>
    public static RouteGroupBuilder MapAdmin(this RouteGroupBuilder group)
    {
        group.RequireAuthorization(Policies.Admin).WithTags("Admin");
        group.MapPost("/certify", Certify).Accepts<CertifyRequest>("application/json").ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Certify the results as they stand (every precinct reported, no tie pending).");
        return group;
    }

    private const int CertifyRequestLimit = 4096;

    /// <summary>
    /// Certifies the results as this instance counts them now, if the core's rule allows it (every precinct
    /// in, no toss pending). The check and the version it certifies are read at the same moment, and the store
    /// refuses the certification if any revision was committed after that version.
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
        var (check, version) = state.CertificationCheck();
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
                return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Results changed while certifying",
                    detail: $"{stale.RevisionsSince} revision(s) were committed after version {version}; review the results and certify again.");
            default:
                throw new InvalidOperationException($"Unexpected certification outcome {outcome}.");
        }
    }
}
