using Caucus.Core.Definitions;
using Caucus.Core.Model;

namespace Caucus.Api.Elections;

/// <summary>
/// Loads the election folder named by <c>Caucus:ElectionPath</c>; the default is <see cref="ShippedElections.Default"/>,
/// shipped with the build output, so the service finds it from any working directory (and in the image).
/// </summary>
public static class ElectionSource
{
    public const string ElectionPathKey = "Caucus:ElectionPath";

    public static string DefaultPath => ShippedPath(ShippedElections.Default);

    /// <summary>The folder of the shipped election of this name (which may not exist).</summary>
    public static string ShippedPath(string name) => ShippedElections.PathOf(AppContext.BaseDirectory, name);

    /// <summary>The names of the elections shipped with this build, in order.</summary>
    public static IReadOnlyList<string> Shipped()
    {
        var root = Path.Combine(AppContext.BaseDirectory, ShippedElections.Folder);
        return Directory.Exists(root)
            ? [.. Directory.GetDirectories(root).Where(d => File.Exists(Path.Combine(d, ElectionDefinition.ElectionFile)))
                .Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)]
            : [];
    }

    /// <summary>The folder a configured <c>Caucus:ElectionPath</c> names, the default when it is empty; its other files (the county outlines, the published results) are read from here.</summary>
    public static string Folder(string? electionPath) => electionPath is { Length: > 0 } configured ? configured : DefaultPath;

    public static Election Load(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return Load(configuration[ElectionPathKey]);
    }

    public static Election Load(string? electionPath)
    {
        var dir = Folder(electionPath);
        return ElectionDefinition.Load(name =>
        {
            var path = Path.Combine(dir, name);
            return File.Exists(path) ? File.ReadAllText(path) : null;
        });
    }
}
