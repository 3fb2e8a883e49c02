using Caucus.Core.Arithmetic;
using Caucus.Core.Model;
using Caucus.Core.Rules;

namespace Caucus.Core.Aggregation;

/// <summary>
/// Running sums for one county, kept exact so that adding and removing precinct results in any order
/// gives the same totals. SDEs are derived from the sums on demand, and so are their bounds over the
/// pending games of chance (sums of each precinct's fewest and most delegates).
/// </summary>
/// <remarks>
/// Sums are per column of the war room (<see cref="GroupColumns"/>): a new column is appended at zero (<see cref="Grow"/>:
/// no result counted so far named it); a merge rebuilds the accumulator.
/// </remarks>
internal sealed class CountyAccumulator(County county, int columns, int precinctCount)
{
    private long[] _first = new long[columns];
    private long[] _final = new long[columns];
    private long[] _delegates = new long[columns];
    private long[] _delegatesLow = new long[columns];
    private long[] _delegatesHigh = new long[columns];

    // Satellite counties, attendance weighting: SDE_c = SD · Σ_s (n_s,c / D_s) · att_s / Σ_s att_s.
    // A toss changes only n_s,c, never att_s, so the bounds are the same sums over the fewest and most delegates.
    private Rational[] _attendanceShares = Enumerable.Repeat(Rational.Zero, columns).ToArray();
    private Rational[] _attendanceSharesLow = Enumerable.Repeat(Rational.Zero, columns).ToArray();
    private Rational[] _attendanceSharesHigh = Enumerable.Repeat(Rational.Zero, columns).ToArray();
    private long _attendance;

    public County County { get; } = county;
    public int Reporting { get; private set; }
    public int Inconsistent { get; private set; }
    public int PendingTieBreaks { get; private set; }
    public bool IsComplete => Reporting == precinctCount;

    /// <summary>Counts every change to this county's sums.</summary>
    public long Stamp { get; private set; }

    /// <summary>Appends columns at zero, up to <paramref name="count"/>.</summary>
    public void Grow(int count)
    {
        var before = _first.Length;
        if (count <= before) return;
        Stamp++;
        Array.Resize(ref _first, count);
        Array.Resize(ref _final, count);
        Array.Resize(ref _delegates, count);
        Array.Resize(ref _delegatesLow, count);
        Array.Resize(ref _delegatesHigh, count);
        _attendanceShares = Grown(_attendanceShares, count);
        _attendanceSharesLow = Grown(_attendanceSharesLow, count);
        _attendanceSharesHigh = Grown(_attendanceSharesHigh, count);
    }

    private static Rational[] Grown(Rational[] shares, int count) => [.. shares, .. Enumerable.Repeat(Rational.Zero, count - shares.Length)];

    /// <param name="column">The column each of the result's groups adds up in (the same when the result is removed).</param>
    public void Add(PrecinctResult result, DelegateRange range, Func<string, int> column, int sign)
    {
        Stamp++;
        Reporting += sign;
        if (result.IsInconsistent) Inconsistent += sign;
        if (result.Allocation.IsProvisional) PendingTieBreaks += sign;
        _attendance += sign * (long)result.Tally.Attendees;
        foreach (var (name, n) in result.Tally.First) _first[column(name)] += sign * (long)n;
        foreach (var (name, n) in result.Tally.Final) _final[column(name)] += sign * (long)n;
        // A result counted before a column was added has no entry for it (it named no group there).
        for (var i = 0; i < range.Delegates.Length; i++)
        {
            var delegates = range.Delegates[i];
            _delegates[i] += sign * (long)delegates;
            _delegatesLow[i] += sign * (long)range.Low[i];
            _delegatesHigh[i] += sign * (long)range.High[i];
            if (result.Precinct.Delegates > 0)
            {
                AddShare(_attendanceShares, i, delegates, result, sign);
                AddShare(_attendanceSharesLow, i, range.Low[i], result, sign);
                AddShare(_attendanceSharesHigh, i, range.High[i], result, sign);
            }
        }
    }

    private static void AddShare(Rational[] shares, int i, int delegates, PrecinctResult result, int sign)
    {
        if (delegates == 0) return;
        var share = new Rational((long)delegates * result.Tally.Attendees, result.Precinct.Delegates);
        shares[i] = sign > 0 ? shares[i] + share : shares[i] - share;
    }

    public Rational Sde(int candidate, SatelliteWeighting weighting) => Sde(_attendanceShares, _delegates, candidate, weighting);

    /// <summary>Whether this county's SDEs follow its satellites' attendance rather than delegates × SD/CD.</summary>
    public bool WeighsByAttendance(SatelliteWeighting weighting) => County.IsSatelliteCounty && weighting == SatelliteWeighting.Attendance;

    public long FirstAlignment(int candidate) => _first[candidate];

    public long FinalAlignment(int candidate) => _final[candidate];

    /// <summary>County delegates won: as computed, and the fewest and most over the pending tosses.</summary>
    public (long Delegates, long Low, long High) Delegates(int candidate) => (_delegates[candidate], _delegatesLow[candidate], _delegatesHigh[candidate]);

    private Rational Sde(Rational[] attendanceShares, long[] delegates, int candidate, SatelliteWeighting weighting)
    {
        if (County.IsSatelliteCounty && weighting == SatelliteWeighting.Attendance)
        {
            return _attendance == 0 ? Rational.Zero : County.StateDelegates * attendanceShares[candidate] / _attendance;
        }
        return delegates[candidate] * County.SdePerDelegate;
    }

    /// <summary>The SDEs one county delegate of this satellite is worth inside this county's current attendance.</summary>
    public Rational SatelliteDelegateWeight(PrecinctResult result, SatelliteWeighting weighting)
    {
        if (weighting == SatelliteWeighting.Delegates) return County.SdePerDelegate;
        if (result.Precinct.Delegates == 0 || _attendance == 0) return Rational.Zero;
        return County.StateDelegates * new Rational(result.Tally.Attendees, (long)result.Precinct.Delegates * _attendance);
    }

    /// <summary>One satellite's SDE weight inside this county's current attendance (for its precinct page).</summary>
    public Rational SatelliteSde(PrecinctResult result, string candidate, SatelliteWeighting weighting) =>
        result.Allocation.DelegatesOf(candidate) * SatelliteDelegateWeight(result, weighting);

    public CandidateTotals Totals(int candidate, string name, SatelliteWeighting weighting) =>
        new(name, _first[candidate], _final[candidate], _delegates[candidate], Sde(candidate, weighting))
        {
            SdeLow = Sde(_attendanceSharesLow, _delegatesLow, candidate, weighting),
            SdeHigh = Sde(_attendanceSharesHigh, _delegatesHigh, candidate, weighting),
        };
}
