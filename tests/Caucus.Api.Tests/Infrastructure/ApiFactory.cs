using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;

namespace Caucus.Api.Tests.Infrastructure;

/// <summary>
/// The API host on a real loopback port (Kestrel, port chosen by the OS), configured only through
/// settings: the store, its connection string, the admin token and the failed-auth limit. It runs as
/// Production, the environment of `dotnet run` (no launch profile) and of the Docker image, not the
/// Development default of WebApplicationFactory.
/// </summary>
public sealed class ApiFactory : WebApplicationFactory<Program>
{
    public const string AdminToken = "adm_contract-tests-admin-token";

    private readonly Dictionary<string, string?> _settings;
    private readonly string _environment;

    public ApiFactory(IReadOnlyDictionary<string, string?> storeSettings, int failedAuthLimit, string environment = "Production")
    {
        _environment = environment;
        _settings = new Dictionary<string, string?>(storeSettings, StringComparer.Ordinal)
        {
            ["CAUCUS_ADMIN_TOKEN"] = AdminToken,
            ["Caucus:FailedAuthLimit"] = failedAuthLimit.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Caucus:FailedAuthWindowSeconds"] = "600",
            // The 2 s commit deadline is the fault tests' subject (Process/); here a busy test machine must not turn slowness into 503s.
            ["Caucus:CommitWaitMilliseconds"] = "15000",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        };
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
    }
}
