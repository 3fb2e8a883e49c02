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

    /// <summary>How long a shared cache may keep the public documents (<c>Caucus:PublicCache:*</c>; used only with <see cref="PublicResults"/>).</summary>
    public PublicCacheOptions PublicCache { get; set; } = new();

    /// <summary>Hotline reports count only once a second operator enters the same numbers (on by default).</summary>
    public bool DoubleEntry { get; set; } = true;

    /// <summary>A rehearsal: every results document says <c>test</c>.</summary>
    public bool Test { get; set; }

    /// <summary>
    /// Unknown tokens one client address may present within a sliding window before its further unknown tokens
    /// get 429. Only unknown tokens count, and only they are refused: a known token is never refused for them.
    /// </summary>
    [Range(1, 1_000_000)]
    public int FailedAuthLimit { get; set; } = 20;

    [Range(1, 86_400)]
    public int FailedAuthWindowSeconds { get; set; } = 60;

    /// <summary>
    /// Reverse proxies (IP addresses) whose X-Forwarded-For is believed. Empty (the default): the header is
    /// ignored, and the client is the connection's address, so nobody can pose as another address.
    /// </summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>Per-credential and per-address limits (<c>Caucus:Limits:*</c>).</summary>
    public LimitOptions Limits { get; set; } = new();

    /// <summary>The SMS gateway (<c>Caucus:Sms:*</c>): off until a secret is set.</summary>
    public Sms.SmsOptions Sms { get; set; } = new();

    /// <summary>Serve the OpenAPI document at /openapi/v1.json (always on in Development).</summary>
    public bool OpenApi { get; set; }

    /// <summary>Origins allowed to call the API from a browser (CORS). Empty (the default): none; the pages are same-origin.</summary>
    public string[] CorsOrigins { get; set; } = [];

    /// <summary>Kestrel's request body limit; a report is further limited to <see cref="RequestBody.ReportLimitBytes"/> (16 KiB).</summary>
    [Range(64 * 1024, 64 * 1024 * 1024)]
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// A results snapshot this young is served even if newer reports were counted since (0: always the newest).
    /// Building one costs about a millisecond; at thousands of reads a second this caps the builds.
    /// </summary>
    [Range(0, 10_000)]
    public int SnapshotMaxAgeMilliseconds { get; set; } = 25;

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
    public int CommitWaitMilliseconds { get; set; } = 1500;

    /// <summary>PostgreSQL: a statement with no answer in this long fails (a frozen server), unless the connection string sets it.</summary>
    [Range(1000, 600_000)]
    public int CommandTimeoutMilliseconds { get; set; } = 5000;

    /// <summary>Recent changes kept for <c>/api/v1/changes</c>; an older cursor is told to reload.</summary>
    [Range(100, 10_000_000)]
    public int ChangeLogCapacity { get; set; } = 50_000;
}

/// <summary>
/// The <c>Cache-Control</c> of the public documents (results, a county's, a precinct's, flags, the projection) when
/// <see cref="CaucusOptions.PublicResults"/> is on and the request carries no token: a shared cache (the nginx of
/// <c>deploy/nginx-public.conf</c>, a CDN) serves each for <see cref="MaxAgeSeconds"/>, then revalidates it with its
/// ETag in the background while serving it stale for up to <see cref="StaleWhileRevalidateSeconds"/>, and keeps
/// serving it for <see cref="StaleIfErrorSeconds"/> if the API stops answering.
/// </summary>
public sealed class PublicCacheOptions
{
    [Range(0, 3600)]
    public int MaxAgeSeconds { get; set; } = 1;

    [Range(0, 86_400)]
    public int StaleWhileRevalidateSeconds { get; set; } = 10;

    [Range(0, 7 * 86_400)]
    public int StaleIfErrorSeconds { get; set; } = 3600;

    /// <summary>The header's value: <c>public, max-age=1, stale-while-revalidate=10, stale-if-error=3600</c> by default.</summary>
    public string CacheControl() => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"public, max-age={MaxAgeSeconds}, stale-while-revalidate={StaleWhileRevalidateSeconds}, stale-if-error={StaleIfErrorSeconds}");
}

/// <summary>
/// How much one credential (or one address) may do. Admin credentials are exempt by default: headquarters
/// runs the night, the demo and the load tests with them.
/// </summary>
public sealed class LimitOptions
{
    /// <summary>Reports a precinct credential may send per minute (a burst of this many, then one every 60/n seconds).</summary>
    [Range(1, 1_000_000)]
    public int PrecinctReportsPerMinute { get; set; } = 12;

    /// <summary>Reports a hotline credential (one operator, any precinct) may send per minute.</summary>
    [Range(1, 1_000_000)]
    public int HotlineReportsPerMinute { get; set; } = 120;

    /// <summary>Previews (the pages' live math, on every change of a field) a precinct or hotline credential may ask per minute.</summary>
    [Range(1, 1_000_000)]
    public int PreviewsPerMinute { get; set; } = 600;

    /// <summary>
    /// Streams one credential may hold open at once. A war-room credential is shared by the room's screens and a
    /// press credential by a newsroom's dashboards; the caucus-night load test holds 2,000 on one. Each stream costs
    /// a few kilobytes and one shared event write per version, so the cap is about a runaway client, not the load.
    /// </summary>
    [Range(1, 1_000_000)]
    public int StreamsPerCredential { get; set; } = 2_500;

    /// <summary>Streams one client address may hold open at once (a war room or newsroom behind one NAT holds many screens).</summary>
    [Range(1, 1_000_000)]
    public int StreamsPerAddress { get; set; } = 2_500;

    /// <summary>
    /// Audit pages (GET /api/v1/audit/precincts/{id}) a war-room credential may read per minute: each page can be a
    /// megabyte of stored bodies, so a loop of them is what the limit stops, not a person paging through a precinct.
    /// </summary>
    [Range(1, 1_000_000)]
    public int AuditReadsPerMinute { get; set; } = 60;

    /// <summary>The most bytes of stored bodies one audit page holds (an entry larger than this comes alone on its page).</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public long AuditPageBytes { get; set; } = Caucus.Api.Storage.AuditQuery.DefaultMaxBytes;

    /// <summary>Admin credentials are not limited.</summary>
    public bool AdminExempt { get; set; } = true;
}

public static class CaucusOptionsExtensions
{
    /// <summary>The shortest CAUCUS_ADMIN_TOKEN accepted: about 128 bits for a random token of letters and digits.</summary>
    public const int AdminTokenMinLength = 24;

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
            .Validate(o => Validator.TryValidateObject(o.Limits, new ValidationContext(o.Limits), null, validateAllProperties: true),
                "A Caucus:Limits setting is out of range (each limit is 1 or more).")
            .Validate(o => Validator.TryValidateObject(o.PublicCache, new ValidationContext(o.PublicCache), null, validateAllProperties: true),
                "A Caucus:PublicCache setting is out of range (MaxAgeSeconds 0-3600, StaleWhileRevalidateSeconds 0-86400, StaleIfErrorSeconds 0-604800).")
            .Validate(o => o.KnownProxies.All(p => System.Net.IPAddress.TryParse(p, out _)),
                "Caucus:KnownProxies must list IP addresses.")
            .Validate(_ => AdminTokenIsStrong(configuration["CAUCUS_ADMIN_TOKEN"]),
                $"CAUCUS_ADMIN_TOKEN must be at least {AdminTokenMinLength} characters with no white space (or unset, for a fresh one per run).")
            .ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<CaucusOptions>>().Value);
        return services;
    }

    /// <summary>A configured admin token must be long enough not to be guessed; unset, the service makes a fresh one.</summary>
    public static bool AdminTokenIsStrong(string? token) =>
        string.IsNullOrEmpty(token) || (token.Length >= AdminTokenMinLength && !token.Any(char.IsWhiteSpace));

    /// <summary>The options as the service would bind them, for callers outside the host (tests, tools).</summary>
    public static CaucusOptions ReadCaucusOptions(this IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = configuration.GetSection(CaucusOptions.Section).Get<CaucusOptions>() ?? new CaucusOptions();
        options.ConnectionString ??= configuration.GetConnectionString("Caucus");
        return options;
    }
}
