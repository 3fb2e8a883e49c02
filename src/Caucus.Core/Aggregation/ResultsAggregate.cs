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
    private Dictionary<string, CountyAccumulator> _counties = null!;

    // The columns the totals are kept in (the candidates, and where groups are open every group a report named), and how
    // many counted precincts name each spelling: the war room shows a column in its most used spelling.
    private GroupColumns _columns;
    private long _rebuilds;
    private readonly GroupSpellings _spellings = new();

    // SDEs of many counties summed over one common denominator L (the least common multiple of every county's CD):
    // county k's delegates count SD_k · L / CD_k each, so a total is integer sums and one fraction, still exact,
    // instead of a hundred fractions each reduced by a GCD (the snapshot of every version sums them all).
    private readonly System.Numerics.BigInteger _commonDenominator;
    private readonly Dictionary<string, System.Numerics.BigInteger> _sdeNumeratorPerDelegate;

    // The in-state counties' SDE numerators over L, per column (as computed, fewest, most), kept as results are
    // added and removed: the statewide totals then cost one fraction per column, whatever the number of counties.
    private System.Numerics.BigInteger[] _inStateSde = null!, _inStateLow = null!, _inStateHigh = null!;

    public ResultsAggregate(Election election)
    {
        ArgumentNullException.ThrowIfNull(election);
        _election = election;
        _columns = new GroupColumns(election.Candidates, election.RuleSet.Form.OpenGroups);
        _commonDenominator = election.Counties.Where(c => c.CountyDelegates > 0)
            .Aggregate(System.Numerics.BigInteger.One, (l, c) => l / System.Numerics.BigInteger.GreatestCommonDivisor(l, c.CountyDelegates) * c.CountyDelegates);
        _sdeNumeratorPerDelegate = election.Counties.ToDictionary(c => c.Name,
            c => c.CountyDelegates == 0 ? System.Numerics.BigInteger.Zero : c.StateDelegates * (_commonDenominator / c.CountyDelegates), StringComparer.Ordinal);
        Rebuild();
        _mostVotesOfAllUnits = election.Precincts.Sum(MostVotes);
    }

    // A statewide headline's bound on the votes still out: the sum of the unreported units' plausibility limits.
    private readonly long _mostVotesOfAllUnits;
    private long _mostVotesOfReportingUnits;

    private long MostVotes(Precinct unit) => _election.RuleSet.Plausibility.MostAttendees(unit).Most;

    /// <summary>The stated assumption behind the votes out, from the rule set's limits (for a unit of no delegate, as a statewide headline's units are).</summary>
    private static string VotesOutBasis(PlausibilityLimits limits) => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"each unit not in counted at the most it can report before it is held: its registered voters + {limits.Allowance:N0}, or {limits.PastTurnoutMultiple} × its past turnout + {limits.Allowance:N0}, where the folder gives them; {Math.Min(limits.HardCeiling, limits.Allowance + limits.AttendeesPerDelegate):N0} ballots where it does not");

    public Election Election => _election;

    public int Reporting => _results.Count;

    public IReadOnlyDictionary<string, PrecinctResult> Results => _results;

    /// <summary>Headquarters' merges of group spellings the totals follow.</summary>
    public GroupMerges Merges => _columns.Merges;

    /// <summary>Every group spelling a counted report names, with how many counted precincts name it.</summary>
    public IReadOnlyDictionary<string, int> Spellings => _spellings.Precincts;

    public PrecinctResult? Find(string precinctId) => _results.GetValueOrDefault(precinctId);

    /// <summary>Counts <paramref name="result"/> for its precinct, replacing whatever was counted before.</summary>
    public void Apply(PrecinctResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var county = _counties[result.Precinct.County];
        if (_results.TryGetValue(result.Precinct.Id, out var previous))
        {
            Add(county, previous, _ranges[previous.Precinct.Id], -1);
        }
        else
        {
            _mostVotesOfReportingUnits += MostVotes(result.Precinct);
        }
        // A report naming a group no column holds (a subcaucus named on the night) appends a column, at zero everywhere.
        var columns = _columns.Count;
        foreach (var name in NamesOf(result)) _columns.Add(name);
        if (_columns.Count > columns) Grow();
        _results[result.Precinct.Id] = result;
        var range = RangeOf(result);
        Add(county, result, range, +1);
        _ranges[result.Precinct.Id] = range;
    }

    public bool Remove(string precinctId)
    {
        if (!_results.Remove(precinctId, out var previous)) return false;
        _ranges.Remove(precinctId, out var range);
        _mostVotesOfReportingUnits -= MostVotes(previous.Precinct);
        Add(_counties[previous.Precinct.County], previous, range!, -1);
        return true;
    }

    /// <summary>Adds the totals up under other merges of group spellings (headquarters merged or unmerged one).</summary>
    public void Regroup(GroupMerges merges)
    {
        ArgumentNullException.ThrowIfNull(merges);
        _columns = _columns.WithMerges(merges, _spellings.Seen, _election.Candidates);
        Rebuild();
    }

    private static IEnumerable<string> NamesOf(PrecinctResult result) =>
        result.Tally.Groups.Concat(result.Allocation.Groups.Select(g => g.Group));

    private DelegateRange RangeOf(PrecinctResult result) => DelegateRange.Of(_election.RuleSet, ColumnOf, _columns.Count, result);

    private int ColumnOf(string name) => _columns.Find(name) ?? throw new InvalidOperationException($"No column holds '{name}'.");

    private void Grow()
    {
        foreach (var county in _counties.Values) county.Grow(_columns.Count);
        Array.Resize(ref _inStateSde, _columns.Count);
        Array.Resize(ref _inStateLow, _columns.Count);
        Array.Resize(ref _inStateHigh, _columns.Count);
    }

    /// <summary>Every sum again from the counted results, in columns as they now stand.</summary>
    private void Rebuild()
    {
        _rebuilds++;
        _counties = _election.Counties.ToDictionary(c => c.Name,
            c => new CountyAccumulator(c, _columns.Count, _election.PrecinctsIn(c.Name).Length), StringComparer.Ordinal);
        _inStateSde = new System.Numerics.BigInteger[_columns.Count];
        _inStateLow = new System.Numerics.BigInteger[_columns.Count];
        _inStateHigh = new System.Numerics.BigInteger[_columns.Count];
        _spellings.ClearCounts();
        _ranges.Clear();
        foreach (var result in _results.Values)
        {
            var range = RangeOf(result);
            Add(_counties[result.Precinct.County], result, range, +1);
            _ranges[result.Precinct.Id] = range;
        }
    }

    private void Add(CountyAccumulator county, PrecinctResult result, DelegateRange range, int sign)
    {
        county.Add(result, range, ColumnOf, sign);
        _spellings.Add(result.Tally.Groups, sign);
        if (county.County.IsSatelliteCounty) return;
        var perDelegate = sign * _sdeNumeratorPerDelegate[county.County.Name];
        for (var i = 0; i < range.Delegates.Length; i++)
        {
            var delegates = range.Delegates[i];
            if (delegates != 0) _inStateSde[i] += delegates * perDelegate;
            if (range.Low[i] != 0) _inStateLow[i] += range.Low[i] * perDelegate;
            if (range.High[i] != 0) _inStateHigh[i] += range.High[i] * perDelegate;
        }
    }

    private List<(int Column, string Name)> Shown() => _spellings.Shown(_election.Candidates, _columns.Count, ColumnOf);

    public ResultsTotals Statewide(SatelliteWeighting? weighting = null)
    {
        var totals = Totals(_counties.Values, weighting, inStateKept: true);
        return _election.RuleSet.Statewide is { } headline ? WithStatewideHeadline(totals, headline) : totals;
    }

    /// <summary>
    /// The headline allocated from the summed vote (final alignment: a one-round count's votes), with every candidate's
    /// range over what the units not in could add: at most each one's plausibility limit (registered voters or past
    /// turnout where the folder gives them; a report above it is held out of the totals until an admin confirms it).
    /// </summary>
    private ResultsTotals WithStatewideHeadline(ResultsTotals totals, IStatewideHeadline headline)
    {
        var votes = totals.Candidates.ToDictionary(c => c.Name, c => c.FinalAlignment, StringComparer.Ordinal);
        var count = headline.Count(votes, Math.Max(0, _mostVotesOfAllUnits - _mostVotesOfReportingUnits));
        var byName = count.Candidates.ToDictionary(c => c.Name, StringComparer.Ordinal);
        return totals with
        {
            Candidates = [.. totals.Candidates.Select(c => c with
            {
                Sde = byName[c.Name].Delegates, SdeLow = byName[c.Name].Low, SdeHigh = byName[c.Name].High,
            })],
            Headline = count with { RemainingVotesBasis = VotesOutBasis(_election.RuleSet.Plausibility) },
        };
    }

    public ResultsTotals? County(string county, SatelliteWeighting? weighting = null)
    {
        if (!_counties.TryGetValue(county, out var acc)) return null;
        var w = weighting ?? _election.RuleSet.SatelliteWeighting;
        // One county: its own small fractions (SD/CD) are cheaper than the common denominator of all counties.
        return new ResultsTotals(acc.Reporting, _election.PrecinctsIn(county).Length,
            [.. Shown().Select(c => acc.Totals(c.Column, c.Name, w))], acc.Inconsistent, acc.PendingTieBreaks,
            acc.WeighsByAttendance(w) && acc.Reporting > 0 && !acc.IsComplete);
    }

    /// <summary>Grows whenever a result of the county is added or removed (or the columns are rebuilt): a county document built at the same stamp is still right.</summary>
    public long CountyStamp(string county) => _counties.TryGetValue(county, out var acc) ? (_rebuilds << 32) + acc.Stamp : -1;

    /// <summary>The name the totals show a reported spelling's group by (after case folding and headquarters' merges).</summary>
    public string ShownAs(string spelling)
    {
        var column = _columns.Find(spelling);
        return column is { } c ? Shown().FirstOrDefault(s => s.Column == c).Name ?? GroupName.Normalize(spelling) : GroupName.Normalize(spelling);
    }

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

    /// <param name="inStateKept">All counties: the in-state SDE numerators come from the running sums, not a pass over the counties.</param>
    private ResultsTotals Totals(IReadOnlyCollection<CountyAccumulator> counties, SatelliteWeighting? weighting, bool inStateKept = false)
    {
        var w = weighting ?? _election.RuleSet.SatelliteWeighting;
        var candidates = Shown().Select(shown =>
        {
            var (i, name) = shown;
            long first = 0, final = 0, delegates = 0;
            System.Numerics.BigInteger sde = inStateKept ? _inStateSde[i] : 0, low = inStateKept ? _inStateLow[i] : 0, high = inStateKept ? _inStateHigh[i] : 0;
            Rational bySatelliteAttendance = Rational.Zero, satelliteLow = Rational.Zero, satelliteHigh = Rational.Zero;
            foreach (var county in counties)
            {
                first += county.FirstAlignment(i);
                final += county.FinalAlignment(i);
                var d = county.Delegates(i);
                delegates += d.Delegates;
                if (county.WeighsByAttendance(w))
                {
                    var t = county.Totals(i, name, w);
                    bySatelliteAttendance += t.Sde;
                    satelliteLow += t.SdeLow;
                    satelliteHigh += t.SdeHigh;
                }
                else if (!inStateKept || county.County.IsSatelliteCounty)
                {
                    var perDelegate = _sdeNumeratorPerDelegate[county.County.Name];
                    sde += d.Delegates * perDelegate;
                    low += d.Low * perDelegate;
                    high += d.High * perDelegate;
                }
            }
            return new CandidateTotals(name, first, final, delegates, new Rational(sde, _commonDenominator) + bySatelliteAttendance)
            {
                SdeLow = new Rational(low, _commonDenominator) + satelliteLow,
                SdeHigh = new Rational(high, _commonDenominator) + satelliteHigh,
            };
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
