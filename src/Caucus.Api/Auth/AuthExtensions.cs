using System.Security.Claims;
using Caucus.Api.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;

namespace Caucus.Api.Auth;

public static class AuthExtensions
{
    public static IServiceCollection AddCaucusAuth(this IServiceCollection services)
    {
        services.AddSingleton<TokenCache>();
        services.AddSingleton<RevokedCredentials>();
        services.AddSingleton<RevocationFollower>();
        services.AddHostedService(sp => sp.GetRequiredService<RevocationFollower>());
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<CaucusOptions>();
            return new FailedAuthLimiter(options.FailedAuthLimit, TimeSpan.FromSeconds(options.FailedAuthWindowSeconds), sp.GetRequiredService<TimeProvider>());
        });
        services.AddAuthentication(BearerTokenHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, BearerTokenHandler>(BearerTokenHandler.SchemeName, null);
        services.AddSingleton<IAuthorizationHandler, ReadAccessHandler>();
        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Admin, p => p.RequireRole(Roles.Admin))
            .AddPolicy(Policies.Submit, p => p.RequireRole(Roles.Admin, Roles.Hotline, Roles.Precinct))
            .AddPolicy(Policies.Audit, p => p.RequireRole(Roles.Admin, Roles.Warroom))
            .AddPolicy(Policies.Read, p => p.AddRequirements(new ReadAccess()));
        return services;
    }
}

/// <summary>
/// Reading results: any signed-in role, or anyone when <c>Caucus:PublicResults</c> is on; but never a request that
/// presented an unknown token (it is told 401, so a stale credential shows as one and a guess counts as one).
/// </summary>
internal sealed class ReadAccess : IAuthorizationRequirement;

internal sealed class ReadAccessHandler(CaucusOptions options) : AuthorizationHandler<ReadAccess>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ReadAccess requirement)
    {
        if (Roles.All.Any(context.User.IsInRole)) context.Succeed(requirement);
        else if (options.PublicResults && !(context.Resource is HttpContext http && BearerTokenHandler.PresentedUnknownToken(http))) context.Succeed(requirement);
        return Task.CompletedTask;
    }
}

/// <summary>Who may read what beyond the policies (the table in this project's README).</summary>
public static class ReadAccessRules
{
    /// <summary>
    /// A report's note is its sender's words to headquarters (a name, a phone number, a dispute): admins, the
    /// hotline and the war room read every note; a precinct credential only its own precinct's; a reader without a
    /// token (public results) none.
    /// </summary>
    public static bool MayReadNotes(ClaimsPrincipal user, string precinctId)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (user.IsInRole(Roles.Admin) || user.IsInRole(Roles.Hotline) || user.IsInRole(Roles.Warroom)) return true;
        return user.IsInRole(Roles.Precinct) && user.FindFirstValue(Roles.PrecinctClaim) == precinctId;
    }
}
