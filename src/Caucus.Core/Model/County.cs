using Caucus.Core.Arithmetic;

namespace Caucus.Core.Model;

/// <summary>
/// A county (or a satellite county such as "CD1 Satellite"): its congressional district and its
/// county-convention (CD) and state-convention (SD) delegates.
/// </summary>
public sealed record County(string Name, string District, int CountyDelegates, int StateDelegates, bool IsSatelliteCounty)
{
    /// <summary>SDEs per county delegate: the exact fraction SD / CD (RULES.md, "State delegate equivalents").</summary>
    public Rational SdePerDelegate => CountyDelegates == 0 ? Rational.Zero : new Rational(StateDelegates, CountyDelegates);
}
