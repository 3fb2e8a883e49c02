using System.Collections.Immutable;
using Caucus.Core.Arithmetic;
using Caucus.Core.Model;
using Caucus.Core.Rules;

namespace Caucus.Core.Aggregation;

/// <summary>
/// County and statewide totals of the counted precinct results, updated incrementally: applying a
/// precinct's new result subtracts its previous one and adds the new. All sums are exact, so the
/// totals do not depend on the order results arrive in. Not thread-safe: one writer owns it.
/// </summary>
public sealed class ResultsAggregate
{
    private readonly Election _election;
    private readonly Dictionary<string, PrecinctResult> _results = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CountyAccumulator> _counties;

    public ResultsAggregate(Election election)
    {
        ArgumentNullException.ThrowIfNull(election);
        _election = election;
        _counties = election.Counties.ToDictionary(c => c.Name,
            c => new CountyAccumulator(c, election.Candidates, election.PrecinctsIn(c.Name).Length), StringComparer.Ordinal);
    }

    public Election Election => _election;

    public int Reporting => _results.Count;

    public IReadOnlyDictionary<string, PrecinctResult> Results => _results;

    public PrecinctResult? Find(string precinctId) => _results.GetValueOrDefault(precinctId);

    /// <summary>Counts <paramref name="result"/> for its precinct, replacing whatever was counted before.</summary>
    public void Apply(PrecinctResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var county = _counties[result.Precinct.County];
        if (_results.TryGetValue(result.Precinct.Id, out var previous))
        {
            county.Add(previous, -1);
        }
        county.Add(result, +1);
        _results[result.Precinct.Id] = result;
    }

    public bool Remove(string precinctId)
    {
        if (!_results.Remove(precinctId, out var previous)) return false;
        _counties[previous.Precinct.County].Add(previous, -1);
        return true;
    }

    public ResultsTotals Statewide(SatelliteWeighting? weighting = null) => Totals(_counties.Values, weighting);

    public ResultsTotals? County(string county, SatelliteWeighting? weighting = null) =>
        _counties.TryGetValue(county, out var acc) ? Totals([acc], weighting) : null;

    /// <summary>A precinct's SDEs per group: D-weighted for precincts; for satellites, their share of their satellite county.</summary>
    public ImmutableSortedDictionary<string, Rational> PrecinctSdes(PrecinctResult result, SatelliteWeighting? weighting = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        var w = weighting ?? _election.RuleSet.SatelliteWeighting;
        var county = _counties[result.Precinct.County];
        return result.Allocation.Groups.ToImmutableSortedDictionary(g => g.Group,
            g => result.Precinct.Kind == PrecinctKind.Satellite
                ? county.SatelliteSde(result, g.Group, w)
                : g.Delegates * county.County.SdePerDelegate, StringComparer.Ordinal);
    }

    private ResultsTotals Totals(IReadOnlyCollection<CountyAccumulator> counties, SatelliteWeighting? weighting)
    {
        var w = weighting ?? _election.RuleSet.SatelliteWeighting;
        var candidates = _election.Candidates.Select((name, i) =>
        {
            long first = 0, final = 0, delegates = 0;
            var sde = Rational.Zero;
            foreach (var county in counties)
            {
                var t = county.Totals(i, w);
                first += t.FirstAlignment;
                final += t.FinalAlignment;
                delegates += t.CountyDelegates;
                sde += t.Sde;
            }
            return new CandidateTotals(name, first, final, delegates, sde);
        });
        return new ResultsTotals(
            counties.Sum(c => c.Reporting),
            counties.Sum(c => _election.PrecinctsIn(c.County.Name).Length),
            [.. candidates],
            counties.Sum(c => c.Inconsistent),
            counties.Sum(c => c.PendingTieBreaks),
            counties.Any(c => c.County.IsSatelliteCounty && w == SatelliteWeighting.Attendance && c.Reporting > 0 && !c.IsComplete));
    }
}
