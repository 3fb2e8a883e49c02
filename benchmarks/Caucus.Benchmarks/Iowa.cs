using System.Collections.Immutable;
using Caucus.Core.Definitions;
using Caucus.Core.Model;
using Caucus.Core.Projection;

namespace Caucus.Benchmarks;

/// <summary>The shipped Iowa 2020 election and every precinct's published 2020 tally (../shared/data/iowa-2020).</summary>
public static class Iowa
{
    private static readonly Lazy<(Election Election, ImmutableDictionary<string, Tally> Tallies)> Data = new(() => Shipped.Load("iowa-2020"));

    public static Election Election => Data.Value.Election;
    public static ImmutableDictionary<string, Tally> Tallies => Data.Value.Tallies;
}

/// <summary>A shipped election folder and every precinct's tally from the published results the folder names.</summary>
public static class Shipped
{
    public static (Election Election, ImmutableDictionary<string, Tally> Tallies) Load(string id)
    {
        var folder = Path.Combine(RepoRoot(), "elections", id);
        var election = ElectionDefinition.Load(name => Path.Combine(folder, name) is var p && File.Exists(p) ? File.ReadAllText(p) : null);
        var results = Path.Combine(folder, election.PublishedResultsFile ?? throw new InvalidOperationException($"{id} names no published results."));
        return (election, PublishedReports.Tallies(election, File.ReadAllText(results)));
    }

    /// <summary>BenchmarkDotNet runs each benchmark from a generated project under bin/, so the repo is found by walking up.</summary>
    private static string RepoRoot()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Caucus.sln"))) return dir.FullName;
            }
        }
        throw new InvalidOperationException("No Caucus.sln above the benchmark.");
    }
}
