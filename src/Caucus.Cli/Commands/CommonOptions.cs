using System.CommandLine;

namespace Caucus.Cli.Commands;

/// <summary>Options every command that talks to a running API shares.</summary>
public static class CommonOptions
{
    public static Option<string> Url() => new("--url")
    {
        Description = "Base URL of the Caucus API.",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("CAUCUS_URL") ?? "http://localhost:5000",
    };

    public static Option<string> Token(string name, string environmentVariable, string description) => new(name)
    {
        Description = $"{description} (default: ${environmentVariable}).",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable(environmentVariable) ?? "",
    };
}
