using System.Collections.Immutable;
using Caucus.Core.Arithmetic;
using Caucus.Core.Text;
using Caucus.Core.Verification;

namespace Caucus.Core.Rules.Iowa2020;

/// <summary>
/// Reads the Iowa Democratic Party's 2020 results format (shared/data/iowa-2020): three header rows
/// (section, group, "County,Precinct"), then per precinct County, Precinct, first-expression counts,
/// final-expression counts and SDEs, one column per group. Rows named "Total" are county totals and skipped.
/// </summary>
public static class PublishedResults
{
    public static (IReadOnlyList<PublishedRow> Rows, IReadOnlyList<PublishedRowError> Errors, IReadOnlyList<string> Groups) Parse(string text)
    {
        var records = Csv.Parse(text).ToList();
        if (records.Count < 3)
        {
            return ([], [new PublishedRowError(1, "the file needs three header rows")], []);
        }
        var sections = records[0].Fields;
        var names = records[1].Fields;
        int[] firstCols = Columns(sections, "First Expression"), finalCols = Columns(sections, "Final Expression"), sdeCols = Columns(sections, "SDE");
        if (firstCols.Length == 0 || firstCols.Length != finalCols.Length || firstCols.Length != sdeCols.Length)
        {
            return ([], [new PublishedRowError(1, "expected as many First Expression, Final Expression and SDE columns")], []);
        }
        var groups = firstCols.Select(i => names[i].Trim()).ToList();
        var rows = new List<PublishedRow>();
        var errors = new List<PublishedRowError>();
        foreach (var record in records.Skip(3))
        {
            var f = record.Fields;
            if (f.Count < sdeCols.Max() + 1)
            {
                errors.Add(new(record.Line, $"expected {sdeCols.Max() + 1} fields, found {f.Count}"));
                continue;
            }
            if (f[1].Trim().Equals("Total", StringComparison.OrdinalIgnoreCase)) continue;
            try
            {
                rows.Add(new PublishedRow(record.Line, f[0].Trim(), f[1].Trim(),
                    Read(f, firstCols, groups, "first expression", s => checked((int)ParseCount(s))),
                    Read(f, finalCols, groups, "final expression", s => checked((int)ParseCount(s))),
                    Read(f, sdeCols, groups, "SDE", s => Rational.TryParse(s, out var r) && r.Sign >= 0 ? r : throw new FormatException($"'{s}' is not an SDE value"))));
            }
            catch (Exception e) when (e is FormatException or OverflowException)
            {
                errors.Add(new(record.Line, e.Message));
            }
        }
        return (rows, errors, groups);
    }

    private static int[] Columns(IReadOnlyList<string> sections, string section) =>
        [.. sections.Select((s, i) => (s, i)).Where(x => x.s.Trim() == section).Select(x => x.i)];

    private static long ParseCount(string s) =>
        long.TryParse(s.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n)
            ? n : throw new FormatException($"'{s}' is not a count");

    private static ImmutableSortedDictionary<string, T> Read<T>(IReadOnlyList<string> fields, int[] columns, List<string> groups,
        string section, Func<string, T> parse)
    {
        var builder = ImmutableSortedDictionary.CreateBuilder<string, T>(StringComparer.Ordinal);
        for (var i = 0; i < columns.Length; i++)
        {
            var cell = fields[columns[i]].Trim();
            try
            {
                builder[groups[i]] = parse(cell.Length == 0 ? "0" : cell);
            }
            catch (FormatException e)
            {
                throw new FormatException($"{section} for {groups[i]}: {e.Message}");
            }
        }
        return builder.ToImmutable();
    }
}
