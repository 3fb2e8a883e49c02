using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Caucus.Api.Infrastructure;

public enum StoreKind
{
    Sqlite,
    Postgres,
    Postgresql = Postgres,
}

/// <summary>
/// The service's settings, bound once from the <c>Caucus</c> section (and <c>ConnectionStrings:Caucus</c>)
/// and validated at start-up, so a mistyped setting stops the service before caucus night, not during it.
/// </summary>
public sealed class CaucusOptions
{
    public const string Section = "Caucus";

    /// <summary><c>sqlite</c> (the embedded default) or <c>postgres</c>.</summary>
    public StoreKind Store { get; set; } = StoreKind.Sqlite;

    /// <summary>From <c>ConnectionStrings:Caucus</c>; SQLite defaults to <c>Data Source=caucus.db</c> in the working directory.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The election folder; the default is the Iowa 2020 folder shipped with the build output.</summary>
    public string? ElectionPath { get; set; }

    /// <summary>Results, precincts and the stream readable without a token.</summary>
    public bool PublicResults { get; set; }

    /// <summary>Hotline reports count only once a second operator enters the same numbers (on by default).</summary>
    public bool DoubleEntry { get; set; } = true;

    /// <summary>A rehearsal: every results document says <c>test</c>.</summary>
    public bool Test { get; set; }

    /// <summary>Unknown tokens one client may send per window before it gets 429.</summary>
    [Range(1, 1_000_000)]
    public int FailedAuthLimit { get; set; } = 20;

    [Range(1, 86_400)]
    public int FailedAuthWindowSeconds { get; set; } = 60;

    /// <summary>Kestrel's request body limit; a report is further limited to 64 KiB.</summary>
    [Range(64 * 1024, 64 * 1024 * 1024)]
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Simulated draws per projection.</summary>
    [Range(10, 100_000)]
    public int ProjectionDraws { get; set; } = Caucus.Core.Projection.ProjectionOptions.DefaultDraws;

    /// <summary>The projection's seed: the same reports and seed give the same projection.</summary>
    public ulong ProjectionSeed { get; set; } = 2020;

    /// <summary>The least time between two projections (versions in between coalesce).</summary>
    [Range(0, 600_000)]
    public int ProjectionIntervalMilliseconds { get; set; } = 1000;

    /// <summary>
    /// The longest a report waits for its commit before it is answered 503 + Retry-After (retry with the same
    /// Idempotency-Key: a write that commits after all is replayed, never stored twice).
    /// </summary>
    [Range(100, 60_000)]
    public int CommitWaitMilliseconds { get; set; } = 2000;

    /// <summary>PostgreSQL: a statement with no answer in this long fails (a frozen server), unless the connection string sets it.</summary>
    [Range(1000, 600_000)]
    public int CommandTimeoutMilliseconds { get; set; } = 5000;

    /// <summary>Recent changes kept for <c>/api/v1/changes</c>; an older cursor is told to reload.</summary>
    [Range(100, 10_000_000)]
    public int ChangeLogCapacity { get; set; } = 50_000;
}

public static class CaucusOptionsExtensions
{
    public static IServiceCollection AddCaucusOptions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<CaucusOptions>()
            .Bind(configuration.GetSection(CaucusOptions.Section))
            .PostConfigure(o => o.ConnectionString ??= configuration.GetConnectionString("Caucus"))
            .ValidateDataAnnotations()
            .Validate(o => o.Store != StoreKind.Postgres || !string.IsNullOrWhiteSpace(o.ConnectionString),
                "Caucus:Store is 'postgres' but ConnectionStrings:Caucus is not set.")
            .Validate(o => string.IsNullOrEmpty(o.ElectionPath) || Directory.Exists(o.ElectionPath),
                "Caucus:ElectionPath names a folder that does not exist.")
            .ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<CaucusOptions>>().Value);
        return services;
    }

    /// <summary>The options as the service would bind them, for callers outside the host (tests, tools).</summary>
    public static CaucusOptions ReadCaucusOptions(this IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = configuration.GetSection(CaucusOptions.Section).Get<CaucusOptions>() ?? new CaucusOptions();
        options.ConnectionString ??= configuration.GetConnectionString("Caucus");
        return options;
    }
}
