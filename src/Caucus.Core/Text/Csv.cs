using System.Text;

namespace Caucus.Core.Text;

/// <summary>A CSV record with the 1-based line it starts on, so errors can name it.</summary>
public sealed record CsvRecord(int Line, IReadOnlyList<string> Fields);

/// <summary>
/// RFC 4180 CSV: quoted fields may hold commas, quotes ("") and line breaks. Parses text already in
/// memory (the core does no I/O); a malformed quote is reported with its line.
/// <para>
/// Formula guard (OWASP, CSV injection): a spreadsheet runs a cell that begins with <c>=</c>, <c>+</c>, <c>-</c>,
/// <c>@</c>, a tab or a carriage return as a formula, so <see cref="Line"/> writes such a text cell with a single
/// quote in front (<c>'=HYPERLINK(…)</c> shows as text). The one exception is a cell that is a plain decimal number
/// (<c>-3</c>, <c>-0.5</c>): a spreadsheet reads it as that number, it runs nothing, and the exports' numbers are
/// written by the code, so they stay numbers. A text that already begins with quotes before a formula character gets
/// one more, so <see cref="Parse(string)"/>, which takes one guarding quote off, gives back exactly what was written:
/// a round trip through our own reader is lossless. Other readers see the quote, which is the point.
/// </para>
/// </summary>
public static class Csv
{
    public static IEnumerable<CsvRecord> Parse(string text) => Parse(new StringReader(text));

    public static IEnumerable<CsvRecord> Parse(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var lines = new LineReader(reader);
        var line = 0;
        string? current;
        while ((current = lines.Next(out var lineBreak)) is not null)
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
                    // A line break inside quotes belongs to the field, as written (\n, \r\n or \r).
                    if (lineBreak.Length == 0) throw new FormatException($"line {start}: a quoted field is not closed");
                    field.Append(lineBreak);
                    current = lines.Next(out lineBreak) ?? throw new FormatException($"line {start}: a quoted field is not closed");
                    line++;
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
            for (var f = 0; f < fields.Count; f++) fields[f] = Unguard(fields[f]);
            yield return new CsvRecord(start, fields);
        }
    }

    /// <summary>Quotes a field when it holds a comma, quote or line break.</summary>
    public static string Escape(string field)
    {
        ArgumentNullException.ThrowIfNull(field);
        return field.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? $"\"{field.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : field;
    }

    /// <summary>The characters that make a spreadsheet read a cell as a formula (OWASP's list).</summary>
    public const string FormulaStarts = "=+-@\t\r";

    /// <summary>
    /// The cell as it is safe to hand to a spreadsheet: a single quote in front of a text that begins with a formula
    /// character (after any quotes it already begins with); a plain number as it is.
    /// </summary>
    public static string Guard(string field)
    {
        ArgumentNullException.ThrowIfNull(field);
        var rest = field.AsSpan().TrimStart('\'');
        if (rest.IsEmpty || !FormulaStarts.Contains(rest[0], StringComparison.Ordinal)) return field;
        return rest.Length == field.Length && IsPlainNumber(field) ? field : "'" + field;
    }

    /// <summary>Takes the guarding quote off a cell <see cref="Guard"/> wrote (our reader only; a spreadsheet shows it).</summary>
    public static string Unguard(string field)
    {
        ArgumentNullException.ThrowIfNull(field);
        if (!field.StartsWith('\'')) return field;
        var rest = field.AsSpan().TrimStart('\'');
        return !rest.IsEmpty && FormulaStarts.Contains(rest[0], StringComparison.Ordinal) ? field[1..] : field;
    }

    /// <summary>A decimal number as the exports write one: an optional minus, digits, and optionally a point and digits.</summary>
    public static bool IsPlainNumber(string field)
    {
        ArgumentNullException.ThrowIfNull(field);
        var s = field.AsSpan();
        if (s.StartsWith('-')) s = s[1..];
        var point = s.IndexOf('.');
        return point < 0 ? AllDigits(s) : AllDigits(s[..point]) && AllDigits(s[(point + 1)..]);

        static bool AllDigits(ReadOnlySpan<char> digits) => !digits.IsEmpty && !digits.ContainsAnyExceptInRange('0', '9');
    }

    /// <summary>
    /// TextReader.ReadLine that also says which line break ended the line ("" at the end of the text), so a
    /// quoted field keeps the break it holds. A '\r' is followed by a look at the next character, kept for
    /// the next line when it is not '\n' (no Peek: on a pipe it may answer "nothing" before the data arrives).
    /// </summary>
    private sealed class LineReader(TextReader reader)
    {
        private readonly StringBuilder _line = new();
        private int _pending = -1;

        public string? Next(out string lineBreak)
        {
            _line.Clear();
            var read = false;
            while (true)
            {
                var c = _pending >= 0 ? _pending : reader.Read();
                _pending = -1;
                if (c < 0)
                {
                    lineBreak = "";
                    return read ? _line.ToString() : null;
                }
                read = true;
                if (c == '\n')
                {
                    lineBreak = "\n";
                    return _line.ToString();
                }
                if (c == '\r')
                {
                    var after = reader.Read();
                    if (after == '\n') lineBreak = "\r\n";
                    else
                    {
                        lineBreak = "\r";
                        _pending = after;
                    }
                    return _line.ToString();
                }
                _line.Append((char)c);
            }
        }
    }

    /// <summary>
    /// One record, each field formula-guarded (<see cref="Guard"/>) and quoted as needed. A lone empty field is
    /// written as <c>""</c>: an empty line would read back as no record at all.
    /// </summary>
    public static string Line(params IEnumerable<string> fields)
    {
        var line = string.Join(',', fields.Select(f => Escape(Guard(f))));
        return line.Length == 0 ? "\"\"" : line;
    }
}
