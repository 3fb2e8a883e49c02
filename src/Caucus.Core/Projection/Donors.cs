using System.Collections.Immutable;
using Caucus.Core.Model;

namespace Caucus.Core.Projection;

/// <summary>
/// The reported precincts as donors of an alignment shape, pooled by county, district and state and by size class
/// (by D: the viability threshold differs, and big precincts are the towns), satellites apart. A pool needs a few donors before it is used,
/// so that one precinct's oddity does not become its county's.
/// </summary>
internal sealed class Donors
{
    // Size classes by D (0–1, 2, 3, 4–5, 6–7, 8–10, 11–14, 15+), and "any". D is the party's apportionment by past
    // Democratic strength, so it marks town against country: a D = 20 town precinct must not copy a D = 4 rural one.
    private static readonly int[] ClassUpperBounds = [1, 2, 3, 5, 7, 10, 14, int.MaxValue];
    private static readonly int Classes = ClassUpperBounds.Length + 1;
    private const int MinimumPool = 3;

    private readonly int[][] _countyPools;
    private readonly int[][] _districtPools;
    private readonly int[][] _statePools;
    private readonly int[] _satellites;
    private readonly int[] _districtOf;

    private Donors(double[][] shares, int[] county, double[] turnout, double[] attendancePerDelegate, int[][] countyPools, int[][] districtPools, int[][] statePools,
        int[] satellites, int[] districtOf)
    {
        Shares = shares;
        County = county;
        Turnout = turnout;
        AttendancePerDelegate = attendancePerDelegate;
        _countyPools = countyPools;
        _districtPools = districtPools;
        _statePools = statePools;
        _satellites = satellites;
        _districtOf = districtOf;
    }

    /// <summary>Each donor's final-alignment shares (ordinal candidate order).</summary>
    public double[][] Shares { get; }

    /// <summary>Each donor's county index.</summary>
    public int[] County { get; }

    /// <summary>Each donor's final-alignment total over its attendance (those who stayed).</summary>
    public double[] Turnout { get; }

    /// <summary>Each donor's attendance.</summary>
    public double[] Attendance { get; private init; } = [];

    /// <summary>Whether each group of each donor was viable in its final alignment (the rest are remnants that stayed).</summary>
    public bool[][] Viable { get; private init; } = [];

    /// <summary>Each donor's precinct.</summary>
    public Precinct[] Precinct { get; private init; } = [];

    /// <summary>Whether each donor is a satellite.</summary>
    public bool[] IsSatellite { get; private init; } = [];

    /// <summary>Each donor's attendance over its delegates (a delegate-less precinct counts as half a delegate).</summary>
    public double[] AttendancePerDelegate { get; }

    public bool IsEmpty => Shares.Length == 0;

    public static Donors Build(IReadOnlyList<(Precinct Precinct, int County, Tally Tally)> reports, string[] names, int[] districtOf,
        int districtCount, ImmutableArray<County> counties, Rules.IRuleSet rules)
    {
        var shares = new List<double[]>();
        var county = new List<int>();
        var turnout = new List<double>();
        var perDelegate = new List<double>();
        var attendance = new List<double>();
        var isSatellite = new List<bool>();
        var viable = new List<bool[]>();
        var source = new List<Precinct>();
        var countyPools = Enumerable.Range(0, counties.Length * Classes).Select(_ => new List<int>()).ToArray();
        var districtPools = Enumerable.Range(0, districtCount * Classes).Select(_ => new List<int>()).ToArray();
        var statePools = Enumerable.Range(0, Classes).Select(_ => new List<int>()).ToArray();
        var satellites = new List<int>();
        foreach (var (precinct, c, tally) in reports)
        {
            var final = names.Select(n => (double)tally.FinalOf(n)).ToArray();
            var total = final.Sum();
            if (total == 0 || tally.Attendees == 0) continue;
            var index = shares.Count;
            shares.Add([.. final.Select(f => f / total)]);
            county.Add(c);
            turnout.Add(Math.Min(1, total / tally.Attendees));
            perDelegate.Add(tally.Attendees / Math.Max(precinct.Delegates, 0.5));
            attendance.Add(tally.Attendees);
            isSatellite.Add(precinct.Kind == PrecinctKind.Satellite);
            source.Add(precinct);
            var threshold = rules.ViabilityThreshold(precinct.Delegates, tally.Attendees);
            viable.Add([.. final.Select(f => f > 0 && f >= threshold)]);
            if (precinct.Kind == PrecinctKind.Satellite)
            {
                satellites.Add(index);
                continue;
            }
            foreach (var cls in new[] { Class(precinct.Delegates), Classes - 1 })
            {
                countyPools[c * Classes + cls].Add(index);
                districtPools[districtOf[c] * Classes + cls].Add(index);
                statePools[cls].Add(index);
            }
        }
        return new Donors([.. shares], [.. county], [.. turnout], [.. perDelegate],
            [.. countyPools.Select(p => p.ToArray())], [.. districtPools.Select(p => p.ToArray())], [.. statePools.Select(p => p.ToArray())],
            [.. satellites], districtOf) { Attendance = [.. attendance], IsSatellite = [.. isSatellite], Viable = [.. viable], Precinct = [.. source] };
    }

    private static int Class(int delegates)
    {
        var cls = 0;
        while (delegates > ClassUpperBounds[cls]) cls++;
        return cls;
    }

    /// <summary>
    /// The donors for a precinct of <paramref name="county"/> electing <paramref name="delegates"/>: its county's of its
    /// size class, else its district's, else the state's, else any size (a pool needs a few donors); satellites from
    /// the satellites. Fixed for a set of reports, so the projection looks it up once per precinct, not per draw.
    /// </summary>
    public int[] Pool(int county, int delegates, bool satellite)
    {
        if (satellite && _satellites.Length > 0) return _satellites;
        var cls = Class(delegates);
        var district = _districtOf[county];
        int[][] candidates =
        [
            _countyPools[county * Classes + cls], _districtPools[district * Classes + cls], _statePools[cls],
            _countyPools[county * Classes + Classes - 1], _districtPools[district * Classes + Classes - 1], _statePools[Classes - 1],
        ];
        foreach (var pool in candidates)
        {
            if (pool.Length >= MinimumPool) return pool;
        }
        // Fewer than a handful reported statewide: any of them.
        return _statePools[Classes - 1].Length > 0 ? _statePools[Classes - 1] : _satellites;
    }
}
