namespace Caucus.Core.Model;

/// <summary>A precinct or satellite caucus: <see cref="Delegates"/> is its D, the county delegates it elects.</summary>
/// <param name="Registered">The party's registered voters in the precinct, when the election folder gives them.</param>
/// <param name="PastTurnout">The precinct's attendance at the previous caucus, when the election folder gives it.</param>
public sealed record Precinct(string Id, string County, string Name, int Delegates, PrecinctKind Kind,
    int? Registered = null, int? PastTurnout = null)
{
    /// <summary>
    /// Each group's share of this precinct's result at the previous caucus (precincts.csv <c>priorShare:</c> columns), by
    /// the group's name then; null when the folder has none, empty when this precinct's cells are.
    /// </summary>
    public IReadOnlyDictionary<string, double>? PriorShares { get; init; }
}
