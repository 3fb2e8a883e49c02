using Caucus.Core.Model;
using Caucus.Core.Projection;
using Caucus.Core.Rules;

namespace Caucus.Core.Simulation;

/// <summary>
/// How many people come to a synthetic precinct: about its past turnout where the folder gives it, else about an eighth
/// of its registered voters, else about 14 per delegate (Iowa 2020's average), else (a unit that elects no delegate, as a
/// secret ballot's) about a twentieth of the most its rule set finds plausible; a satellite holds 5 to 64. Never more than
/// its registered voters, nor than the rule set's plausibility limit (a synthetic report is never held as implausible).
/// </summary>
public static class Turnout
{
    private const int PeoplePerDelegate = 14;
    private const double RegisteredShare = 0.125;
    private const double PlausibleShare = 20;

    public static int Attendance(ref Xoshiro256 rng, Precinct precinct, PlausibilityLimits limits)
    {
        ArgumentNullException.ThrowIfNull(precinct);
        ArgumentNullException.ThrowIfNull(limits);
        if (precinct.Kind == PrecinctKind.Satellite) return 5 + rng.NextInt(60);
        var plausible = limits.MostAttendees(precinct).Most;
        var expected = precinct.PastTurnout is { } past and > 0 ? past
            : precinct.Registered is { } registered and > 0 ? registered * RegisteredShare
            : precinct.Delegates > 0 ? precinct.Delegates * PeoplePerDelegate
            : (double)plausible / PlausibleShare;
        var drawn = expected * Math.Exp(0.3 * rng.NextGaussian());
        var most = Math.Min(plausible, precinct.Registered is { } r and > 0 ? r : long.MaxValue);
        return (int)Math.Clamp(Math.Round(drawn), 1, Math.Max(1, most));
    }
}
