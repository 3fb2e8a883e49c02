using Caucus.Core.Arithmetic;
using Caucus.Core.Model;
using Caucus.Core.Rules;

namespace Caucus.Core.Aggregation;

/// <summary>
/// Running sums for one county, kept exact so that adding and removing precinct results in any order
/// gives the same totals. SDEs are derived from the sums on demand.
/// </summary>
internal sealed class CountyAccumulator(County county, IReadOnlyList<string> candidates, int precinctCount)
{
    private readonly long[] _first = new long[candidates.Count];
    private readonly long[] _final = new long[candidates.Count];
    private readonly long[] _delegates = new long[candidates.Count];

    // Satellite counties, attendance weighting: SDE_c = SD · Σ_s (n_s,c / D_s) · att_s / Σ_s att_s.
    private readonly Rational[] _attendanceShares = Enumerable.Repeat(Rational.Zero, candidates.Count).ToArray();
    private long _attendance;

    public County County { get; } = county;
    public int Reporting { get; private set; }
    public int Inconsistent { get; private set; }
    public int PendingTieBreaks { get; private set; }
    public bool IsComplete => Reporting == precinctCount;

    public void Add(PrecinctResult result, int sign)
    {
        Reporting += sign;
        if (result.IsInconsistent) Inconsistent += sign;
        if (result.Allocation.IsProvisional) PendingTieBreaks += sign;
        _attendance += sign * (long)result.Tally.Attendees;
        for (var i = 0; i < candidates.Count; i++)
        {
            var name = candidates[i];
            var delegates = result.Allocation.DelegatesOf(name);
            _first[i] += sign * (long)result.Tally.FirstOf(name);
            _final[i] += sign * (long)result.Tally.FinalOf(name);
            _delegates[i] += sign * (long)delegates;
            if (delegates != 0 && result.Precinct.Delegates > 0)
            {
                var share = new Rational((long)delegates * result.Tally.Attendees, result.Precinct.Delegates);
                _attendanceShares[i] = sign > 0 ? _attendanceShares[i] + share : _attendanceShares[i] - share;
            }
        }
    }

    public Rational Sde(int candidate, SatelliteWeighting weighting)
    {
        if (County.IsSatelliteCounty && weighting == SatelliteWeighting.Attendance)
        {
            return _attendance == 0 ? Rational.Zero : County.StateDelegates * _attendanceShares[candidate] / _attendance;
        }
        return _delegates[candidate] * County.SdePerDelegate;
    }

    /// <summary>One satellite's SDE weight inside this county's current attendance (for its precinct page).</summary>
    public Rational SatelliteSde(PrecinctResult result, string candidate, SatelliteWeighting weighting)
    {
        var delegates = result.Allocation.DelegatesOf(candidate);
        if (weighting == SatelliteWeighting.Delegates || result.Precinct.Delegates == 0 || _attendance == 0)
        {
            return weighting == SatelliteWeighting.Delegates ? delegates * County.SdePerDelegate : Rational.Zero;
        }
        return County.StateDelegates * new Rational((long)delegates * result.Tally.Attendees, (long)result.Precinct.Delegates * _attendance);
    }

    public CandidateTotals Totals(int candidate, SatelliteWeighting weighting) =>
        new(candidates[candidate], _first[candidate], _final[candidate], _delegates[candidate], Sde(candidate, weighting));
}
