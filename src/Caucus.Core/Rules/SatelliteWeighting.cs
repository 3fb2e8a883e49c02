namespace Caucus.Core.Rules;

/// <summary>
/// How a satellite caucus's SDEs are weighted (RULES.md, "Satellite caucuses"): by its share of its
/// satellite county's attendance, as the party computed in 2020, or by the county delegates it
/// awarded times SD/CD of its satellite county, as the delegate selection plan read.
/// </summary>
public enum SatelliteWeighting
{
    Attendance,
    Delegates,
}
