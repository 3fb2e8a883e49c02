using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Caucus.Api.Auth;

/// <summary>
/// "Authorization: Bearer &lt;token&gt;": looks the token's hash up and turns it into a role (and, for
/// precinct tokens, the one precinct they may write). Unknown tokens count towards the client's
/// failed-auth limit.
/// </summary>
public sealed class BearerTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    TokenCache tokens,
    FailedAuthLimiter limiter)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header)) return AuthenticateResult.NoResult();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header.Length <= 7)
        {
            limiter.RecordFailure(ClientKey(Context));
            return AuthenticateResult.Fail("The Authorization header must be 'Bearer <token>'.");
        }
        // A token not seen before cannot be checked while the database is down: StoreUnavailableException
        // propagates to the exception handler, which answers 503 + Retry-After (not a misleading 401).
        var token = await tokens.FindAsync(header[7..].Trim(), Context.RequestAborted);
        if (token is null)
        {
            limiter.RecordFailure(ClientKey(Context));
            return AuthenticateResult.Fail("Unknown token.");
        }
        List<Claim> claims = [new(ClaimTypes.Role, token.Role), new(Roles.TokenIdClaim, token.Id), new(ClaimTypes.Name, token.Id)];
        if (token.PrecinctId is not null) claims.Add(new Claim(Roles.PrecinctClaim, token.PrecinctId));
        return AuthenticateResult.Success(new AuthenticationTicket(
            new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName)), SchemeName));
    }

    public static string ClientKey(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
}
