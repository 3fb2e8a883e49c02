using Caucus.Core.Model;

namespace Caucus.Core.Projection;

/// <summary>
/// What a precinct was before the night, from its election folder: the previous caucus's share of each group
/// (precincts.csv <c>priorShare:</c> columns, <see cref="Precinct.PriorShares"/>). Nevada's <c>registered</c> column
/// was tried as one (log registered voters per delegate) and made its backtest worse (README, "Projection backtest"):
/// it is not one. A precinct without a value takes its
/// county's mean (over its precincts that have one), else the state's; satellites have none of their own (they vote as
/// another electorate) and take the state's, so they add nothing. Values are centred on the state mean.
/// <para>
/// The model's use of them: each candidate's log share of final alignment moves by γ·v (<see cref="Fit"/>, estimated
/// within counties from the night's reported precincts), so a donor precinct copied into an unreported one is swung by
/// γ·(v_target − v_donor), and a county's observed log share is taken net of γ·(its reported precincts' mean v) before
/// the county model pools it (<see cref="SwingModel"/>).
/// </para>
/// </summary>
internal sealed class Covariates
{
    /// <summary>Ridge on γ per unit of covariate (a share): without reports to say otherwise, γ stays near 0.</summary>
    public const double RidgeSd = 3;

    /// <summary>A reported precinct weighs as many attendees as it has, at most this many (a big one is not 50 small ones).</summary>
    public const double MaxWeight = 100;

    private Covariates(string[] names, Dictionary<string, double[]> values)
    {
        Names = names;
        _values = values;
    }

    private readonly Dictionary<string, double[]> _values;

    public string[] Names { get; }

    public int Count => Names.Length;

    public static readonly Covariates None = new([], new Dictionary<string, double[]>(StringComparer.Ordinal));

    public static Covariates For(Election election)
    {
        ArgumentNullException.ThrowIfNull(election);
        var names = election.Precincts.Where(p => p.PriorShares is not null).SelectMany(p => p.PriorShares!.Keys)
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        if (names.Length == 0) return None;
        var m = names.Length;
        var inState = election.Precincts.Where(p => p.Kind == PrecinctKind.Precinct).ToList();
        var state = new double[m];
        var stateCount = new int[m];
        var county = new Dictionary<string, (double[] Sum, int[] Count)>(StringComparer.Ordinal);
        foreach (var p in inState)
        {
            if (!county.TryGetValue(p.County, out var acc)) county[p.County] = acc = (new double[m], new int[m]);
            for (var j = 0; j < m; j++)
            {
                if (p.PriorShares is null || !p.PriorShares.TryGetValue(names[j], out var v)) continue;
                acc.Sum[j] += v;
                acc.Count[j]++;
                state[j] += v;
                stateCount[j]++;
            }
        }
        for (var j = 0; j < m; j++) state[j] = stateCount[j] == 0 ? 0 : state[j] / stateCount[j];
        var values = new Dictionary<string, double[]>(StringComparer.Ordinal);
        foreach (var p in election.Precincts)
        {
            var row = new double[m];
            for (var j = 0; j < m; j++)
            {
                double v;
                if (p.Kind == PrecinctKind.Satellite) v = state[j];
                else if (p.PriorShares is not null && p.PriorShares.TryGetValue(names[j], out var own)) v = own;
                else if (county.TryGetValue(p.County, out var acc) && acc.Count[j] > 0) v = acc.Sum[j] / acc.Count[j];
                else v = state[j];
                row[j] = v - state[j];
            }
            values[p.Id] = row;
        }
        return new Covariates(names, values);
    }

    /// <summary>A precinct's centred covariates (all 0 when there are none).</summary>
    public double[] Of(Precinct precinct) => Count == 0 ? [] : _values[precinct.Id];

    /// <summary>
    /// γ (candidate × covariate, ordinal candidate order): the weighted ridge regression of each reported in-state
    /// precinct's log share of final alignment on its covariates, both taken about their county's mean, so that γ says
    /// how precincts differ within a county and the counties' own levels stay with the county model.
    /// </summary>
    public double[] Fit(IReadOnlyList<(Precinct Precinct, int County, Tally Tally)> reported, string[] candidates, int countyCount)
    {
        var k = candidates.Length;
        var m = Count;
        var gamma = new double[k * m];
        if (m == 0) return gamma;
        // Per precinct: weight, covariates and log shares (smoothed by half an attendee per group).
        var rows = new List<(int County, double W, double[] V, double[] Y)>();
        foreach (var (precinct, county, tally) in reported)
        {
            if (precinct.Kind != PrecinctKind.Precinct) continue;
            double t = 0;
            for (var c = 0; c < k; c++) t += tally.FinalOf(candidates[c]);
            if (t == 0) continue;
            var y = new double[k];
            for (var c = 0; c < k; c++) y[c] = Math.Log((tally.FinalOf(candidates[c]) + 0.5) / (t + 0.5 * k));
            rows.Add((county, Math.Min(t, MaxWeight), Of(precinct), y));
        }
        var sumW = new double[countyCount];
        var meanV = new double[countyCount * m];
        var meanY = new double[countyCount * k];
        foreach (var (county, w, v, y) in rows)
        {
            sumW[county] += w;
            for (var j = 0; j < m; j++) meanV[county * m + j] += w * v[j];
            for (var c = 0; c < k; c++) meanY[county * k + c] += w * y[c];
        }
        for (var i = 0; i < countyCount; i++)
        {
            if (sumW[i] == 0) continue;
            for (var j = 0; j < m; j++) meanV[i * m + j] /= sumW[i];
            for (var c = 0; c < k; c++) meanY[i * k + c] /= sumW[i];
        }
        // The normal equations (X'WX + I/ridge²) γ_c = X'W y_c, one m × m system shared by all candidates. The weights
        // are scaled so that they sum to the number of precincts: the ridge then weighs against precincts, not attendees.
        var scale = rows.Count == 0 ? 0 : rows.Count / rows.Sum(r => r.W);
        var a = new double[m * m];
        var b = new double[k * m];
        foreach (var (county, w, v, y) in rows)
        {
            var ws = w * scale;
            for (var j = 0; j < m; j++)
            {
                var dj = v[j] - meanV[county * m + j];
                for (var l = 0; l < m; l++) a[j * m + l] += ws * dj * (v[l] - meanV[county * m + l]);
                for (var c = 0; c < k; c++) b[c * m + j] += ws * dj * (y[c] - meanY[county * k + c]);
            }
        }
        for (var j = 0; j < m; j++) a[j * m + j] += 1 / (RidgeSd * RidgeSd);
        for (var c = 0; c < k; c++)
        {
            var solution = Solve(a, b.AsSpan(c * m, m).ToArray(), m);
            solution.CopyTo(gamma, c * m);
        }
        return gamma;
    }

    /// <summary>Gaussian elimination with partial pivoting on a copy (m is a handful).</summary>
    private static double[] Solve(double[] matrix, double[] rhs, int m)
    {
        var a = (double[])matrix.Clone();
        var x = (double[])rhs.Clone();
        for (var col = 0; col < m; col++)
        {
            var pivot = col;
            for (var r = col + 1; r < m; r++) if (Math.Abs(a[r * m + col]) > Math.Abs(a[pivot * m + col])) pivot = r;
            if (pivot != col)
            {
                for (var l = 0; l < m; l++) (a[col * m + l], a[pivot * m + l]) = (a[pivot * m + l], a[col * m + l]);
                (x[col], x[pivot]) = (x[pivot], x[col]);
            }
            for (var r = col + 1; r < m; r++)
            {
                var f = a[r * m + col] / a[col * m + col];
                for (var l = col; l < m; l++) a[r * m + l] -= f * a[col * m + l];
                x[r] -= f * x[col];
            }
        }
        for (var col = m - 1; col >= 0; col--)
        {
            for (var l = col + 1; l < m; l++) x[col] -= a[col * m + l] * x[l];
            x[col] /= a[col * m + col];
        }
        return x;
    }

    /// <summary>γ·v for one candidate.</summary>
    public static double Effect(double[] gamma, int candidate, double[] v)
    {
        double effect = 0;
        for (var j = 0; j < v.Length; j++) effect += gamma[candidate * v.Length + j] * v[j];
        return effect;
    }
}
