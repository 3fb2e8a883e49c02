using System.Collections.Immutable;
using Caucus.Core.Model;
using Caucus.Core.Rules.Nevada2020;
using Caucus.Core.Text;

namespace Caucus.Core.Tests.Rules.Nevada2020;

/// <summary>One caucus site of the party's published Nevada results: its D (when known), its merged alignments and its delegates.</summary>
internal sealed record NevadaSite(string Id, int? Delegates, int? Registered, Tally Tally);

/// <summary>
/// ../shared/data/nevada-2020 read for the tests with Core's <see cref="NevadaResultsFile"/>: one site per
/// <c>precinct_full</c>, sites with no one in either alignment left out (no caucus held, or merged into another site). D is the file's <c>precinct_delegates</c>, else the
/// apportionment's <c>delegates</c> for the same county and precinct (the results shorten county names to their first
/// word, upper-cased: "CARSON", "WHITE").
/// </summary>
internal static class NevadaRecord
{
    public static string Folder => Path.GetFullPath(Path.Combine(Paths.RepoRoot, "..", "shared", "data", "nevada-2020"));

    public static Lazy<ImmutableArray<NevadaSite>> Sites { get; } = new(Load);

    private static ImmutableArray<NevadaSite> Load()
    {
        var apportioned = Rows("nv-delegate-apportionment.csv").ToDictionary(
            r => (r["county"].Split(' ')[0].ToUpperInvariant(), r["precinct"]),
            r => (Delegates: int.Parse(r["delegates"]), Registered: int.Parse(r["democrats_in_precinct"])));
        var (sites, errors) = NevadaResultsFile.Parse(File.ReadAllText(Path.Combine(Folder, "nv-caucus-results-2020-02-24.csv")));
        if (errors.Count > 0) throw new InvalidOperationException($"line {errors[0].Line}: {errors[0].Reason}");
        return [.. sites.Where(s => !s.NoOneAligned).Select(s =>
        {
            var known = apportioned.TryGetValue((s.County, s.Precinct), out var a) ? a : default((int, int)?);
            return new NevadaSite(s.Id, s.PrecinctDelegates ?? known?.Item1, known?.Item2,
                new Tally(s.Attendance, s.First, s.Final, s.Reported));
        })];
    }

    private static IEnumerable<Dictionary<string, string>> Rows(string file)
    {
        var records = Csv.Parse(File.ReadAllText(Path.Combine(Folder, file))).ToList();
        var header = records[0].Fields.Select(h => h.ToLowerInvariant()).ToArray();
        return records.Skip(1).Select(r => header.Zip(r.Fields).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal));
    }
}
