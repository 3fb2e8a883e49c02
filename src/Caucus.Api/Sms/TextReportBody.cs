using Caucus.Core.Text.Sms;
using System.Text.Json;
using Caucus.Core.Allocation;
using Caucus.Core.Counting;
using Caucus.Core.Model;

namespace Caucus.Api.Sms;

/// <summary>
/// A texted report as the JSON body the report page would have sent, so a text goes through the same reader, rules,
/// storage, source precedence, double entry and review as any report (README, "Reporting by text message").
/// </summary>
public static class TextReportBody
{
    /// <param name="tie">The game of chance the numbers leave pending (its groups), to which <see cref="TextReport.TieWinners"/> are the answer.</param>
    public static string Write(TextReport report, ReportSource source, PendingTie? tie)
    {
        ArgumentNullException.ThrowIfNull(report);
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteNumber("attendees", report.Attendees ?? 0);
            Counts(json, "first", report.First);
            Counts(json, "final", report.Final);
            if (report.Delegates is { } delegates) Counts(json, "reportedDelegates", delegates);
            if (tie is not null && !report.TieWinners.IsEmpty)
            {
                json.WriteStartArray("tieBreaks");
                json.WriteStartObject();
                Names(json, "groups", tie.Groups);
                Names(json, "winners", report.TieWinners);
                json.WriteEndObject();
                json.WriteEndArray();
            }
            if (!report.Early.IsEmpty)
            {
                json.WriteStartArray("early");
                foreach (var ranking in report.Early)
                {
                    json.WriteStartObject();
                    Names(json, "choices", ranking.Choices);
                    json.WriteNumber("count", ranking.Count);
                    json.WriteEndObject();
                }
                json.WriteEndArray();
            }
            json.WriteString("source", JsonNamingPolicy.CamelCase.ConvertName(source.ToString()));
            json.WriteString("note", "By text message.");
            json.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void Counts(Utf8JsonWriter json, string name, IEnumerable<KeyValuePair<string, int>>? counts)
    {
        json.WriteStartObject(name);
        foreach (var (group, count) in counts ?? []) json.WriteNumber(group, count);
        json.WriteEndObject();
    }

    private static void Names(Utf8JsonWriter json, string name, IEnumerable<string> names)
    {
        json.WriteStartArray(name);
        foreach (var n in names) json.WriteStringValue(n);
        json.WriteEndArray();
    }
}
