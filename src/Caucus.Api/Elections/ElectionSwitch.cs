using Caucus.Api.Infrastructure;
using Caucus.Core.Definitions;

namespace Caucus.Api.Elections;

/// <summary>
/// <c>--election NAME|PATH</c> on the service's command line: a bare name (no directory separator, not <c>.</c> or
/// <c>..</c>) is the election of that name shipped with the build, anything else the path of an election folder,
/// taken as given. Becomes <c>Caucus:ElectionPath</c>, with or without <c>--demo</c>.
/// </summary>
public static class ElectionSwitch
{
    public const string Switch = "--election";

    /// <summary>Turns <c>--election X</c> (or <c>--election=X</c>) into <c>--Caucus:ElectionPath=folder</c>; everything else is passed on unchanged.</summary>
    /// <exception cref="StartupRefusedException">No such shipped election, or no <c>election.json</c> in the folder given.</exception>
    public static string[] Translate(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var translated = new List<string>(args.Length);
        for (var i = 0; i < args.Length; i++)
        {
            string? value = args[i] == Switch ? (i + 1 < args.Length ? args[++i] : "")
                : args[i].StartsWith(Switch + "=", StringComparison.Ordinal) ? args[i][(Switch.Length + 1)..]
                : null;
            translated.Add(value is null ? args[i] : $"--{ElectionSource.ElectionPathKey}={Resolve(value)}");
        }
        return [.. translated];
    }

    /// <summary>The election folder <paramref name="nameOrPath"/> names.</summary>
    /// <exception cref="StartupRefusedException">No such shipped election, or no <c>election.json</c> in the folder given.</exception>
    public static string Resolve(string nameOrPath)
    {
        ArgumentNullException.ThrowIfNull(nameOrPath);
        var shipped = ElectionSource.Shipped();
        var choices = $"the shipped elections are {(shipped.Count == 0 ? "(none)" : string.Join(", ", shipped))}, or give the path of an election folder";
        if (nameOrPath.Length == 0) throw new StartupRefusedException($"{Switch} needs an election: {choices}.");
        if (IsBareName(nameOrPath))
        {
            return shipped.Contains(nameOrPath, StringComparer.Ordinal)
                ? ElectionSource.ShippedPath(nameOrPath)
                : throw new StartupRefusedException($"{Switch} {nameOrPath}: no election of that name is shipped; {choices}.");
        }
        // A path is the working directory's (where the command was typed), made absolute here: the content root is the
        // binary's folder, so a relative path must not be read against it later.
        return File.Exists(Path.Combine(nameOrPath, ElectionDefinition.ElectionFile))
            ? Path.GetFullPath(nameOrPath)
            : throw new StartupRefusedException($"{Switch} {nameOrPath}: that folder holds no {ElectionDefinition.ElectionFile}; {choices}.");
    }

    private static bool IsBareName(string value) =>
        value is not ("." or "..") && value.IndexOfAny(['/', '\\', Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar]) < 0;
}
