using System.Security.Cryptography;
using Caucus.Api.Auth;
using Caucus.Api.Infrastructure;
using Caucus.Api.Results;
using Caucus.Api.Storage;
using Caucus.Core.Model;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Caucus.Api.Admin;

public sealed record TokenRequest(string? Role, string? Precinct);

/// <summary>The token is shown once, here; only its hash is stored.</summary>
public sealed record TokenResponse(string Token, string Id, string Role, string? Precinct);

public sealed record CertifyRequest(string? Note);

public sealed record CertificationResponse(Caucus.Core.Counting.ResultsStatus Status, long ThroughSeq, DateTimeOffset CertifiedAt);

public static class AdminApi
{
    /// <summary>POST /api/v1/admin/tokens (admin): issue a token for a role, or for one precinct.</summary>
    public static RouteGroupBuilder MapAdmin(this RouteGroupBuilder group)
    {
        group.RequireAuthorization(Policies.Admin).WithTags("Admin");
        group.MapPost("/tokens", IssueToken).WithSummary("Issue a bearer token (shown once).");
        group.MapPost("/certify", Certify).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Certify the results as they stand (every precinct reported, no tie pending).");
        return group;
    }

    private static async Task<Results<Created<TokenResponse>, ValidationProblem>> IssueToken(
        HttpContext context, ICaucusStore store, TokenCache tokens, Election election, TimeProvider clock, CancellationToken cancellationToken)
    {
        var (request, errors) = ReadTokenRequest(await RequestBody.ReadTextAsync(context.Request, 4096, cancellationToken));
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        if (request.Role is null || !Roles.All.Contains(request.Role))
            errors["role"] = [$"role must be one of {string.Join(", ", Roles.All)}."];
        else if (request.Role == Roles.Precinct && (request.Precinct is null || election.FindPrecinct(request.Precinct) is null))
            errors["precinct"] = ["A precinct token needs the id of an existing precinct or satellite."];
        else if (request.Role != Roles.Precinct && request.Precinct is not null)
            errors["precinct"] = ["Only precinct tokens are bound to a precinct."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);

        var token = "cau_" + Base64Url(RandomNumberGenerator.GetBytes(32));
        var stored = new StoredToken("tok_" + Base64Url(RandomNumberGenerator.GetBytes(9)), Hashing.Sha256Hex(token), request.Role!,
            request.Role == Roles.Precinct ? request.Precinct : null, clock.GetUtcNow());
        await store.InsertTokenAsync(stored, cancellationToken);
        tokens.Remember(stored);
        return TypedResults.Created($"/api/v1/admin/tokens/{stored.Id}", new TokenResponse(token, stored.Id, stored.Role, stored.PrecinctId));
    }

    /// <summary>
    /// Certifies the results as this instance counts them now, if the core's rule allows it (every precinct
    /// in, no toss pending). The check and the version it certifies are read at the same moment, and the store
    /// refuses the certification if any revision was committed after that version.
    /// </summary>
    private static async Task<Results<Ok<CertificationResponse>, ProblemHttpResult>> Certify(
        CertifyRequest? request, ResultsState state, ICaucusStore store, TimeProvider clock, HttpContext context, CancellationToken cancellationToken)
    {
        var (check, version) = state.CertificationCheck();
        if (!check.Eligible)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Results cannot be certified yet", detail: check.Reason);
        }
        var outcome = await store.AppendCertificationAsync(new NewCertification(version, context.User.FindFirst(Roles.TokenIdClaim)?.Value ?? "admin",
            clock.GetUtcNow(), request?.Note), cancellationToken);
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

    /// <summary>Reads {"role", "precinct"} by hand so that every malformed body gets a 400 naming the field.</summary>
    private static (TokenRequest Request, Dictionary<string, string[]> Errors) ReadTokenRequest(BodyText body)
    {
        var errors = new Dictionary<string, string[]>();
        if (body.TooLarge) return (new(null, null), new() { ["body"] = ["The body may be at most 4096 bytes."] });
        var raw = body.Text;
        try
        {
            using var doc = System.Text.Json.JsonDocument.Parse(raw);
            if (doc.RootElement.ValueKind != System.Text.Json.JsonValueKind.Object)
                return (new(null, null), new() { ["body"] = ["The body must be a JSON object {\"role\", \"precinct\"}."] });
            string? Text(string name)
            {
                if (!doc.RootElement.TryGetProperty(name, out var e) || e.ValueKind == System.Text.Json.JsonValueKind.Null) return null;
                if (e.ValueKind == System.Text.Json.JsonValueKind.String) return e.GetString();
                errors[name] = [$"{name} must be a string."];
                return null;
            }
            return (new TokenRequest(Text("role"), Text("precinct")), errors);
        }
        catch (System.Text.Json.JsonException e)
        {
            return (new(null, null), new() { ["body"] = [$"The body is not valid JSON: {e.Message}"] });
        }
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
