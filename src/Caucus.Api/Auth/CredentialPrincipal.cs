using System.Security.Claims;
using Caucus.Api.Storage;
using Caucus.Core.Model;

namespace Caucus.Api.Auth;

/// <summary>
/// Who a stored credential is: its role, its id, and for a precinct credential the one precinct it may write and the
/// source it reports as. A bearer token signs in as this, and so does a text from the phone number bound to it.
/// </summary>
public static class CredentialPrincipal
{
    public static ClaimsPrincipal Of(StoredToken token, Election election, string authenticationType)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(election);
        List<Claim> claims = [new(ClaimTypes.Role, token.Role), new(Roles.TokenIdClaim, token.Id), new(ClaimTypes.Name, token.Id)];
        if (token.PrecinctId is not null)
        {
            claims.Add(new Claim(Roles.PrecinctClaim, token.PrecinctId));
            claims.Add(new Claim(Roles.SourceClaim, token.Source ?? TokenSources.DefaultFor(election.FindPrecinct(token.PrecinctId))));
        }
        return new ClaimsPrincipal(new ClaimsIdentity(claims, authenticationType));
    }
}
