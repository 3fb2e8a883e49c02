using System.Collections.Immutable;
using System.Globalization;
using Caucus.Core.Text;
using Caucus.Core.Verification;

namespace Caucus.Core.Rules.Nevada2020;

/// <summary>
/// One caucus site of the party's published Nevada results: the file's county (first word of the county's name, upper
/// case: <c>CARSON</c>, <c>WHITE</c>) and precinct, its <c>precinct_full</c> id, <c>total_attendance</c> (N, early
/// voters included), <c>precinct_delegates</c> where the file gives it, and per candidate the merged first and final
/// alignments and the county delegates the site reported (<c>reported_del_given</c>). <see cref="Line"/> is its first row.
/// </summary>
public sealed record NevadaResultSite(
    int Line,
    string County,
    string Precinct,
    string Id,
    int Attendance,
    int? PrecinctDelegates,
    ImmutableSortedDictionary<string, int> First,
    ImmutableSortedDictionary<string, int> Final,
    ImmutableSortedDictionary<string, int> Reported)
{
    /// <summary>No one in either alignment: no caucus was held (or the site was merged into another).</summary>
    public bool NoOneAligned => First.Values.All(v => v == 0) && Final.Values.All(v => v == 0);
}

/// <summary>
/// Reads the Nevada State Democratic Party's 2020 results feed as converted to CSV (../shared/data/nevada-2020/SOURCE.md):
/// a header row naming the columns (any order, case ignored), then one row per site and candidate. A site's rows are
/// grouped by <c>precinct_full</c> in the order the file first names it. A count that is not a whole number of 0 or
/// more is an error naming its line and column, and its site is left out; <c>precinct_delegates</c> may be empty or
/// <c>NA</c> (the scraper's join missed).
/// </summary>
public static class NevadaResultsFile
{
    public static readonly ImmutableArray<string> RequiredColumns =
        ["county", "precinct", "total_attendance", "candidate", "reported_del_given", "align1", "alignfinal", "precinct_delegates", "precinct_full"];

    public static (IReadOnlyList<NevadaResultSite> Sites, IReadOnlyList<PublishedRowError> Errors) Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var records = Csv.Parse(text).ToList();
        if (records.Count == 0) return ([], [new PublishedRowError(1, "the file is empty: expected a header row")]);
        var header = records[0].Fields.Select((h, i) => (Name: h.Trim().ToLowerInvariant(), i))
            .GroupBy(h => h.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().i, StringComparer.Ordinal);
        var missing = RequiredColumns.Where(c => !header.ContainsKey(c)).ToList();
        if (missing.Count > 0)
        {
            return ([], [new PublishedRowError(records[0].Line, $"the header lacks {string.Join(", ", missing)}")]);
        }

        var errors = new List<PublishedRowError>();
        var sites = new Dictionary<string, SiteRows>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var record in records.Skip(1))
        {
            var f = record.Fields;
            if (f.Count == 1 && f[0].Trim().Length == 0) continue;
            if (f.Count != records[0].Fields.Count)
            {
                errors.Add(new(record.Line, $"expected {records[0].Fields.Count} fields, found {f.Count}"));
                continue;
            }
            string Field(string column) => f[header[column]].Trim();
            var id = Field("precinct_full");
            if (!sites.TryGetValue(id, out var site))
            {
                sites[id] = site = new SiteRows(record.Line, id, Field("county"), Field("precinct"));
                order.Add(id);
            }
            try
            {
                var candidate = Field("candidate");
                if (candidate.Length == 0) throw new FormatException("candidate is empty");
                if (!site.First.TryAdd(candidate, Count(Field("align1"), "align1")))
                    throw new FormatException($"candidate {candidate} appears twice for {id}");
                site.Final[candidate] = Count(Field("alignfinal"), "alignfinal");
                site.Reported[candidate] = Count(Field("reported_del_given"), "reported_del_given");
                var attendance = Count(Field("total_attendance"), "total_attendance");
                var delegates = Field("precinct_delegates") is var d && (d.Length == 0 || d.Equals("NA", StringComparison.OrdinalIgnoreCase))
                    ? (int?)null : Count(d, "precinct_delegates");
                if (site.Attendance is { } a && (a != attendance || site.Delegates != delegates))
                    throw new FormatException($"total_attendance/precinct_delegates {attendance}/{delegates} differ from line {site.Line}'s {a}/{site.Delegates} for {id}");
                site.Attendance = attendance;
                site.Delegates = delegates;
            }
            catch (FormatException e)
            {
                errors.Add(new(record.Line, e.Message));
                site.Malformed = true;
            }
        }
        return ([.. order.Select(id => sites[id]).Where(s => !s.Malformed && s.Attendance is not null).Select(s => new NevadaResultSite(
            s.Line, s.County, s.Precinct, s.Id, s.Attendance!.Value, s.Delegates,
            s.First.ToImmutableSortedDictionary(StringComparer.Ordinal), s.Final.ToImmutableSortedDictionary(StringComparer.Ordinal),
            s.Reported.ToImmutableSortedDictionary(StringComparer.Ordinal)))], errors);
    }

    private static int Count(string s, string column) =>
        int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? n : throw new FormatException($"{column} must be a whole number of 0 or more, not '{s}'");

    private sealed class SiteRows(int line, string id, string county, string precinct)
    {
        public int Line { get; } = line;
        public string Id { get; } = id;
        public string County { get; } = county;
        public string Precinct { get; } = precinct;
        public int? Attendance { get; set; }
        public int? Delegates { get; set; }
        public bool Malformed { get; set; }
        public Dictionary<string, int> First { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, int> Final { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, int> Reported { get; } = new(StringComparer.Ordinal);
    }
}
