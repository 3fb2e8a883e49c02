using Caucus.Core.Text;
using CsCheck;

namespace Caucus.Core.Tests;

/// <summary>
/// What `Csv.Line` writes, `Csv.Parse` reads back field for field: the property that lets the CLI's CSV
/// (allocate, verify, token export) carry any precinct or group name, however awkward.
/// </summary>
public class CsvRoundTripTests
{
    /// <summary>Pieces a field is made of: everything CSV has to quote, line breaks of every kind, unicode (a surrogate pair too).</summary>
    private static readonly Gen<string> Piece = Gen.Frequency(
        (6, Gen.OneOfConst("a", "Z", "7", " ", ",", "\"", "\"\"", "\n", "\r", "\r\n", "é", "中", "😀", "\t", "'",
            "=", "+", "-", "@", "-1", "0.5", "''")),
        (1, Gen.String));

    private static readonly Gen<string> Field = Gen.Frequency(
        (1, Gen.Const("")),
        (4, Piece.Array[1, 6].Select(string.Concat)));

    /// <summary>A table: at least one row, each of at least one field (a record of no fields has no CSV form).</summary>
    private static readonly Gen<string[][]> Table = Field.Array[1, 5].Array[1, 6];

    /// <summary>RFC 4180 ends records with CRLF; Unix tools with LF. Both must read back the same.</summary>
    private static readonly Gen<string> RecordEnd = Gen.OneOfConst("\n", "\r\n");

    [Fact]
    public void Any_table_written_as_csv_reads_back_identically()
    {
        var sawQuotedBreak = false;
        var sawLoneEmptyField = false;
        var sawGuarded = false;
        var sawQuoteBeforeFormula = false;
        Gen.Select(Table, RecordEnd, Gen.Bool).Sample((table, end, finalEnd) =>
        {
            var text = string.Join(end, table.Select(row => Csv.Line(row))) + (finalEnd ? end : "");
            var read = Csv.Parse(text).Select(r => r.Fields.ToArray()).ToArray();
            Assert.Equal(table, read);
            sawQuotedBreak |= table.Any(row => row.Any(f => f.Contains('\r', StringComparison.Ordinal)));
            sawLoneEmptyField |= table.Any(row => row is [""]);
            sawGuarded |= table.Any(row => row.Any(f => Csv.Guard(f) != f));
            sawQuoteBeforeFormula |= table.Any(row => row.Any(f => f.StartsWith('\'') && Csv.Guard(f) != f));
        }, iter: 20_000, print: t => $"{System.Text.Json.JsonSerializer.Serialize(t.Item1)} end {System.Text.Json.JsonSerializer.Serialize(t.Item2)}");
        // The generator must reach the awkward cases, or this test proves nothing.
        Assert.True(sawQuotedBreak, "no field held a carriage return");
        Assert.True(sawLoneEmptyField, "no record was a single empty field");
        Assert.True(sawGuarded, "no field began with a formula character");
        Assert.True(sawQuoteBeforeFormula, "no field began with a quote before a formula character");
    }

    /// <summary>The first character a spreadsheet sees in the cell a field is written as (inside the quotes, if quoted).</summary>
    private static char? FirstSeen(string field)
    {
        var written = Csv.Line(field);
        var cell = written.StartsWith('"') ? written[1..^1].Replace("\"\"", "\"", StringComparison.Ordinal) : written;
        return cell.Length == 0 ? null : cell[0];
    }

    [Fact]
    public void No_written_text_cell_begins_with_a_formula_character()
    {
        var sawFormula = false;
        var sawNumber = false;
        Field.Sample(field =>
        {
            var first = FirstSeen(field);
            var number = Csv.IsPlainNumber(field);
            // A plain number is written as it is (a spreadsheet reads it as that number); any other cell never
            // begins with = + - @ tab or carriage return.
            if (number) Assert.Equal(field, Csv.Line(field));
            else Assert.False(first is { } c && Csv.FormulaStarts.Contains(c, StringComparison.Ordinal), $"{field} written as {Csv.Line(field)}");
            sawFormula |= !number && field.Length > 0 && Csv.FormulaStarts.Contains(field[0], StringComparison.Ordinal);
            sawNumber |= number && field.StartsWith('-');
        }, iter: 20_000, print: f => System.Text.Json.JsonSerializer.Serialize(f));
        Assert.True(sawFormula, "no text field began with a formula character");
        Assert.True(sawNumber, "no field was a negative number");
    }

    [Theory]
    [InlineData("=HYPERLINK(\"http://evil\",\"click\")", "\"'=HYPERLINK(\"\"http://evil\"\",\"\"click\"\")\"")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0")]
    [InlineData("-2+3", "'-2+3")]
    [InlineData("\tTab", "'\tTab")]
    [InlineData("\rreturn", "\"'\rreturn\"")]
    [InlineData("'=quoted already", "''=quoted already")]
    [InlineData("-3", "-3")]
    [InlineData("-0.1569", "-0.1569")]
    [InlineData("0.1569", "0.1569")]
    [InlineData("1NW ADAIR", "1NW ADAIR")]
    [InlineData("O'Brien", "O'Brien")]
    [InlineData("'", "'")]
    public void A_cell_a_spreadsheet_would_run_is_written_as_text_and_reads_back_as_it_was(string field, string written)
    {
        Assert.Equal(written, Csv.Line(field));
        Assert.Equal(field, Assert.Single(Assert.Single(Csv.Parse(written)).Fields));
    }

    [Fact]
    public void Each_record_is_numbered_by_the_line_it_starts_on()
    {
        var text = Csv.Line("a", "two\nlines") + "\r\n" + Csv.Line("b", "x") + "\n" + Csv.Line("c\r\nd", "y") + "\n" + Csv.Line("e");
        Assert.Equal([1, 3, 4, 6], Csv.Parse(text).Select(r => r.Line));
    }
}
