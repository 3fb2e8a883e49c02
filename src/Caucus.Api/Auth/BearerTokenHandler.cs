using System.Globalization;
using System.Text.Encodings.Web;
using Caucus.Api.Infrastructure;
using Caucus.Api.Storage;
using Caucus.Core.Model;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace Caucus.Api.Auth;

/// <summary>
/// "Authorization: Bearer &lt;token&gt;": looks the token's hash up and turns it into a role (and, for
/// precinct tokens, the one precinct they may write and the source they report as).
/// <para>
/// Failed-auth limit: only a token that is presented and unknown counts as a guess, and only where it decides
/// the answer (an endpoint that is not anonymous); no header, another scheme (Basic) or a malformed header is
/// 401 like no token at all, but not a guess. A known token is looked up first and never refused for anyone's
/// failures. A client past the limit gets 429 + Retry-After for its unknown tokens instead of 401.
/// </para>
/// </summary>
public sealed class BearerTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    TokenCache tokens,
    FailedAuthLimiter limiter,
    Election election)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";

    private const string FailureItem = "caucus:auth-failure";

    private enum Failure
    {
        UnknownToken,
        Throttled,
    }

    /// <summary>The request presented a token that is not known (so it must not be served as anonymous either).</summary>
    public static bool PresentedUnknownToken(HttpContext context) => context?.Items.ContainsKey(FailureItem) == true;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header)) return AuthenticateResult.NoResult();
        var presented = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : "";
        if (presented.Length == 0) return AuthenticateResult.Fail("The Authorization header must be 'Bearer <token>'.");

        // A token not seen before cannot be checked while the database is down: StoreUnavailableException
        // propagates to the exception handler, which answers 503 + Retry-After (not a misleading 401).
        var token = await tokens.FindAsync(presented, Context.RequestAborted);
        if (token is not null) return AuthenticateResult.Success(Ticket(token));

        // An anonymous endpoint (health, the election) answers the same whatever the token: nothing is learnt, nothing counted.
        var endpoint = Context.GetEndpoint();
        if (endpoint is null || endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null) return AuthenticateResult.Fail("Unknown token.");

        var client = ClientAddress.Of(Context);
        if (limiter.TryRecordFailure(client))
        {
            Context.Items[FailureItem] = Failure.UnknownToken;
            Logger.LogWarning("Unknown bearer token from {Client} for {Method} {Path}.", client, Request.Method, Request.Path);
        }
        else
        {
            Context.Items[FailureItem] = Failure.Throttled;
            Logger.LogDebug("Unknown bearer token from {Client}, past the failed-auth limit: 429.", client);
        }
        return AuthenticateResult.Fail("Unknown token.");
    }

    /// <summary>401 with WWW-Authenticate: Bearer (RFC 6750; invalid_token when the token was unknown), or 429 past the limit.</summary>
    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (Context.Items[FailureItem] is Failure.Throttled)
        {
            Response.Headers.RetryAfter = Math.Ceiling(limiter.RetryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
            await Problems.Write(Context, StatusCodes.Status429TooManyRequests, "Too many unknown tokens",
                "This address sent too many unknown tokens; wait before trying another. Known tokens are not affected.");
            return;
        }
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = Context.Items[FailureItem] is Failure.UnknownToken ? "Bearer error=\"invalid_token\"" : "Bearer";
    }

    private AuthenticationTicket Ticket(StoredToken token) =>
        new(CredentialPrincipal.Of(token, election, SchemeName), SchemeName);
}
