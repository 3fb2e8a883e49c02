using System.Collections.Immutable;
using Caucus.Core.Allocation;
using Caucus.Core.Arithmetic;
using Caucus.Core.Model;
using Caucus.Core.Rules;

namespace Caucus.Core.Counting;

/// <summary>State delegate equivalents of one precinct's groups, where they follow from the precinct alone.</summary>
public static class PrecinctSde
{
    /// <summary>
    /// "SDE = county delegates × SD / CD" for a precinct. A satellite's SDEs depend on the attendance of its
    /// whole satellite county (RULES.md, "Satellite caucuses"), so they are null here: ask the aggregate.
    /// </summary>
    public static ImmutableSortedDictionary<string, Rational>? Of(Election election, Precinct precinct, PrecinctAllocation allocation)
    {
        ArgumentNullException.ThrowIfNull(election);
        ArgumentNullException.ThrowIfNull(precinct);
        ArgumentNullException.ThrowIfNull(allocation);
        if (precinct.Kind == PrecinctKind.Satellite && election.RuleSet.SatelliteWeighting == SatelliteWeighting.Attendance) return null;
        var weight = election.CountyOf(precinct).SdePerDelegate;
        return allocation.Groups.ToImmutableSortedDictionary(g => g.Group, g => g.Delegates * weight, StringComparer.Ordinal);
    }

    /// <summary>
    /// A satellite's SDEs move until every satellite of its satellite county has reported (attendance
    /// weighting: each one's weight is its share of the county's total attendance).
    /// </summary>
    public static bool IsProvisional(Election election, Precinct precinct, Func<string, bool> reported)
    {
        ArgumentNullException.ThrowIfNull(election);
        ArgumentNullException.ThrowIfNull(precinct);
        ArgumentNullException.ThrowIfNull(reported);
        return precinct.Kind == PrecinctKind.Satellite
            && election.RuleSet.SatelliteWeighting == SatelliteWeighting.Attendance
            && !election.PrecinctsIn(precinct.County).All(p => reported(p.Id));
    }
}
