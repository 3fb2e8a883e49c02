using Caucus.Core.Model;

namespace Caucus.Core.Rules;

/// <summary>
/// How many attendees a precinct could plausibly hold, relative to the precinct: a report above it is held out of
/// every total until an admin confirms it. Each contest's rule set owns its figures (<see cref="IRuleSet.Plausibility"/>).
/// </summary>
/// <remarks>
/// The limit is the lowest of what each of the precinct's figures makes plausible:
/// <list type="bullet">
/// <item>its delegates: <c>Allowance + AttendeesPerDelegate × max(D, 1)</c>. A precinct's D is apportioned from its
/// party's past vote, so attendees per county delegate is the natural measure of a surge;</item>
/// <item>where the election folder gives them, its registered party voters and its past caucus turnout:
/// <c>Allowance + max(registered, PastTurnoutMultiple × pastTurnout)</c> (the allowance covers registering at the door);</item>
/// <item>the <see cref="HardCeiling"/>, whatever the precinct.</item>
/// </list>
/// </remarks>
/// <param name="AttendeesPerDelegate">Allowed attendees per county delegate the precinct elects.</param>
/// <param name="Allowance">Allowed on top of each figure, so a small precinct's surge is not held.</param>
/// <param name="PastTurnoutMultiple">How many times its past caucus turnout a precinct may hold (before the allowance).</param>
/// <param name="HardCeiling">No precinct holds more attendees (or alignment supporters) than this, whatever its figures.</param>
public sealed record PlausibilityLimits(int AttendeesPerDelegate, int Allowance, int PastTurnoutMultiple, int HardCeiling)
{
    /// <summary>The most attendees <paramref name="precinct"/> may report before the report is held, and which figure sets it.</summary>
    public AttendanceLimit MostAttendees(Precinct precinct)
    {
        ArgumentNullException.ThrowIfNull(precinct);
        var delegates = Math.Max(precinct.Delegates, 1);
        var limit = new AttendanceLimit(Allowance + ((long)AttendeesPerDelegate * delegates),
            $"{Allowance:N0} + {AttendeesPerDelegate:N0} per county delegate");
        if (ByVoters(precinct) is { } voters && voters.Most < limit.Most) limit = voters;
        return limit.Most <= HardCeiling ? limit : new AttendanceLimit(HardCeiling, "the most any precinct may hold");
    }

    /// <summary>Why the tally is implausible for the precinct, or null when it is plausible.</summary>
    public string? Implausible(Precinct precinct, Tally tally)
    {
        ArgumentNullException.ThrowIfNull(tally);
        var limit = MostAttendees(precinct);
        var largest = Math.Max(tally.Attendees, Math.Max(tally.FirstTotal, tally.FinalTotal));
        return largest <= limit.Most
            ? null
            : $"{largest:N0} people reported where this precinct (D = {precinct.Delegates}{Figures(precinct)}) could plausibly hold " +
              $"at most {limit.Most:N0} ({limit.Basis}): held out of every total until an admin confirms it.";
    }

    private AttendanceLimit? ByVoters(Precinct precinct)
    {
        var past = precinct.PastTurnout is { } p ? (long)PastTurnoutMultiple * p : (long?)null;
        if (precinct.Registered is not { } registered)
        {
            return past is { } onlyPast ? new(Allowance + onlyPast, $"{PastTurnoutMultiple} × its past turnout + {Allowance:N0}") : null;
        }
        return past is { } both && both > registered
            ? new(Allowance + both, $"{PastTurnoutMultiple} × its past turnout + {Allowance:N0}")
            : new(Allowance + (long)registered, $"its registered voters + {Allowance:N0}");
    }

    private static string Figures(Precinct precinct) =>
        (precinct.Registered is { } r ? $", {r:N0} registered" : "") + (precinct.PastTurnout is { } p ? $", past turnout {p:N0}" : "");
}

/// <summary>The most attendees a precinct may report, and the figure that sets it (named in the hold reason).</summary>
public sealed record AttendanceLimit(long Most, string Basis);
