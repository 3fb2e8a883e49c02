using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace Caucus.Api.Infrastructure;

/// <summary>
/// Who the client is and which browsers may call: X-Forwarded-For believed only from <c>Caucus:KnownProxies</c>
/// (ASP.NET Core's forwarded-headers middleware, with its loopback defaults removed, so nothing is believed unless
/// configured), and CORS closed unless <c>Caucus:CorsOrigins</c> lists origins (the pages are same-origin).
/// </summary>
public static class HttpSecurity
{
    public static IServiceCollection AddCaucusHttpSecurity(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.ReadCaucusOptions();
        services.Configure<ForwardedHeadersOptions>(o =>
        {
            // With no known proxy the middleware would believe everyone (its check is skipped when both lists are
            // empty), so without configured proxies it reads no header at all.
            o.ForwardedHeaders = options.KnownProxies.Length > 0 ? ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto : ForwardedHeaders.None;
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
#pragma warning disable ASPDEPR005 // the obsolete list still holds the loopback default and is still consulted
            o.KnownNetworks.Clear();
#pragma warning restore ASPDEPR005
            // Invalid addresses stop the service at start-up (CaucusOptions validation); skip them here.
            foreach (var proxy in options.KnownProxies)
            {
                if (IPAddress.TryParse(proxy, out var address)) o.KnownProxies.Add(address);
            }
        });
        if (options.CorsOrigins.Length > 0)
        {
            services.AddCors(o => o.AddDefaultPolicy(p => p.WithOrigins(options.CorsOrigins)
                .WithMethods("GET", "POST")
                .WithHeaders("Authorization", "Content-Type", "Idempotency-Key", "If-None-Match")
                .WithExposedHeaders("ETag", "Retry-After", "Location", "Idempotent-Replayed")));
        }
        return services;
    }

    public static IApplicationBuilder UseCaucusCors(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.ApplicationServices.GetRequiredService<CaucusOptions>().CorsOrigins.Length > 0 ? app.UseCors() : app;
    }
}
