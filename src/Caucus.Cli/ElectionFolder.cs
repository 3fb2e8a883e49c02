using Caucus.Core.Definitions;
using Caucus.Core.Model;

namespace Caucus.Cli;

/// <summary>Reads an election folder from disk for the core's loader; the default is the Iowa 2020 folder shipped beside the binary.</summary>
public static class ElectionFolder
{
    public static string DefaultPath => Path.Combine(AppContext.BaseDirectory, "elections", "iowa-2020");

    public static Election Load(string? directory)
    {
        var dir = directory ?? DefaultPath;
        return ElectionDefinition.Load(name =>
        {
            var path = Path.Combine(dir, name);
            return File.Exists(path) ? File.ReadAllText(path) : null;
        });
    }
}
