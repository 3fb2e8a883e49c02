using Caucus.Core.Model;

namespace Caucus.Core.Validation;

/// <summary>
/// RULES.md, "Alignment": consequences the engine checks and reports as warnings, not silent fixes.
/// </summary>
public static class AlignmentChecks
{
    public static IEnumerable<ReportWarning> Check(int delegates, int threshold, Tally tally)
    {
        ArgumentNullException.ThrowIfNull(tally);
        if (tally.FirstTotal != tally.Attendees)
        {
            yield return new(WarningCode.FirstTotalDiffersFromAttendees,
                $"First alignment totals {tally.FirstTotal}, but {tally.Attendees} attendees were counted.");
        }
        if (tally.FinalTotal > tally.Attendees)
        {
            yield return new(WarningCode.FinalExceedsAttendees,
                $"Final alignment totals {tally.FinalTotal}, more than the {tally.Attendees} attendees.");
        }
        foreach (var group in tally.Groups)
        {
            int first = tally.FirstOf(group), final = tally.FinalOf(group);
            var viableFirst = first > 0 && first >= threshold;
            if (viableFirst && final < first)
            {
                yield return new(WarningCode.ViableGroupShrank,
                    $"{group} was viable in first alignment with {first} but has {final} in final alignment; its members are locked.", group);
            }
            if (delegates != 1 && final > 0 && final < threshold)
            {
                yield return new(WarningCode.NonViableGroupInFinal,
                    $"{group} has {final} in final alignment, below the viability threshold of {threshold}.", group);
            }
        }
    }
}
