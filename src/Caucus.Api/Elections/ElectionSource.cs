using Caucus.Core.Definitions;
using Caucus.Core.Model;

namespace Caucus.Api.Elections;

/// <summary>
/// Loads the election folder named by <c>Caucus:ElectionPath</c>; the default is the Iowa 2020 folder
/// shipped with the build output, so the service finds it from any working directory (and in the image).
/// </summary>
public static class ElectionSource
{
    public static string DefaultPath => Path.Combine(AppContext.BaseDirectory, "elections", "iowa-2020");

    public static Election Load(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return Load(configuration["Caucus:ElectionPath"]);
    }

    /// <summary>The folder <c>Caucus:ElectionPath</c> names, or the default; its other files (the county outlines) are read from here.</summary>
    public static string FolderPath(string? electionPath) => electionPath is { Length: > 0 } configured ? configured : DefaultPath;

    public static Election Load(string? electionPath)
    {
        var dir = FolderPath(electionPath);
        return ElectionDefinition.Load(name =>
        {
            var path = Path.Combine(dir, name);
            return File.Exists(path) ? File.ReadAllText(path) : null;
        });
    }
}
