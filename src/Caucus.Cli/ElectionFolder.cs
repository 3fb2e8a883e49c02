using Caucus.Core.Definitions;
using Caucus.Core.Model;

namespace Caucus.Cli;

/// <summary>Reads an election folder from disk for the core's loader; the default is <see cref="ShippedElections.Default"/>, shipped beside the binary.</summary>
public static class ElectionFolder
{
    public static string DefaultPath => ShippedElections.PathOf(AppContext.BaseDirectory, ShippedElections.Default);

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
