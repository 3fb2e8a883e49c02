using Caucus.Api.Results;
using Caucus.Api.Storage;
using OpenTelemetry.Metrics;

namespace Caucus.Api.Infrastructure;

/// <summary>OpenTelemetry metrics: the <c>Caucus</c> meter and ASP.NET Core's own, scraped by Prometheus at <c>GET /metrics</c>.</summary>
public static class MetricsExtensions
{
    public const string ScrapePath = "/metrics";

    public static IServiceCollection AddCaucusMetrics(this IServiceCollection services)
    {
        services.AddSingleton<CaucusMetrics>();
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(CaucusMetrics.MeterName)
            .AddMeter("Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.RateLimiting")
            .AddPrometheusExporter());
        return services;
    }

    /// <summary>Counts 429 answers (whichever limiter gave them), follows the version lag, and maps the scrape endpoint.</summary>
    public static WebApplication UseCaucusMetrics(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var metrics = app.Services.GetRequiredService<CaucusMetrics>();
        var store = app.Services.GetRequiredService<ICaucusStore>();
        var state = app.Services.GetRequiredService<ResultsState>();
        metrics.ObserveVersionLag(() => Math.Max(0, store.HighestCommittedSeq - state.Version));
        app.Use(async (context, next) =>
        {
            await next(context);
            if (context.Response.StatusCode == StatusCodes.Status429TooManyRequests) metrics.RateLimited();
        });
        return app;
    }

    public static IEndpointRouteBuilder MapCaucusMetrics(this IEndpointRouteBuilder app)
    {
        app.MapPrometheusScrapingEndpoint(ScrapePath).AllowAnonymous().WithTags("Health");
        return app;
    }
}
