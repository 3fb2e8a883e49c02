using System.Collections.Immutable;
using Caucus.Core.Arithmetic;
using Caucus.Core.Model;
using Caucus.Core.Ranges;
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
    private readonly Dictionary<string, DelegateRange> _ranges = new(StringComparer.Ordinal);
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
            county.Add(previous, _ranges[previous.Precinct.Id], -1);
        }
        var range = DelegateRange.Of(_election.RuleSet, _election.Candidates, result);
        county.Add(result, range, +1);
        _results[result.Precinct.Id] = result;
        _ranges[result.Precinct.Id] = range;
    }

    public bool Remove(string precinctId)
    {
        if (!_results.Remove(precinctId, out var previous)) return false;
        _ranges.Remove(precinctId, out var range);
        _counties[previous.Precinct.County].Add(previous, range!, -1);
        return true;
    }

    public ResultsTotals Statewide(SatelliteWeighting? weighting = null) => Totals(_counties.Values, weighting);

    public ResultsTotals? County(string county, SatelliteWeighting? weighting = null) =>
        _counties.TryGetValue(county, out var acc) ? Totals([acc], weighting) : null;

    /// <summary>The totals of one congressional district's counties (the satellite county of that district included).</summary>
    public ResultsTotals? District(string district, SatelliteWeighting? weighting = null)
    {
        var counties = _counties.Values.Where(c => c.County.District == district).ToList();
        return counties.Count == 0 ? null : Totals(counties, weighting);
    }

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

    /// <summary>
    /// A precinct's SDEs per group with their range over its pending game of chance: D-weighted for precincts;
    /// for satellites, a toss changes only the delegates, so the range scales by the same weight.
    /// </summary>
    public ImmutableSortedDictionary<string, SdeRange> PrecinctSdeRanges(PrecinctResult result, SatelliteWeighting? weighting = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        var weight = DelegateWeight(result, weighting);
        var outcomes = TossOutcomes.Enumerate(_election.RuleSet, result.Precinct.Delegates, result.Tally, result.Allocation);
        return result.Allocation.Groups.ToImmutableSortedDictionary(g => g.Group, g =>
        {
            var delegates = outcomes.Select(o => o.Allocation.DelegatesOf(g.Group)).ToList();
            return new SdeRange(delegates.Min() * weight, g.Delegates * weight, delegates.Max() * weight);
        }, StringComparer.Ordinal);
    }

    /// <summary>Each outcome of a precinct's pending game of chance with the SDEs it gives every group (one outcome when nothing is pending).</summary>
    public ImmutableArray<PrecinctOutcome> PrecinctOutcomes(PrecinctResult result, SatelliteWeighting? weighting = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        var weight = DelegateWeight(result, weighting);
        return [.. TossOutcomes.Enumerate(_election.RuleSet, result.Precinct.Delegates, result.Tally, result.Allocation)
            .Select(o => new PrecinctOutcome(o.TieBreaks, o.Allocation,
                o.Allocation.Groups.ToImmutableSortedDictionary(g => g.Group, g => g.Delegates * weight, StringComparer.Ordinal)))];
    }

    /// <summary>The SDEs one county delegate of this precinct is worth (RULES.md, "State delegate equivalents", "Satellite caucuses").</summary>
    private Rational DelegateWeight(PrecinctResult result, SatelliteWeighting? weighting)
    {
        var county = _counties[result.Precinct.County];
        return result.Precinct.Kind == PrecinctKind.Satellite
            ? county.SatelliteDelegateWeight(result, weighting ?? _election.RuleSet.SatelliteWeighting)
            : county.County.SdePerDelegate;
    }

    private ResultsTotals Totals(IReadOnlyCollection<CountyAccumulator> counties, SatelliteWeighting? weighting)
    {
        var w = weighting ?? _election.RuleSet.SatelliteWeighting;
        var candidates = _election.Candidates.Select((name, i) =>
        {
            long first = 0, final = 0, delegates = 0;
            Rational sde = Rational.Zero, low = Rational.Zero, high = Rational.Zero;
            foreach (var county in counties)
            {
                var t = county.Totals(i, w);
                first += t.FirstAlignment;
                final += t.FinalAlignment;
                delegates += t.CountyDelegates;
                sde += t.Sde;
                low += t.SdeLow;
                high += t.SdeHigh;
            }
            return new CandidateTotals(name, first, final, delegates, sde) { SdeLow = low, SdeHigh = high };
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
