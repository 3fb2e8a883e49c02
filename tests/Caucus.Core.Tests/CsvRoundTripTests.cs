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
        (6, Gen.OneOfConst("a", "Z", "7", " ", ",", "\"", "\"\"", "\n", "\r", "\r\n", "é", "中", "😀", "\t", "'")),
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
        Gen.Select(Table, RecordEnd, Gen.Bool).Sample((table, end, finalEnd) =>
        {
            var text = string.Join(end, table.Select(row => Csv.Line(row))) + (finalEnd ? end : "");
            var read = Csv.Parse(text).Select(r => r.Fields.ToArray()).ToArray();
            Assert.Equal(table, read);
            sawQuotedBreak |= table.Any(row => row.Any(f => f.Contains('\r', StringComparison.Ordinal)));
            sawLoneEmptyField |= table.Any(row => row is [""]);
        }, iter: 20_000, print: t => $"{System.Text.Json.JsonSerializer.Serialize(t.Item1)} end {System.Text.Json.JsonSerializer.Serialize(t.Item2)}");
        // The generator must reach the awkward cases, or this test proves nothing.
        Assert.True(sawQuotedBreak, "no field held a carriage return");
        Assert.True(sawLoneEmptyField, "no record was a single empty field");
    }

    [Fact]
    public void Each_record_is_numbered_by_the_line_it_starts_on()
    {
        var text = Csv.Line("a", "two\nlines") + "\r\n" + Csv.Line("b", "x") + "\n" + Csv.Line("c\r\nd", "y") + "\n" + Csv.Line("e");
        Assert.Equal([1, 3, 4, 6], Csv.Parse(text).Select(r => r.Line));
    }
}
