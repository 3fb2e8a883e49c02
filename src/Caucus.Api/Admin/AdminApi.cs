using System.Security.Cryptography;
using Caucus.Api.Auth;
using Caucus.Api.Storage;
using Caucus.Core.Model;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Caucus.Api.Admin;

public sealed record TokenRequest(string? Role, string? Precinct);

/// <summary>The token is shown once, here; only its hash is stored.</summary>
public sealed record TokenResponse(string Token, string Id, string Role, string? Precinct);

public static class AdminApi
{
    /// <summary>POST /api/v1/admin/tokens (admin): issue a token for a role, or for one precinct.</summary>
    public static RouteGroupBuilder MapAdmin(this RouteGroupBuilder group)
    {
        group.RequireAuthorization(Policies.Admin).WithTags("Admin");
        group.MapPost("/tokens", IssueToken).WithSummary("Issue a bearer token (shown once).");
        return group;
    }

    private static async Task<Results<Created<TokenResponse>, ValidationProblem>> IssueToken(
        TokenRequest request, ICaucusStore store, TokenCache tokens, Election election, TimeProvider clock, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
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

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
