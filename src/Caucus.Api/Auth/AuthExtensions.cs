using Caucus.Api.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;

namespace Caucus.Api.Auth;

public static class AuthExtensions
{
    public static IServiceCollection AddCaucusAuth(this IServiceCollection services)
    {
        services.AddSingleton<TokenCache>();
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<CaucusOptions>();
            return new FailedAuthLimiter(TimeProvider.System, options.FailedAuthLimit, TimeSpan.FromSeconds(options.FailedAuthWindowSeconds));
        });
        services.AddAuthentication(BearerTokenHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, BearerTokenHandler>(BearerTokenHandler.SchemeName, null);
        services.AddSingleton<IAuthorizationHandler, ReadAccessHandler>();
        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Admin, p => p.RequireRole(Roles.Admin))
            .AddPolicy(Policies.Submit, p => p.RequireRole(Roles.Admin, Roles.Hotline, Roles.Precinct))
            .AddPolicy(Policies.Read, p => p.AddRequirements(new ReadAccess()));
        return services;
    }

    /// <summary>Clients that sent too many bad tokens get 429 before their token is even looked at.</summary>
    public static IApplicationBuilder UseFailedAuthLimit(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var limiter = context.RequestServices.GetRequiredService<FailedAuthLimiter>();
        if (limiter.IsBlocked(BearerTokenHandler.ClientKey(context), out var retryAfter))
        {
            context.Response.Headers.RetryAfter = Math.Ceiling(retryAfter.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
            await Problems.Write(context, StatusCodes.Status429TooManyRequests, "Too many bad tokens",
                "This client sent too many unknown tokens; wait before trying again.");
            return;
        }
        await next(context);
    });
}

/// <summary>Reading results: any signed-in role, or anyone when <c>Caucus:PublicResults</c> is on.</summary>
internal sealed class ReadAccess : IAuthorizationRequirement;

internal sealed class ReadAccessHandler(CaucusOptions options) : AuthorizationHandler<ReadAccess>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ReadAccess requirement)
    {
        if (options.PublicResults || Roles.All.Any(context.User.IsInRole)) context.Succeed(requirement);
        return Task.CompletedTask;
    }
}
