using Caucus.Core.Model;

namespace Caucus.Core.Counting;

/// <summary>
/// How many attendees a precinct could plausibly hold. In 2020 the most attendees per county delegate anywhere
/// was 183 (a one-delegate satellite) and the largest precinct had 860 attendees; the defaults sit well above
/// both, so a real surge is never held, while a typo or a hostile number (2,147,483,647 attendees) is.
/// </summary>
/// <param name="AttendeesPerDelegate">Allowed attendees per county delegate the precinct elects.</param>
/// <param name="Allowance">Allowed on top, so a small precinct's surge is not held.</param>
/// <param name="HardCeiling">No precinct holds more attendees (or alignment supporters) than this, whatever its D.</param>
public sealed record PlausibilityLimits(int AttendeesPerDelegate = 250, int Allowance = 500, int HardCeiling = 20_000)
{
    public static PlausibilityLimits Default { get; } = new();

    /// <summary>The most attendees <paramref name="precinct"/> may report before the report is held for review.</summary>
    public long MostAttendees(Precinct precinct)
    {
        ArgumentNullException.ThrowIfNull(precinct);
        return Math.Min(HardCeiling, Allowance + ((long)AttendeesPerDelegate * Math.Max(precinct.Delegates, 1)));
    }

    /// <summary>Why the tally is implausible for the precinct, or null when it is plausible.</summary>
    public string? Implausible(Precinct precinct, Tally tally)
    {
        ArgumentNullException.ThrowIfNull(tally);
        var most = MostAttendees(precinct);
        var largest = Math.Max(tally.Attendees, Math.Max(tally.FirstTotal, tally.FinalTotal));
        return largest <= most
            ? null
            : $"{largest:N0} people reported where this precinct (D = {precinct.Delegates}) could plausibly hold at most {most:N0}: held out of every total until an admin confirms it.";
    }
}
