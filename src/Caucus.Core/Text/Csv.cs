using System.Text;

namespace Caucus.Core.Text;

/// <summary>A CSV record with the 1-based line it starts on, so errors can name it.</summary>
public sealed record CsvRecord(int Line, IReadOnlyList<string> Fields);

/// <summary>
/// RFC 4180 CSV: quoted fields may hold commas, quotes ("") and line breaks. Parses text already in
/// memory (the core does no I/O); a malformed quote is reported with its line.
/// </summary>
public static class Csv
{
    public static IEnumerable<CsvRecord> Parse(string text) => Parse(new StringReader(text));

    public static IEnumerable<CsvRecord> Parse(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var line = 0;
        string? current;
        while ((current = reader.ReadLine()) is not null)
        {
            line++;
            var start = line;
            if (current.Length == 0) continue;
            var fields = new List<string>();
            var field = new StringBuilder();
            var quoted = false;
            var i = 0;
            while (true)
            {
                if (i >= current.Length)
                {
                    if (!quoted) break;
                    // A line break inside quotes belongs to the field.
                    var next = reader.ReadLine() ?? throw new FormatException($"line {start}: a quoted field is not closed");
                    line++;
                    field.Append('\n');
                    current = next;
                    i = 0;
                    continue;
                }
                var ch = current[i];
                if (quoted)
                {
                    if (ch == '"')
                    {
                        if (i + 1 < current.Length && current[i + 1] == '"') { field.Append('"'); i += 2; continue; }
                        quoted = false;
                    }
                    else field.Append(ch);
                }
                else if (ch == '"' && field.Length == 0) quoted = true;
                else if (ch == ',') { fields.Add(field.ToString()); field.Clear(); }
                else field.Append(ch);
                i++;
            }
            fields.Add(field.ToString());
            yield return new CsvRecord(start, fields);
        }
    }

    /// <summary>Quotes a field when it holds a comma, quote or line break.</summary>
    public static string Escape(string field)
    {
        ArgumentNullException.ThrowIfNull(field);
        return field.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? $"\"{field.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : field;
    }

    public static string Line(params IEnumerable<string> fields) => string.Join(',', fields.Select(Escape));
}
