using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Caucus.Api.Tests.Infrastructure;

/// <summary>
/// The API host on a real loopback port (Kestrel, port chosen by the OS), configured only through
/// settings: the store, its connection string, the admin token, the failed-auth limit, the OpenAPI document (on) and
/// whatever else a test sets. It runs as
/// Production, the environment of `dotnet run` (no launch profile) and of the Docker image, not the
/// Development default of WebApplicationFactory.
/// </summary>
public sealed class ApiFactory : WebApplicationFactory<Program>
{
    public const string AdminToken = "adm_contract-tests-admin-token";

    private readonly Dictionary<string, string?> _settings;
    private readonly string _environment;
    private readonly Action<IServiceCollection>? _services;

    /// <param name="services">Replaces services after the app registered its own, e.g. a FakeTimeProvider as the app's <see cref="TimeProvider"/>.</param>
    public ApiFactory(IReadOnlyDictionary<string, string?> storeSettings, int failedAuthLimit, string environment = "Production",
        IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        _environment = environment;
        _services = services;
        _settings = new Dictionary<string, string?>(storeSettings, StringComparer.Ordinal)
        {
            ["CAUCUS_ADMIN_TOKEN"] = AdminToken,
            ["Caucus:FailedAuthLimit"] = failedAuthLimit.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Caucus:FailedAuthWindowSeconds"] = "600",
            // Contract tests read right after they write: always the newest snapshot (the product default coalesces 25 ms).
            ["Caucus:SnapshotMaxAgeMilliseconds"] = "0",
            // The 2 s commit deadline is the fault tests' subject (Process/); here a busy test machine must not turn slowness into 503s.
            ["Caucus:CommitWaitMilliseconds"] = "15000",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
            // Off by default in Production; the contract tests read the document.
            ["Caucus:OpenApi"] = "true",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }

        UseKestrel(0);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(_environment);
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureAppConfiguration(config => config.AddInMemoryCollection(_settings));
        if (_services is not null) builder.ConfigureServices(_services);
    }
}
