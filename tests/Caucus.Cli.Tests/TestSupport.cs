namespace Caucus.Cli.Tests;

/// <summary>Where the repo and the shared public data are.</summary>
internal static class Paths
{
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>The public 2020 data sits beside the repo: ../shared/data/iowa-2020 from the repo root.</summary>
    public static string SharedIowaData => Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "data", "iowa-2020"));

    public static string HundredPercentResults => Path.Combine(SharedIowaData, "idp-results-2020-02-08-100pct.csv");

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Caucus.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException($"No Caucus.sln above {AppContext.BaseDirectory}");
    }
}
