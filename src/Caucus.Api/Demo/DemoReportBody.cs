using System.Buffers;
using System.Text;
using System.Text.Json;
using Caucus.Core.Counting;
using Caucus.Core.Model;
using Caucus.Core.Rules;

namespace Caucus.Api.Demo;

/// <summary>A demo step's request body: a report as a captain's phone, an operator or the admin would send it.</summary>
public static class DemoReportBody
{
    /// <summary>
    /// The report body of DESIGN.md ("HTTP contract") as the rule set's form asks for it: zero counts left out (zero and
    /// absent are the same), only <c>final</c> when the form counts once, the early-vote cards where the report has them.
    /// </summary>
    /// <param name="form">Also how the rule set records a tie's outcome: under a card draw the demo's chair records cards
    /// that give the night's outcome (the winners draw aces, the others twos), as a chair would record the real draw.</param>
    public static string Write(ReportForm form, Tally tally, ReportSource source, string? note)
    {
        ArgumentNullException.ThrowIfNull(form);
        ArgumentNullException.ThrowIfNull(tally);
        var ties = form.Ties;
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("attendees", tally.Attendees);
            if (!form.OneRound) Counts(json, "first", tally.First);
            Counts(json, "final", tally.Final);
            if (tally.HasEarlyVote)
            {
                json.WriteStartArray("early");
                foreach (var ranking in tally.EarlyOrEmpty)
                {
                    json.WriteStartObject();
                    Names(json, "choices", ranking.Choices);
                    json.WriteNumber("count", ranking.Count);
                    json.WriteEndObject();
                }
                json.WriteEndArray();
            }
            if (tally.ReportedDelegates is { } reported) Counts(json, "reportedDelegates", reported);
            if (!tally.TieBreaksOrEmpty.IsEmpty)
            {
                json.WriteStartArray("tieBreaks");
                foreach (var tie in tally.TieBreaksOrEmpty)
                {
                    json.WriteStartObject();
                    Names(json, "groups", tie.Groups);
                    if (ties == TieMethod.CardDraw) Cards(json, tie);
                    else Names(json, "winners", tie.Winners);
                    json.WriteEndObject();
                }
                json.WriteEndArray();
            }
            json.WriteString("source", ApiJson.Name(source));
            if (note is not null) json.WriteString("note", note);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);

        static void Cards(Utf8JsonWriter json, TieBreak tie)
        {
            // Four suits per rank: winners take aces then kings…, losers twos then threes…, so every winner outranks every loser.
            string[] suits = ["spades", "hearts", "diamonds", "clubs"];
            int won = 0, lost = 0;
            json.WriteStartArray("cards");
            foreach (var g in tie.Groups)
            {
                var winner = tie.Winners.Contains(g);
                var n = winner ? won++ : lost++;
                json.WriteStartObject();
                json.WriteString("group", g);
                json.WriteNumber("rank", winner ? Card.Ace - n / 4 : Card.LowestRank + n / 4);
                json.WriteString("suit", suits[winner ? n % 4 : 3 - n % 4]);
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }

        static void Names(Utf8JsonWriter json, string name, IEnumerable<string> names)
        {
            json.WriteStartArray(name);
            foreach (var n in names) json.WriteStringValue(n);
            json.WriteEndArray();
        }

        static void Counts(Utf8JsonWriter json, string name, IEnumerable<KeyValuePair<string, int>> counts)
        {
            json.WriteStartObject(name);
            foreach (var (group, count) in counts)
            {
                if (count != 0) json.WriteNumber(group, count);
            }
            json.WriteEndObject();
        }
    }
}
