using System.Collections.Immutable;
using Caucus.Core.Allocation;
using Caucus.Core.Model;

namespace Caucus.Core.Tests;

/// <summary>Where the repo, the shipped election folder and the shared public data are.</summary>
internal static class Paths
{
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>The public 2020 data sits beside the repo: ../shared/data/iowa-2020 from the repo root.</summary>
    public static string SharedIowaData => Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "data", "iowa-2020"));

    public static string HundredPercentResults => Path.Combine(SharedIowaData, "idp-results-2020-02-08-100pct.csv");

    /// <summary>The Iowa folder as the test project copies it to its output.</summary>
    public static string ShippedElection => Path.Combine(AppContext.BaseDirectory, "elections", "iowa-2020");

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Caucus.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException($"No Caucus.sln above {AppContext.BaseDirectory}");
    }
}

/// <summary>Short ways to write tallies in tests.</summary>
internal static class Tallies
{
    /// <summary>A tally whose first and final alignments are the same (no one moved).</summary>
    public static Tally Same(int attendees, params (string Group, int Count)[] groups) =>
        Tally.Create(attendees, groups.Select(g => KeyValuePair.Create(g.Group, g.Count)), groups.Select(g => KeyValuePair.Create(g.Group, g.Count)));

    public static Tally Of(int attendees, params (string Group, int First, int Final)[] groups) =>
        Tally.Create(attendees, groups.Select(g => KeyValuePair.Create(g.Group, g.First)), groups.Select(g => KeyValuePair.Create(g.Group, g.Final)));

    public static ImmutableSortedDictionary<string, int> Delegates(params (string Group, int Delegates)[] groups) =>
        groups.ToImmutableSortedDictionary(g => g.Group, g => g.Delegates, StringComparer.Ordinal);

    /// <summary>The groups with at least one delegate, as "Name=n" joined, for readable equality assertions.</summary>
    public static string Awarded(this PrecinctAllocation allocation) =>
        string.Join(",", allocation.Groups.Where(g => g.Delegates != 0).OrderBy(g => g.Group, StringComparer.Ordinal).Select(g => $"{g.Group}={g.Delegates}"));
}

/// <summary>The shipped Iowa 2020 folder, loaded once (Election is immutable).</summary>
internal static class IowaElection
{
    private static readonly Lazy<Election> Lazy = new(() => Definitions.ElectionDefinition.Load(name =>
    {
        var path = Path.Combine(Paths.ShippedElection, name);
        return File.Exists(path) ? File.ReadAllText(path) : null;
    }));

    public static Election Shipped => Lazy.Value;
}
