using Caucus.Core.Text.Sms;
using System.Text;
using Caucus.Core.Aggregation;
using Caucus.Core.Model;
using Caucus.Core.Rules;

namespace Caucus.Api.Sms;

/// <summary>
/// The reply to a report text: the numbers read back in words with the delegates they give and every warning, so a
/// captain catches a slip before it counts ("You sent 1NW ADAIR (Adair): 40 attended. First: Biden 6, … Reply YES to
/// send, or send the corrected text.").
/// </summary>
public static class ReadBack
{
    public const string Confirm = "Reply YES to send, or send the corrected text.";

    public static string Of(PrecinctResult result, TextReport text, ReportForm form)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(form);
        var reply = new StringBuilder($"You sent {Name(result.Precinct)}: {text.Attendees} {(form.OneRound ? "ballots cast" : "attended")}.");
        if (!form.OneRound) Counts(reply, "First", text.First);
        Counts(reply, form.OneRound ? "Votes" : "Final", text.Final);
        if (text.Delegates is { } reported) Counts(reply, "Your delegates", reported);
        if (!text.Early.IsEmpty)
        {
            reply.Append(" Early cards: ").AppendJoin(", ", text.Early.Select(e => $"{string.Join(">", e.Choices)} {e.Count}")).Append('.');
        }
        if (!text.TieWinners.IsEmpty) reply.Append(" Chance won by ").AppendJoin(" and ", text.TieWinners).Append('.');
        if (result.Precinct.Delegates > 0)
        {
            var delegates = result.Allocation.Groups.Where(g => g.Delegates > 0).Select(g => $"{g.Group} {g.Delegates}").ToList();
            reply.Append(" Delegates: ").Append(delegates.Count == 0 ? "none" : string.Join(", ", delegates)).Append('.');
        }
        if (result.Allocation.IsProvisional && result.Allocation.Tie is { } tie)
        {
            reply.Append(" Tie: ").Append(tie.Describe()).Append("; add T and the winner's code, or send as is and report the outcome later.");
        }
        // The pending toss is said once, above, with what to text about it.
        foreach (var warning in result.Allocation.Warnings.Where(w => w.Code != Caucus.Core.Validation.WarningCode.TieBreakPending))
        {
            reply.Append(" Check: ").Append(warning.Message);
        }
        return reply.Append(' ').Append(Confirm).ToString();
    }

    public static string Name(Precinct precinct)
    {
        ArgumentNullException.ThrowIfNull(precinct);
        return $"{precinct.Name} ({precinct.County})";
    }

    private static void Counts(StringBuilder reply, string label, IEnumerable<KeyValuePair<string, int>>? counts)
    {
        var list = (counts ?? []).Where(c => c.Value > 0).Select(c => $"{c.Key} {c.Value}").ToList();
        reply.Append(' ').Append(label).Append(": ").Append(list.Count == 0 ? "none" : string.Join(", ", list)).Append('.');
    }
}
