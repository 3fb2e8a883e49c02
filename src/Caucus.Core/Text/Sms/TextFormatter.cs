using System.Text;
using Caucus.Core.Rules;

namespace Caucus.Core.Text.Sms;

/// <summary>
/// Writes a report as a captain would text it (the example on the credential sheet, and the property the grammar is
/// tested by: whatever this writes, <see cref="TextGrammar"/> reads back as the same report).
/// </summary>
public static class TextFormatter
{
    public static string Format(TextReport report, SmsCodes codes, ReportForm form)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(codes);
        ArgumentNullException.ThrowIfNull(form);
        var text = new StringBuilder(report.PrecinctCode);
        if (report.Attendees is { } attendees) text.Append(" A").Append(attendees);
        if (!form.OneRound && report.First is { } first) Counts(text, "F", first, codes);
        if (report.Final is { } final) Counts(text, form.OneRound ? "V" : "L", final, codes);
        if (report.Delegates is { } delegates) Counts(text, "D", delegates, codes);
        if (!report.TieWinners.IsEmpty)
        {
            text.Append(" T");
            foreach (var winner in report.TieWinners) text.Append(' ').Append(Code(winner, codes));
        }
        if (!report.Early.IsEmpty)
        {
            text.Append(" E");
            foreach (var ranking in report.Early)
            {
                text.Append(' ').AppendJoin('>', ranking.Choices.Select(c => codes.GroupCodes[c])).Append(' ').Append(ranking.Count);
            }
        }
        return text.ToString();
    }

    /// <summary>
    /// What the credential sheet prints: the precinct's text with a blank for each number and the group codes, e.g.
    /// <c>ADR1NW A__ F BID__ BUT__ … L BID__ BUT__ …</c> (groups with no one may be left out).
    /// </summary>
    public static string Template(string precinctCode, SmsCodes codes, ReportForm form)
    {
        ArgumentNullException.ThrowIfNull(codes);
        ArgumentNullException.ThrowIfNull(form);
        var groups = string.Join(' ', codes.GroupCodes.Values.Order(StringComparer.Ordinal).Select(c => c + "__"));
        var template = new StringBuilder(precinctCode).Append(" A__");
        if (!form.OneRound) template.Append(" F ").Append(groups);
        template.Append(form.OneRound ? " V " : " L ").Append(groups);
        if (form.EarlyVote is not null) template.Append(" E ").Append(string.Join('>', codes.GroupCodes.Values.Order(StringComparer.Ordinal).Take(3))).Append(" __");
        return template.ToString();
    }

    private static void Counts(StringBuilder text, string section, IEnumerable<KeyValuePair<string, int>> counts, SmsCodes codes)
    {
        text.Append(' ').Append(section);
        foreach (var (group, count) in counts) text.Append(' ').Append(Code(group, codes)).Append(' ').Append(count);
    }

    /// <summary>A suggested group by its code; a group the caucus named itself by its name in quotes.</summary>
    private static string Code(string group, SmsCodes codes) =>
        codes.GroupCodes.TryGetValue(group, out var code) ? code : $"\"{group}\"";
}
