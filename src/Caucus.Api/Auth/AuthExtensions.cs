using Caucus.Api.Infrastructure;
using Microsoft.AspNetCore.Authentication;

namespace Caucus.Api.Auth;

public static class AuthExtensions
{
    public static IServiceCollection AddCaucusAuth(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<TokenCache>();
        services.AddSingleton(sp => new FailedAuthLimiter(TimeProvider.System,
            configuration.GetValue("Caucus:FailedAuthLimit", 20),
            TimeSpan.FromSeconds(configuration.GetValue("Caucus:FailedAuthWindowSeconds", 60))));
        services.AddAuthentication(BearerTokenHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, BearerTokenHandler>(BearerTokenHandler.SchemeName, null);
        var publicResults = configuration.GetValue("Caucus:PublicResults", false);
        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Admin, p => p.RequireRole(Roles.Admin))
            .AddPolicy(Policies.Submit, p => p.RequireRole(Roles.Admin, Roles.Hotline, Roles.Precinct))
            .AddPolicy(Policies.Read, p =>
            {
                // Results may be public or for signed-in readers only, by configuration (Caucus:PublicResults).
                if (publicResults) p.RequireAssertion(_ => true);
                else p.RequireRole(Roles.All);
            });
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
