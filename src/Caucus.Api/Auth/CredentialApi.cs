using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Caucus.Api.Auth;

/// <summary>
/// GET /api/v1/me: what the presented credential is. The report page asks it so a precinct credential reports for its
/// own precinct as its own source (captain or chair) without the link having to say so, and never offers a choice
/// the server would refuse.
/// </summary>
public static class CredentialApi
{
    public static RouteGroupBuilder MapMe(this RouteGroupBuilder group)
    {
        group.RequireAuthorization().WithTags("Credentials");
        group.MapGet("", Get).WithSummary("The presented credential: its role and, for a precinct credential, its precinct and the source it reports as.");
        return group;
    }

    private static Ok<CredentialIdentity> Get(ClaimsPrincipal user) => TypedResults.Ok(new CredentialIdentity(
        user.FindFirstValue(ClaimTypes.Role) ?? "",
        user.FindFirstValue(Roles.PrecinctClaim),
        user.FindFirstValue(Roles.SourceClaim)));
}

/// <summary>A credential as GET /api/v1/me describes it (never the token or its id).</summary>
public sealed record CredentialIdentity(string Role, string? Precinct, string? Source);
