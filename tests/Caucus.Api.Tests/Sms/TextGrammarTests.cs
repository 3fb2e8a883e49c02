using Caucus.Core.Text.Sms;
using System.Collections.Immutable;
using Caucus.Api.Elections;
using Caucus.Api.Sms;
using Caucus.Core.Model;
using CsCheck;

namespace Caucus.Api.Tests.Sms;

/// <summary>The text grammar on the Iowa 2020 and Nevada 2020 folders: golden texts, slips, every refusal said in words, and the round trip.</summary>
public sealed class TextGrammarTests
{
    private static readonly Election Iowa = ElectionSource.Load(ElectionSource.ShippedPath("iowa-2020"));
    private static readonly Election Nevada = ElectionSource.Load(ElectionSource.ShippedPath("nevada-2020"));
    private static readonly SmsCodes IowaCodes = new(Iowa);
    private static readonly SmsCodes NevadaCodes = new(Nevada);

    private static TextReport Read(string text)
    {
        var reading = TextGrammar.Read(text, IowaCodes, Iowa.RuleSet.Form);
        Assert.True(reading.Report is not null, reading.Error);
        return reading.Report;
    }

    private static string Error(string text, Election? election = null)
    {
        var e = election ?? Iowa;
        var reading = TextGrammar.Read(text, e == Iowa ? IowaCodes : NevadaCodes, e.RuleSet.Form);
        Assert.Null(reading.Report);
        return reading.Error!;
    }

    [Fact]
    public void Codes_are_derived_from_the_election_as_the_credential_sheet_prints_them()
    {
        Assert.Equal("ADR1NW", IowaCodes.PrecinctCodes["adair/1nw-adair"]);
        Assert.Equal("BID", IowaCodes.GroupCodes["Biden"]);
        Assert.Equal("BUT", IowaCodes.GroupCodes["Buttigieg"]);
        Assert.Equal("KLO", IowaCodes.GroupCodes["Klobuchar"]);
        Assert.Equal(IowaCodes.PrecinctCodes.Count, IowaCodes.PrecinctCodes.Values.Distinct().Count());
        Assert.All(Iowa.Precincts, p => Assert.Same(p, IowaCodes.FindPrecinct(IowaCodes.PrecinctCodes[p.Id])));
    }

    [Fact]
    public void The_example_on_the_credential_sheet_reads_as_the_report_it_says()
    {
        var report = Read("ADR1NW A40 F BID6 BUT8 KLO8 SAN9 WAR9 L BID6 BUT8 KLO8 SAN9 WAR9");
        Assert.Equal("ADR1NW", report.PrecinctCode);
        Assert.Equal(40, report.Attendees);
        Assert.Equal(new Dictionary<string, int> { ["Biden"] = 6, ["Buttigieg"] = 8, ["Klobuchar"] = 8, ["Sanders"] = 9, ["Warren"] = 9 }, report.First);
        Assert.Equal(report.First, report.Final);
        Assert.True(report.TieWinners.IsEmpty);
    }

    [Theory]
    [InlineData("adr1nw a40 f bid6 but8 klo8 san9 war9 l bid6 but8 klo8 san9 war9")]
    [InlineData("  ADR1NW   A 40  F BID 6 BUT 8 KLO 8 SAN 9 WAR 9   L BID 6 BUT 8 KLO 8 SAN 9 WAR 9 ")]
    [InlineData("ADR1NW A4O F BID6 BUT8 KLO8 SAN9 WAR9 L BID6 BUT8 KLO8 SAN9 WAR9")]
    [InlineData("ADR1NW A40 F BIDEN6 BUTTIGIEG8 KLOB8 SANDERS9 WARREN9 L BID6 BUT8 KLO8 SAN9 WAR9")]
    [InlineData("ADR1NW, A40, F BID6, BUT8, KLO8, SAN9, WAR9; L BID6, BUT8, KLO8, SAN9, WAR9")]
    public void Case_spacing_punctuation_longer_names_and_O_for_0_read_the_same(string text) =>
        Assert.Equal(Read("ADR1NW A40 F BID6 BUT8 KLO8 SAN9 WAR9 L BID6 BUT8 KLO8 SAN9 WAR9"), Read(text));

    [Fact]
    public void A_lower_case_l_inside_a_number_is_a_1_and_a_tie_outcome_names_its_winners()
    {
        var report = Read("ADR1NW A4l F BID1l L BID1l T BID");
        Assert.Equal(41, report.Attendees);
        Assert.Equal(11, report.Final!["Biden"]);
        Assert.Equal(["Biden"], report.TieWinners.ToArray());
    }

    [Theory]
    [InlineData("ADR1NW A40 F BID6 BUT L BID6 BUT8", "BUT: no number after it.")]
    [InlineData("ADR1NW A40 F B6 L BID6", "B: could be Bennet, Biden, Bloomberg or Buttigieg; type more letters.")]
    [InlineData("ADR1NW A40 F XYZ6 L BID6", "XYZ: no candidate starts with that.")]
    [InlineData("ADR1NW F BID6 L BID6", "A: the attendance is missing (A then the number).")]
    [InlineData("ADR1NW A40 F BID6", "L: the final alignment is missing (L then each group's code and count).")]
    [InlineData("ADR1NW A40 L BID6", "F: the first alignment is missing (F then each group's code and count).")]
    [InlineData("ADR1NW A40 BID6 L BID6", "BID: put F (first alignment) or L (final alignment) before the counts.")]
    [InlineData("ADR1NW A40 F BID6 BID7 L BID6", "BID: given twice in the first alignment.")]
    [InlineData("ADR1NW A F BID6 L BID6", "A: no number after it.")]
    [InlineData("ADR1NW A40 F 6 L BID6", "6: which group? Put its code before the number.")]
    [InlineData("ADR1NW A40 F BID6 L BID6 E WAR>SAN 3", "E: this caucus has no early vote.")]
    [InlineData("ADR1NW A40 F \"Climate\" 6 L BID6", "\"Climate\": this caucus's groups are its candidates; use their codes.")]
    [InlineData("", "The text is empty: start with your precinct's code.")]
    public void Every_refusal_says_exactly_what_is_wrong(string text, string error) => Assert.Equal(error, Error(text));

    [Fact]
    public void Nevada_early_vote_cards_are_texted_by_ranking()
    {
        var reading = TextGrammar.Read("CRS101 A10 F BID4 SAN6 L BID4 SAN6 E WAR>SAN>BID 3 SAN>BID2", NevadaCodes, Nevada.RuleSet.Form);
        Assert.True(reading.Report is not null, reading.Error);
        Assert.Equal(["Warren>Sanders>Biden 3", "Sanders>Biden 2"], reading.Report.Early.Select(e => $"{string.Join('>', e.Choices)} {e.Count}").ToArray());
    }

    [Fact]
    public void Whatever_the_formatter_writes_the_grammar_reads_back_as_the_same_report()
    {
        var groups = Iowa.Candidates;
        var counts = Gen.Select(Gen.Int[0, groups.Length - 1], Gen.Int[0, 400]).Array[0, 8]
            .Select(a => a.GroupBy(x => x.Item1).ToImmutableSortedDictionary(g => groups[g.Key], g => g.First().Item2, StringComparer.Ordinal));
        var precinct = Gen.Int[0, Iowa.Precincts.Length - 1].Select(i => IowaCodes.PrecinctCodes[Iowa.Precincts[i].Id]);
        var winners = Gen.Int[0, groups.Length - 1].Array[0, 2].Select(a => a.Distinct().Select(i => groups[i]).ToImmutableArray());
        var report = Gen.Select(precinct, Gen.Int[0, 5000], counts, counts, counts.Null(), winners)
            .Select((code, attendees, first, final, delegates, tie) => new TextReport(code, attendees, first, final, delegates, tie, []));
        report.Sample(r =>
        {
            var text = TextFormatter.Format(r, IowaCodes, Iowa.RuleSet.Form);
            var back = TextGrammar.Read(text, IowaCodes, Iowa.RuleSet.Form);
            Assert.True(back.Report is not null && back.Report.Equals(r), $"{text} → {back.Error ?? "another report"}");
        }, iter: 2000);
    }
}
