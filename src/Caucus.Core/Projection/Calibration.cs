using Caucus.Core.Model;

namespace Caucus.Core.Projection;

/// <summary>
/// What the night's own reports say about the model's spread, measured before the projection (README, "Projection
/// backtest"). The reported in-state counties are split into <see cref="Folds"/> folds (whole counties, so that what
/// the precincts of a county share shows up; the split is seeded), each fold's reported precincts are projected from
/// the other reports by the same simulation (<see cref="Draws"/> draws), and each held-out county's realised share
/// of final alignment is scored against its simulated distribution, z = (realised − mean) / sd, for every candidate
/// with at least <see cref="ScoredShare"/> of the reported alignment. If the model were right, z would have mean 0
/// and mean square 1; a larger mean square (too narrow or off-centre) widens every drawn effect and the precinct noise
/// by √(mean z²), at most <see cref="MaxFactor"/>; a smaller one is left alone (never narrower than the model).
/// Only the reports are used, never the final result; a pure function of the reports and the seed.
/// </summary>
public static class Calibration
{
    public const int Folds = 5;
    public const int Draws = 100;
    public const double MaxFactor = 3;
    public const double ScoredShare = 0.05;

    /// <summary>Counties with less final alignment reported than this are not scored (their share is mostly noise of a handful of people).</summary>
    public const int MinimumAlignment = 20;

    /// <summary>Fewer scored counties than this: no calibration (factor 1).</summary>
    public const int MinimumCounties = 2 * Folds;

    /// <summary>The factor, the mean square and the mean of the z-scores, and how many there were.</summary>
    public sealed record Result(double Factor, double MeanSquareZ, double MeanZ, int Scores)
    {
        /// <summary>Per scored candidate: the mean square of its z-scores (diagnostics).</summary>
        public IReadOnlyDictionary<string, double> MeanSquareZByCandidate { get; init; } = new Dictionary<string, double>();
    }

    public static Result Run(Election election, IReadOnlyDictionary<string, Tally> reported, ulong seed = 2020, int maxDegreeOfParallelism = -1,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(election);
        ArgumentNullException.ThrowIfNull(reported);
        var names = election.Candidates.Order(StringComparer.Ordinal).ToArray();
        var k = names.Length;
        var counties = election.Counties;
        var n = counties.Length;
        var countyIndex = counties.Select((c, i) => (c.Name, i)).ToDictionary(x => x.Name, x => x.i, StringComparer.Ordinal);
        var realised = new double[n * k];
        var countyTotal = new double[n];
        foreach (var precinct in election.Precincts)
        {
            if (!reported.TryGetValue(precinct.Id, out var tally)) continue;
            var county = countyIndex[precinct.County];
            for (var c = 0; c < k; c++)
            {
                realised[county * k + c] += tally.FinalOf(names[c]);
                countyTotal[county] += tally.FinalOf(names[c]);
            }
        }
        var held = Enumerable.Range(0, n).Where(i => !counties[i].IsSatelliteCounty && countyTotal[i] >= MinimumAlignment).ToArray();
        if (held.Length < MinimumCounties) return new Result(1, double.NaN, double.NaN, 0);
        var stateTotal = held.Sum(i => countyTotal[i]);
        var scored = Enumerable.Range(0, k).Where(c => held.Sum(i => realised[i * k + c]) >= ScoredShare * stateTotal).ToArray();

        // Seeded folds of whole counties.
        var rng = new Xoshiro256(seed, 0xCA1B_0000UL);
        for (var i = held.Length - 1; i > 0; i--)
        {
            var j = rng.NextInt(i + 1);
            (held[i], held[j]) = (held[j], held[i]);
        }
        double sumZ = 0, sumZ2 = 0;
        var scores = 0;
        var byCandidate = new double[k];
        var countByCandidate = new int[k];
        for (var fold = 0; fold < Folds; fold++)
        {
            var out_ = new HashSet<int>(held.Where((_, i) => i % Folds == fold));
            var train = reported.Where(kv => election.FindPrecinct(kv.Key) is not { } p || !out_.Contains(countyIndex[p.County]))
                .ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
            var setup = Projector.Setup.Build(election, train, p => out_.Contains(countyIndex[p.County]) && reported.ContainsKey(p.Id));
            setup.MeasureCentreVariance();
            var shares = new double[Draws * n * k];
            Parallel.For(0, Draws, new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism, CancellationToken = cancellationToken },
                () => new Projector.DrawWorkspace(setup) { CountyFinal = new double[n * k] },
                (draw, _, workspace) =>
                {
                    Span<double> sde = stackalloc double[k];
                    Span<double> votes = stackalloc double[k];
                    workspace.Run(seed + 0xC0FFEE + (ulong)fold, draw, sde, votes);
                    foreach (var county in out_)
                    {
                        double total = 0;
                        for (var c = 0; c < k; c++) total += workspace.CountyFinal![county * k + c];
                        for (var c = 0; c < k; c++) shares[(draw * n + county) * k + c] = total == 0 ? 0 : workspace.CountyFinal![county * k + c] / total;
                    }
                    return workspace;
                },
                _ => { });
            foreach (var county in out_)
            {
                foreach (var c in scored)
                {
                    double sum = 0, sumSq = 0;
                    for (var d = 0; d < Draws; d++)
                    {
                        var x = shares[(d * n + county) * k + c];
                        sum += x;
                        sumSq += x * x;
                    }
                    var mean = sum / Draws;
                    var variance = Math.Max(0, (sumSq - sum * mean) / (Draws - 1));
                    if (variance <= 0) continue;
                    var z = (realised[county * k + c] / countyTotal[county] - mean) / Math.Sqrt(variance);
                    sumZ += z;
                    sumZ2 += z * z;
                    scores++;
                    byCandidate[c] += z * z;
                    countByCandidate[c]++;
                }
            }
        }
        if (scores == 0) return new Result(1, double.NaN, double.NaN, 0);
        var meanSquare = sumZ2 / scores;
        return new Result(Math.Clamp(Math.Sqrt(meanSquare), 1, MaxFactor), meanSquare, sumZ / scores, scores)
        {
            MeanSquareZByCandidate = scored.Where(c => countByCandidate[c] > 0).ToDictionary(c => names[c], c => byCandidate[c] / countByCandidate[c], StringComparer.Ordinal),
        };
    }

    internal static double Factor(Election election, IReadOnlyDictionary<string, Tally> reported, ulong seed, int maxDegreeOfParallelism) =>
        Run(election, reported, seed, maxDegreeOfParallelism).Factor;
}
