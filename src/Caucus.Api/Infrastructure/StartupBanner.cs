using System.Security.Cryptography;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Caucus.Api.Infrastructure;

/// <summary>What an operator needs to see when the service starts: what it counts, where it listens, the admin token.</summary>
public static class StartupBanner
{
    /// <summary>A dev run without CAUCUS_ADMIN_TOKEN gets a fresh admin token, printed once at start-up; returns it, or null.</summary>
    public static string? EnsureAdminToken(this IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (!string.IsNullOrEmpty(configuration["CAUCUS_ADMIN_TOKEN"])) return null;
        var generated = "adm_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));
        configuration["CAUCUS_ADMIN_TOKEN"] = generated;
        return generated;
    }

    public static void Print(WebApplication app, string? generatedAdminToken)
    {
        ArgumentNullException.ThrowIfNull(app);
        var election = app.Services.GetRequiredService<Caucus.Core.Model.Election>();
        var options = app.Services.GetRequiredService<CaucusOptions>();
        Console.WriteLine($"Caucus is counting '{election.Name}' ({election.Precincts.Length} precincts and satellites), " +
            $"store: {ApiJson.Name(options.Store)}{(options.Test ? ", test mode (a rehearsal)" : "")}.");
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? app.Urls;
        var openApi = app.Environment.IsDevelopment() || options.OpenApi ? ", OpenAPI: /openapi/v1.json" : "";
        Console.WriteLine($"Listening on {string.Join(", ", addresses)}  (health: /healthz{openApi})");
        Console.WriteLine(generatedAdminToken is null
            ? "Admin token: the value of CAUCUS_ADMIN_TOKEN."
            : $"Admin token for this run: {generatedAdminToken}  (set CAUCUS_ADMIN_TOKEN to choose your own)");
    }
}
