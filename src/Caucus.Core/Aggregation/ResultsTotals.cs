using System.Collections.Immutable;

namespace Caucus.Core.Aggregation;

/// <summary>
/// Totals over a set of precincts (a county or the state). <see cref="SatellitesProvisional"/> is true
/// while a satellite county that contributes SDEs has not heard from all its satellites: their weights
/// still move (RULES.md, "Satellite caucuses"). <see cref="PendingTieBreaks"/> is the number of games of chance
/// still pending (one per provisional precinct); each candidate's SDE range spans their outcomes.
/// </summary>
public sealed record ResultsTotals(
    int Reporting,
    int Total,
    ImmutableArray<CandidateTotals> Candidates,
    int Inconsistent,
    int PendingTieBreaks,
    bool SatellitesProvisional)
{
    /// <summary>
    /// Statewide, under a rule set with a statewide headline (<see cref="Rules.IRuleSet.Statewide"/>): the allocation on
    /// the summed vote, the ranges, the delegates called and the votes still assumed out. Each candidate's headline
    /// fields (<see cref="CandidateTotals.Sde"/>, low, high) carry the same delegates; null otherwise, and for a county or
    /// district (which carry votes only: the headline is statewide).
    /// </summary>
    public Rules.StatewideCount? Headline { get; init; }
}
