namespace Caucus.Cli.Tests;

/// <summary>Where the repo and the shared public data are.</summary>
internal static class Paths
{
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>The public 2020 data sits beside the repo: ../shared/data/iowa-2020 from the repo root.</summary>
    public static string SharedIowaData => Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "data", "iowa-2020"));

    public static string HundredPercentResults => Path.Combine(SharedIowaData, "idp-results-2020-02-08-100pct.csv");

    public static string NevadaElection => Path.Combine(RepoRoot, "elections", "nevada-2020");

    /// <summary>The party's published Nevada results, from ../shared/data/nevada-2020 (the folder carries a copy).</summary>
    public static string NevadaResults => Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "data", "nevada-2020", "nv-caucus-results-2020-02-24.csv"));

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Caucus.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException($"No Caucus.sln above {AppContext.BaseDirectory}");
    }
}
