using System.Collections.Immutable;
using Caucus.Core.Model;
using Caucus.Core.Text;

namespace Caucus.Core.Tests.Rules.Nevada2020;

/// <summary>One caucus site of the party's published Nevada results: its D (when known), its merged alignments and its delegates.</summary>
internal sealed record NevadaSite(string Id, int? Delegates, int? Registered, Tally Tally);

/// <summary>
/// ../shared/data/nevada-2020 read for the tests: one site per <c>precinct_full</c>, sites with no one in either alignment
/// left out (no caucus held, or merged into another site). D is the file's <c>precinct_delegates</c>, else the
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
        return [.. Rows("nv-caucus-results-2020-02-24.csv").GroupBy(r => r["precinct_full"], StringComparer.Ordinal)
            .Select(site =>
            {
                var rows = site.ToList();
                var first = rows.ToImmutableSortedDictionary(r => r["candidate"], r => Count(r["align1"]), StringComparer.Ordinal);
                var final = rows.ToImmutableSortedDictionary(r => r["candidate"], r => Count(r["alignfinal"]), StringComparer.Ordinal);
                var reported = rows.ToImmutableSortedDictionary(r => r["candidate"], r => Count(r["reported_del_given"]), StringComparer.Ordinal);
                var known = apportioned.TryGetValue((rows[0]["county"], rows[0]["precinct"]), out var a) ? a : default((int, int)?);
                int? delegates = int.TryParse(rows[0]["precinct_delegates"], out var d) ? d : known?.Item1;
                return new NevadaSite(site.Key, delegates, known?.Item2,
                    new Tally(Count(rows[0]["total_attendance"]), first, final, reported));
            })
            .Where(s => s.Tally.FirstTotal > 0 || s.Tally.FinalTotal > 0)];
    }

    private static int Count(string field) => int.TryParse(field, out var n) ? n : 0;

    private static IEnumerable<Dictionary<string, string>> Rows(string file)
    {
        var records = Csv.Parse(File.ReadAllText(Path.Combine(Folder, file))).ToList();
        var header = records[0].Fields.Select(h => h.ToLowerInvariant()).ToArray();
        return records.Skip(1).Select(r => header.Zip(r.Fields).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal));
    }
}
