using Caucus.Api.Elections;
using Caucus.Api.Infrastructure;
using Caucus.Core.Definitions;
using Microsoft.Extensions.Options;

namespace Caucus.Api.Demo;

/// <summary>
/// <c>--demo</c>: a rehearsal on a database of its own, readable without a token, that plays a caucus night against
/// itself (<see cref="DemoNight"/>: the election's published night where its folder has one, otherwise a synthetic night
/// from a fixed seed), so a newcomer can watch the service work before reading any of it.
/// </summary>
public static class DemoExtensions
{
    /// <summary>The demo's database, in the working directory; deleted at every demo start, so each replay starts empty.</summary>
    public const string DatabaseFile = "caucus-demo.db";

    /// <summary>
    /// Turns <c>--demo</c> and <c>--demo-speed N</c> into <c>Caucus:Demo</c> settings. ASP.NET Core's command line reads
    /// every <c>--key</c> as taking the next argument as its value, so a bare <c>--demo</c> would swallow the argument
    /// after it (<c>--demo --urls …</c> would lose the address); everything else is passed on unchanged.
    /// </summary>
    public static string[] TranslateSwitches(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var translated = new List<string>(args.Length);
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--demo":
                    translated.Add($"--{DemoOptions.Section}:{nameof(DemoOptions.Enabled)}=true");
                    break;
                case "--demo-speed":
                    translated.Add($"--{DemoOptions.Section}:{nameof(DemoOptions.Speed)}={(i + 1 < args.Length ? args[++i] : "")}");
                    break;
                case var arg when arg.StartsWith("--demo-speed=", StringComparison.Ordinal):
                    translated.Add($"--{DemoOptions.Section}:{nameof(DemoOptions.Speed)}={arg["--demo-speed=".Length..]}");
                    break;
                default:
                    translated.Add(args[i]);
                    break;
            }
        }
        return [.. translated];
    }

    /// <summary>
    /// When <c>Caucus:Demo:Enabled</c>: test mode, public reads, SQLite on a fresh <see cref="DatabaseFile"/>, and the
    /// <see cref="DemoNight"/> that plays the configured election's night (<c>--election</c>, the default otherwise). Set
    /// before the options bind, over every other configuration source.
    /// </summary>
    /// <exception cref="StartupRefusedException">The election's folder names a published results file it does not hold.</exception>
    public static WebApplicationBuilder AddCaucusDemo(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (!builder.Configuration.GetValue<bool>($"{DemoOptions.Section}:{nameof(DemoOptions.Enabled)}")) return builder;

        // Refused before the demo database is touched: a folder that names a published night it does not hold is broken
        // (a folder that names none plays a synthetic night instead).
        var folder = ElectionSource.Folder(builder.Configuration[ElectionSource.ElectionPathKey]);
        var election = ElectionSource.Load(folder);
        if (DemoNight.PublishedResultsPath(folder, election) is { } published && !File.Exists(published))
        {
            throw new StartupRefusedException($"--demo: {election.Name} ({folder}): {ElectionDefinition.ElectionFile} names the published results " +
                $"\"{election.PublishedResultsFile}\" (\"publishedResults\"), which is not in the folder.");
        }

        var database = Path.GetFullPath(DatabaseFile);
        foreach (var file in (string[])[database, database + "-wal", database + "-shm", database + "-journal"])
        {
            File.Delete(file);
        }
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Caucus:Test"] = "true",
            ["Caucus:PublicResults"] = "true",
            ["Caucus:Store"] = "sqlite",
            ["ConnectionStrings:Caucus"] = $"Data Source={database}",
            // Run from outside the project folder, appsettings.json (which quiets per-request logging) is not found,
            // and five lines per request would bury the replay's progress lines.
            ["Logging:LogLevel:Microsoft.AspNetCore"] = builder.Configuration["Logging:LogLevel:Microsoft.AspNetCore"] ?? "Warning",
        });
        builder.Services.AddOptions<DemoOptions>().BindConfiguration(DemoOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton(sp => sp.GetRequiredService<IOptions<DemoOptions>>().Value);
        builder.Services.AddHostedService<DemoNight>();
        return builder;
    }
}
