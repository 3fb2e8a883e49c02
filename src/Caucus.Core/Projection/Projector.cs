using System.Collections.Immutable;
using Caucus.Core.Aggregation;
using Caucus.Core.Model;
using Caucus.Core.Ranges;
using Caucus.Core.Rules;

namespace Caucus.Core.Projection;

/// <summary>
/// Projects the final result from the precincts reported so far (DESIGN.md, "Projection"). The unreported precincts
/// and satellites are estimated by <see cref="SwingModel"/> and simulated: every draw samples correlated district and
/// county effects, then for each precinct its attendance and first alignment, realigns the non-viable groups, and runs
/// the rules (the rule set's <see cref="IFastAllocator"/>, the same arithmetic as the rule set) with fair games of chance; pending
/// tosses in reported precincts are drawn fairly too. A pure function of the election, the reports and the options:
/// each draw has its own random stream, so neither the order of the reports nor the number of threads changes a digit.
/// </summary>
public static class Projector
{
    /// <param name="cancellationToken">Stops the draws early (the service supersedes a projection whose version is no
    /// longer the newest once the reports pause); the answer, when there is one, does not depend on it.</param>
    public static ProjectionResult Project(Election election, IReadOnlyDictionary<string, Tally> reported, ProjectionOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(election);
        ArgumentNullException.ThrowIfNull(reported);
        options ??= new ProjectionOptions();
        if (options.Draws < 1) throw new ArgumentOutOfRangeException(nameof(options), "At least one draw.");
        var setup = Setup.Build(election, reported);
        var calibration = Calibration.Run(election, reported, options.Seed, options.MaxDegreeOfParallelism, cancellationToken);
        setup.Inflation = calibration.Factor;
        setup.MeasureCentreVariance();
        var k = setup.Names.Length;
        var sdeDraws = new double[options.Draws * k];
        var voteDraws = new double[options.Draws * k];
        Parallel.For(0, options.Draws, new ParallelOptions { MaxDegreeOfParallelism = options.MaxDegreeOfParallelism, CancellationToken = cancellationToken },
            () => new DrawWorkspace(setup),
            (draw, _, workspace) =>
            {
                workspace.Run(options.Seed, draw, sdeDraws.AsSpan(draw * k, k), voteDraws.AsSpan(draw * k, k));
                return workspace;
            },
            _ => { });
        // Only a projection with precincts still out: pending tosses alone are fair games of chance, drawn exactly.
        if (setup.OpenCounty.Length > 0)
        {
            Widen(voteDraws, k, setup.FixedVotes);
            if (setup.Rules.Statewide is { } headline)
            {
                // A statewide headline is the allocation of the draw's vote, widened with it (never a widened delegate count).
                var allocator = headline.CreateFastAllocator(setup.Names);
                for (var d = 0; d < options.Draws; d++) allocator.Allocate(voteDraws.AsSpan(d * k, k), sdeDraws.AsSpan(d * k, k));
            }
            else
            {
                Widen(sdeDraws, k, setup.FixedSde);
            }
        }
        return Summarise(election, setup, options, sdeDraws, voteDraws) with { Calibration = calibration };
    }

    /// <summary>
    /// For diagnostics (Backtest.Diagnose): each unreported precinct's mean simulated final alignment and delegates per
    /// candidate (ordinal order) over the draws, in the election's precinct order, with the candidate names.
    /// </summary>
    internal static (string[] Names, string[] Ids, double[] Final, double[] Delegates) SimulateOpen(Election election,
        IReadOnlyDictionary<string, Tally> reported, int draws, ulong seed)
    {
        var setup = Setup.Build(election, reported);
        setup.Inflation = Calibration.Run(election, reported, seed).Factor;
        setup.MeasureCentreVariance();
        var k = setup.Names.Length;
        var open = setup.OpenCounty.Length;
        var workspace = new DrawWorkspace(setup) { OpenFinal = new double[open * k], OpenAward = new double[open * k] };
        var sde = new double[k];
        var votes = new double[k];
        for (var d = 0; d < draws; d++) workspace.Run(seed, d, sde, votes);
        for (var j = 0; j < open * k; j++)
        {
            workspace.OpenFinal[j] /= draws;
            workspace.OpenAward[j] /= draws;
        }
        var ids = election.Precincts.Where(p => !reported.ContainsKey(p.Id)).Select(p => p.Id).ToArray();
        return (setup.Names, ids, workspace.OpenFinal, workspace.OpenAward);
    }

    private static ProjectionResult Summarise(Election election, Setup setup, ProjectionOptions options, double[] sdeDraws, double[] voteDraws)
    {
        var k = setup.Names.Length;
        var draws = options.Draws;
        var first = new double[k];
        var differ = 0;
        for (var d = 0; d < draws; d++)
        {
            var sde = sdeDraws.AsSpan(d * k, k);
            var votes = voteDraws.AsSpan(d * k, k);
            var most = double.MinValue;
            for (var c = 0; c < k; c++) most = Math.Max(most, sde[c]);
            var leaders = 0;
            for (var c = 0; c < k; c++) if (sde[c] == most) leaders++;
            for (var c = 0; c < k; c++) if (sde[c] == most) first[c] += 1.0 / leaders;
            if (ArgMax(sde) != ArgMax(votes)) differ++;
        }
        var statewide = setup.Aggregate.Statewide();
        var current = statewide.Candidates.ToDictionary(c => c.Name, StringComparer.Ordinal);
        var projections = new CandidateProjection[k];
        var meanSde = new double[k];
        var meanVotes = new double[k];
        for (var c = 0; c < k; c++)
        {
            var sde = Column(sdeDraws, k, c);
            var votes = Column(voteDraws, k, c);
            meanSde[c] = sde.Average();
            meanVotes[c] = votes.Average();
            var now = current[setup.Names[c]];
            projections[c] = new CandidateProjection(setup.Names[c], now.Sde, meanSde[c], Interval90(sde), first[c] / draws,
                now.FinalAlignment, meanVotes[c], Interval90(votes));
        }
        var byName = projections.ToDictionary(p => p.Name, StringComparer.Ordinal);
        return new ProjectionResult(draws, options.Seed, setup.Reporting,
            [.. election.Candidates.Select(n => byName[n])], meanSde.Sum(),
            setup.Names[ArgMax(meanSde)], setup.Names[ArgMax(meanVotes)], (double)differ / draws)
        {
            Why = Unprojected(election, statewide) + Why(election, setup, meanVotes),
        };
    }

    /// <summary>
    /// "882 of 1,765 precincts are uncounted (40 of them satellites), 61% of their delegates in the 10 biggest counties;
    /// in the draws Sanders leads there by 6.1 points of final alignment over Buttigieg." The biggest counties: the tenth
    /// with the most county delegates, as the demo and the "big counties first" backtest order take them.
    /// </summary>
    /// <summary>
    /// Where groups are open (subcaucuses named on the night), the model knows only the election's suggested groups: the
    /// others' delegates so far are said, not projected, so nobody reads the projection as covering them.
    /// </summary>
    private static string Unprojected(Election election, Aggregation.ResultsTotals statewide)
    {
        var others = statewide.Candidates.Where(c => !election.Candidates.Contains(c.Name) && c.Sde > Arithmetic.Rational.Zero).ToList();
        if (others.Count == 0) return "";
        var total = others.Aggregate(Arithmetic.Rational.Zero, (sum, c) => sum + c.Sde);
        var unit = election.RuleSet.Headline;
        return $"Not projected: {others.Count} group{(others.Count == 1 ? "" : "s")} named on the night ({string.Join(", ", others.Take(5).Select(c => c.Name))}{(others.Count > 5 ? ", …" : "")}), " +
            $"{unit.Format(total)} {unit.Abbreviation} counted so far; the projection covers the suggested groups only. ";
    }

    private static string Why(Election election, Setup setup, double[] meanVotes)
    {
        var open = setup.OpenPrecinct;
        if (open.Length == 0) return "";
        var inState = election.Counties.Where(c => !c.IsSatelliteCounty).ToList();
        var bigCount = (inState.Count + 9) / 10;
        var big = inState.OrderByDescending(c => c.CountyDelegates).Take(bigCount).Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        double openDelegates = open.Sum(p => (double)p.Delegates);
        var inBig = open.Where(p => big.Contains(p.County)).Sum(p => (double)p.Delegates);
        var satellites = open.Count(p => p.Kind == PrecinctKind.Satellite);
        var k = setup.Names.Length;
        var openVotes = new double[k];
        for (var c = 0; c < k; c++) openVotes[c] = Math.Max(0, meanVotes[c] - setup.FixedVotes[c]);
        var total = openVotes.Sum();
        var ranked = Enumerable.Range(0, k).OrderByDescending(c => openVotes[c]).ToArray();
        var culture = System.Globalization.CultureInfo.InvariantCulture;
        var what = string.Create(culture, $"{open.Length:N0} of {election.Precincts.Length:N0} precincts are uncounted")
            + (satellites > 0 ? string.Create(culture, $" ({satellites} of them satellites)") : "")
            + (openDelegates > 0 ? string.Create(culture, $", {100 * inBig / openDelegates:0}% of their delegates in the {(bigCount == 1 ? "biggest county" : $"{bigCount} biggest counties")}") : "");
        if (total <= 0 || k < 2) return what + ".";
        var lead = 100 * (openVotes[ranked[0]] - openVotes[ranked[1]]) / total;
        var vote = election.RuleSet.Form.OneRound ? "the vote" : "final alignment";
        return what + string.Create(culture, $"; in the draws {setup.Names[ranked[0]]} leads there by {lead:0.0} points of {vote} over {setup.Names[ranked[1]]}.");
    }

    /// <summary>
    /// Each candidate's draws moved away from their mean by <see cref="ModelSettings.DrawSpreadWidening"/>, never below
    /// what is already counted for the candidate (<paramref name="floor"/>; a pending toss's delegates aside): the spread
    /// the backtest showed the model's own to fall short of, applied before intervals and win probabilities.
    /// </summary>
    private static void Widen(double[] draws, int k, double[] floor)
    {
        var n = draws.Length / k;
        for (var c = 0; c < k; c++)
        {
            double mean = 0;
            for (var d = 0; d < n; d++) mean += draws[d * k + c];
            mean /= n;
            for (var d = 0; d < n; d++)
            {
                var j = d * k + c;
                draws[j] = Math.Max(Math.Min(floor[c], draws[j]), mean + ModelSettings.DrawSpreadWidening * (draws[j] - mean));
            }
        }
    }

    private static int ArgMax(ReadOnlySpan<double> values)
    {
        var best = 0;
        for (var i = 1; i < values.Length; i++) if (values[i] > values[best]) best = i;
        return best;
    }

    private static double[] Column(double[] draws, int k, int c)
    {
        var column = new double[draws.Length / k];
        for (var d = 0; d < column.Length; d++) column[d] = draws[d * k + c];
        return column;
    }

    /// <summary>The 5th to the 95th percentile, interpolated between order statistics.</summary>
    private static Interval Interval90(double[] values)
    {
        var sorted = (double[])values.Clone();
        Array.Sort(sorted);
        return new Interval(Quantile(sorted, 0.05), Quantile(sorted, 0.95));

        static double Quantile(double[] sorted, double p)
        {
            var position = p * (sorted.Length - 1);
            var below = (int)Math.Floor(position);
            var above = Math.Min(below + 1, sorted.Length - 1);
            return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
        }
    }

    /// <summary>A reported precinct whose toss is pending: each outcome's delegates per candidate (ordinal order).</summary>
    internal sealed record PendingPrecinct(int County, bool Satellite, int Delegates, int Attendees, int[][] Outcomes);

    /// <summary>Everything the draws share: the model, what is fixed by the reports, and the precincts to simulate.</summary>
    internal sealed class Setup
    {
        /// <summary>
        /// How much wider than the model says the drawn effects are spread (<see cref="Calibration"/>): every deviation
        /// of a drawn effect from its posterior mean, and the precinct noise, times this; 1 when the model's own
        /// spread held up on the night's reports.
        /// </summary>
        public double Inflation { get; set; } = 1;

        public required string[] Names { get; init; }
        public required SwingModel Model { get; init; }
        public required ResultsAggregate Aggregate { get; init; }
        public required ReportingShare Reporting { get; init; }
        public required ImmutableArray<County> Counties { get; init; }
        public required double[] SdePerDelegate { get; init; }
        /// <summary>The election's rule set: each draw workspace takes its own fast allocator from it.</summary>
        public required IRuleSet Rules { get; init; }
        public required SatelliteWeighting Weighting { get; init; }
        public required double[] FixedSde { get; init; }
        public required double[] FixedVotes { get; init; }
        public required double[] FixedSatelliteShare { get; init; }
        public required double[] FixedSatelliteDelegates { get; init; }
        public required double[] FixedSatelliteAttendance { get; init; }
        public required PendingPrecinct[] Pending { get; init; }
        public required int[] OpenCounty { get; init; }
        public required int[] OpenDelegates { get; init; }
        public required int DistrictCount { get; init; }
        public required Donors Donors { get; init; }
        public required int[][] OpenPool { get; init; }
        public required Precinct[] OpenPrecinct { get; init; }

        /// <summary>γ·v per open precinct × candidate and per donor × candidate (Covariates; 0 without covariates).</summary>
        public required double[] OpenEffect { get; init; }
        public required double[] DonorEffect { get; init; }

        /// <summary>The fitted covariate effects, candidate × covariate (diagnostics and the projection's "why").</summary>
        public required double[] Gamma { get; init; }
        public required string[] CovariateNames { get; init; }

        /// <summary>
        /// Half the variance of each county × candidate drawn log share (<see cref="DrawWorkspace"/>'s centre) over the
        /// draws, so that a donor's swing exp(drawn − mean − var/2) has mean 1. Without it a candidate whose share is
        /// less certain (a larger spread on the log scale) gains on average at the expense of the surer ones: that was
        /// part of the Sanders −/Biden + bias of the unreported precincts (`caucus backtest --diagnose`).
        /// </summary>
        public double[] CentreHalfVariance { get; private set; } = [];

        /// <summary>The variance by pilot draws of the effects alone (a fixed stream of their own: deterministic).</summary>
        public void MeasureCentreVariance()
        {
            const int pilots = 400;
            var workspace = new DrawWorkspace(this);
            var size = Counties.Length * Names.Length;
            var sum = new double[size];
            var sumSq = new double[size];
            for (var m = 0; m < pilots; m++)
            {
                var rng = new Xoshiro256(0x9E3779B97F4A7C15UL, (ulong)m);
                workspace.AccumulateCentre(ref rng, sum, sumSq);
            }
            var half = new double[size];
            for (var j = 0; j < size; j++) half[j] = 0.5 * Math.Max(0, (sumSq[j] - sum[j] * sum[j] / pilots) / (pilots - 1));
            CentreHalfVariance = half;
        }

        /// <param name="simulate">
        /// For calibration: simulate only the unreported precincts it accepts, and skip what only the full projection
        /// needs (the aggregate, the fixed SDEs and pending tosses).
        /// </param>
        public static Setup Build(Election election, IReadOnlyDictionary<string, Tally> reported, Func<Precinct, bool>? simulate = null)
        {
            var names = election.Candidates.Order(StringComparer.Ordinal).ToArray();
            var k = names.Length;
            if (k > IFastAllocator.MaxGroups) throw new ArgumentException($"At most {IFastAllocator.MaxGroups} candidates.", nameof(election));
            var counties = election.Counties;
            var countyIndex = counties.Select((c, i) => (c.Name, i)).ToDictionary(x => x.Name, x => x.i, StringComparer.Ordinal);
            var districts = counties.Select(c => c.District).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            var districtOf = counties.Select(c => districts.IndexOf(c.District)).ToArray();
            var rules = election.RuleSet;

            var aggregate = new ResultsAggregate(election);
            var reports = new List<(Precinct, int, Tally)>();
            var fixedSde = new double[k];
            var fixedVotes = new double[k];
            var satShare = new double[counties.Length * k];
            var satDelegates = new double[counties.Length * k];
            var satAttendance = new double[counties.Length];
            var sdePerDelegate = counties.Select(c => c.CountyDelegates == 0 ? 0 : (double)c.StateDelegates / c.CountyDelegates).ToArray();
            var pending = new List<PendingPrecinct>();
            var openCounty = new List<int>();
            var openDelegates = new List<int>();
            var openPrecinct = new List<Precinct>();
            int satellitesReporting = 0, satellites = 0;
            long delegatesReporting = 0, delegatesTotal = 0;
            // The election's precinct order, never the dictionary's: the projection must not depend on the order of reports.
            foreach (var precinct in election.Precincts)
            {
                var county = countyIndex[precinct.County];
                var isSatellite = precinct.Kind == PrecinctKind.Satellite;
                if (isSatellite) satellites++;
                delegatesTotal += precinct.Delegates;
                if (!reported.TryGetValue(precinct.Id, out var tally))
                {
                    if (simulate is not null && !simulate(precinct)) continue;
                    openCounty.Add(county);
                    openDelegates.Add(precinct.Delegates);
                    openPrecinct.Add(precinct);
                    continue;
                }
                if (isSatellite) satellitesReporting++;
                delegatesReporting += precinct.Delegates;
                if (simulate is not null)
                {
                    reports.Add((precinct, county, tally));
                    continue;
                }
                var result = PrecinctResult.Compute(election, precinct, tally);
                aggregate.Apply(result);
                reports.Add((precinct, county, tally));
                for (var c = 0; c < k; c++) fixedVotes[c] += tally.FinalOf(names[c]);
                var outcomes = result.Allocation.IsProvisional
                    ? TossOutcomes.Enumerate(rules, precinct.Delegates, tally, result.Allocation).Select(o => o.Allocation).ToArray()
                    : [result.Allocation];
                var delegates = outcomes.Select(a => names.Select(a.DelegatesOf).ToArray()).ToArray();
                if (delegates.Length > 1)
                {
                    pending.Add(new PendingPrecinct(county, isSatellite, precinct.Delegates, tally.Attendees, delegates));
                    if (isSatellite) satAttendance[county] += tally.Attendees;
                    continue;
                }
                AddDelegates(delegates[0], county, isSatellite, precinct.Delegates, tally.Attendees, k,
                    fixedSde, sdePerDelegate, satShare, satDelegates);
                if (isSatellite) satAttendance[county] += tally.Attendees;
            }
            var donors = Donors.Build(reports, names, districtOf, districts.Count, counties, rules);
            // Covariates (what a precinct was before the night): γ from the reports, each county's reported part of it
            // off its observed share, and each open precinct's and donor's γ·v for the swing.
            var covariates = Covariates.For(election);
            var gamma = covariates.Fit(reports, names, counties.Length);
            var countyOffset = new double[counties.Length * k];
            var countyWeight = new double[counties.Length];
            foreach (var (precinct, county, tally) in reports)
            {
                if (covariates.Count == 0) break;
                double t = 0;
                for (var c = 0; c < k; c++) t += tally.FinalOf(names[c]);
                var v = covariates.Of(precinct);
                countyWeight[county] += t;
                for (var c = 0; c < k; c++) countyOffset[county * k + c] += t * Covariates.Effect(gamma, c, v);
            }
            for (var i = 0; i < counties.Length; i++)
            {
                for (var c = 0; c < k && countyWeight[i] > 0; c++) countyOffset[i * k + c] /= countyWeight[i];
            }
            var openEffect = new double[openPrecinct.Count * k];
            for (var i = 0; i < openPrecinct.Count && covariates.Count > 0; i++)
            {
                var v = covariates.Of(openPrecinct[i]);
                for (var c = 0; c < k; c++) openEffect[i * k + c] = Covariates.Effect(gamma, c, v);
            }
            var donorEffect = new double[donors.Precinct.Length * k];
            for (var i = 0; i < donors.Precinct.Length && covariates.Count > 0; i++)
            {
                var v = covariates.Of(donors.Precinct[i]);
                for (var c = 0; c < k; c++) donorEffect[i * k + c] = Covariates.Effect(gamma, c, v);
            }
            var openPool = openCounty.Select((county, i) => donors.Pool(county, openDelegates[i], counties[county].IsSatelliteCounty)).ToArray();
            return new Setup
            {
                Names = names,
                Model = SwingModel.Estimate(election, names, districtOf, districts.Count, reports, covariates.Count == 0 ? null : countyOffset),
                OpenPrecinct = [.. openPrecinct],
                OpenEffect = openEffect,
                DonorEffect = donorEffect,
                Gamma = gamma,
                CovariateNames = covariates.Names,
                Aggregate = aggregate,
                Reporting = new ReportingShare(reports.Count, election.Precincts.Length, satellitesReporting, satellites,
                    // No unit elects a delegate (a statewide headline): the share of units reporting stands in.
                    delegatesTotal == 0 ? (election.Precincts.Length == 0 ? 0 : (double)reports.Count / election.Precincts.Length)
                        : (double)delegatesReporting / delegatesTotal),
                Counties = counties,
                SdePerDelegate = sdePerDelegate,
                Rules = rules,
                Weighting = rules.SatelliteWeighting,
                FixedSde = fixedSde,
                FixedVotes = fixedVotes,
                FixedSatelliteShare = satShare,
                FixedSatelliteDelegates = satDelegates,
                FixedSatelliteAttendance = satAttendance,
                Pending = [.. pending],
                OpenCounty = [.. openCounty],
                OpenDelegates = [.. openDelegates],
                DistrictCount = districts.Count,
                Donors = donors,
                OpenPool = openPool,
            };
        }

        /// <summary>
        /// A precinct's delegates into the running sums: SDEs directly for a precinct (delegates × SD/CD); for a satellite,
        /// its terms of SD · Σ (n/D)·att / Σ att and its delegates, turned into SDEs once the draw's attendance is known.
        /// </summary>
        public static void AddDelegates(ReadOnlySpan<int> delegates, int county, bool satellite, int d, int attendees, int k,
            Span<double> sde, double[] sdePerDelegate, Span<double> satShare, Span<double> satDelegates)
        {
            for (var c = 0; c < k; c++)
            {
                if (delegates[c] == 0) continue;
                if (!satellite)
                {
                    sde[c] += delegates[c] * sdePerDelegate[county];
                    continue;
                }
                satDelegates[county * k + c] += delegates[c];
                if (d > 0) satShare[county * k + c] += (double)delegates[c] * attendees / d;
            }
        }
    }

    /// <summary>One thread's buffers: a draw allocates nothing.</summary>
    internal sealed class DrawWorkspace(Setup setup)
    {
        private readonly IFastAllocator _allocator = setup.Rules.CreateFastAllocator();

        // A statewide headline (a secret ballot's national delegates): each draw's headline is the allocation of its summed vote.
        private readonly IFastStatewideAllocator? _statewide = setup.Rules.Statewide?.CreateFastAllocator(setup.Names);
        private readonly int _k = setup.Names.Length;
        private readonly double[] _alpha = new double[setup.Names.Length];
        private readonly double[] _beta = new double[setup.Names.Length];
        private readonly double[] _group = new double[(setup.DistrictCount + 1) * setup.Names.Length];
        private readonly double[] _districtTurnout = new double[setup.DistrictCount];
        private readonly double[] _centre = new double[setup.Counties.Length * setup.Names.Length];
        private readonly double[] _turnout = new double[setup.Counties.Length];
        private readonly double[] _satShare = new double[setup.Counties.Length * setup.Names.Length];
        private readonly double[] _satDelegates = new double[setup.Counties.Length * setup.Names.Length];
        private readonly double[] _satAttendance = new double[setup.Counties.Length];
        private readonly double[] _share = new double[setup.Names.Length];
        private readonly int[] _first = new int[setup.Names.Length];
        private readonly int[] _final = new int[setup.Names.Length];
        private readonly int[] _award = new int[setup.Names.Length];
        private readonly int[] _tied = new int[setup.Names.Length];

        /// <summary>Diagnostics only: sums over draws of each open precinct's final alignment and delegates.</summary>
        public double[]? OpenFinal { get; init; }
        public double[]? OpenAward { get; init; }

        /// <summary>Calibration only: each county's simulated final alignment per candidate in the last draw (county × candidate).</summary>
        public double[]? CountyFinal { get; init; }

        public void Run(ulong seed, int draw, Span<double> sde, Span<double> votes)
        {
            var rng = new Xoshiro256(seed, (ulong)draw);
            var model = setup.Model;
            var k = _k;
            DrawEffects(ref rng, model);
            setup.FixedSde.CopyTo(sde);
            setup.FixedVotes.CopyTo(votes);
            setup.FixedSatelliteShare.CopyTo(_satShare, 0);
            setup.FixedSatelliteDelegates.CopyTo(_satDelegates, 0);
            setup.FixedSatelliteAttendance.CopyTo(_satAttendance, 0);
            if (CountyFinal is { } clear) Array.Clear(clear);

            foreach (var p in setup.Pending)
            {
                // Every outcome is one choice of the toss's winners: a uniform outcome is a fair toss.
                var outcome = p.Outcomes[rng.NextInt(p.Outcomes.Length)];
                Setup.AddDelegates(outcome, p.County, p.Satellite, p.Delegates, p.Attendees, k, sde, setup.SdePerDelegate, _satShare, _satDelegates);
            }

            for (var i = 0; i < setup.OpenCounty.Length; i++)
            {
                var county = setup.OpenCounty[i];
                var d = setup.OpenDelegates[i];
                var satellite = setup.Counties[county].IsSatelliteCounty;
                var attendees = setup.Donors.IsEmpty
                    ? SimulateTally(ref rng, model, county, d, satellite, i)
                    : SwingDonor(ref rng, model, county, d, satellite, setup.OpenPool[i], i);
                for (var c = 0; c < k; c++) votes[c] += _final[c];
                if (_allocator.Allocate(d, attendees, _final, _award)) DrawToss(ref rng);
                Setup.AddDelegates(_award, county, satellite, d, attendees, k, sde, setup.SdePerDelegate, _satShare, _satDelegates);
                if (satellite) _satAttendance[county] += attendees;
                if (CountyFinal is { } countyFinal)
                {
                    for (var c = 0; c < k; c++) countyFinal[county * k + c] += _final[c];
                }
                if (OpenFinal is { } openFinal && OpenAward is { } openAward)
                {
                    for (var c = 0; c < k; c++)
                    {
                        openFinal[i * k + c] += _final[c];
                        // Satellites as their SDEs count under attendance weighting: delegates × attendance / D.
                        openAward[i * k + c] += satellite && d > 0 ? (double)_award[c] * attendees / d : _award[c];
                    }
                }
            }

            // Satellite SDEs (RULES.md): SD · Σ_s (n_s,c / D_s) · att_s / Σ_s att_s under attendance weighting.
            for (var county = 0; county < setup.Counties.Length; county++)
            {
                var info = setup.Counties[county];
                if (!info.IsSatelliteCounty) continue;
                for (var c = 0; c < k; c++)
                {
                    sde[c] += setup.Weighting == SatelliteWeighting.Attendance
                        ? (_satAttendance[county] == 0 ? 0 : info.StateDelegates * _satShare[county * k + c] / _satAttendance[county])
                        : _satDelegates[county * k + c] * setup.SdePerDelegate[county];
                }
            }
            _statewide?.Allocate(votes, sde);
        }

        public void AccumulateCentre(ref Xoshiro256 rng, double[] sum, double[] sumSq)
        {
            DrawEffects(ref rng, setup.Model);
            for (var j = 0; j < _centre.Length; j++)
            {
                sum[j] += _centre[j];
                sumSq[j] += _centre[j] * _centre[j];
            }
        }

        /// <summary>
        /// The draw's correlated effects (SwingModel): per candidate the state level and size slope from their fit, each
        /// district's (and the satellite block's) effect given them, then each county's given its district; turnout
        /// effects by district and county.
        /// </summary>
        private void DrawEffects(ref Xoshiro256 rng, SwingModel model)
        {
            var k = _k;
            // The calibration's inflation scales every deviation from the posterior means: through α and β the group's and
            // county's conditional means move by it too, so each drawn log share's deviation is exactly f times the model's.
            var f = setup.Inflation;
            for (var c = 0; c < k; c++)
            {
                var z1 = f * rng.NextGaussian();
                var z2 = f * rng.NextGaussian();
                _alpha[c] = model.Mu[c] + model.CholMu[c] * z1;
                _beta[c] = model.Beta[c] + model.CholCross[c] * z1 + model.CholBeta[c] * z2;
            }
            for (var g = 0; g < model.GroupCount; g++)
            {
                for (var c = 0; c < k; c++)
                {
                    var j = g * k + c;
                    _group[j] = model.GroupGain[j] * (model.GroupWy[j] - _alpha[c] * model.GroupW[j] - _beta[c] * model.GroupWx[j])
                        + f * model.GroupSd[j] * rng.NextGaussian();
                }
            }
            for (var d = 0; d < setup.DistrictCount; d++) _districtTurnout[d] = model.DistrictTurnoutSd[d] * rng.NextGaussian();
            for (var county = 0; county < setup.Counties.Length; county++)
            {
                var d = model.CountyDistrict[county];
                var g = model.CountyGroup[county];
                var satellite = setup.Counties[county].IsSatelliteCounty;
                _turnout[county] = model.CountyTurnoutSd[county] * rng.NextGaussian() + (satellite ? 0 : _districtTurnout[d]);
                var x = model.CountyX[county];
                for (var c = 0; c < k; c++)
                {
                    var j = county * k + c;
                    var fit = _alpha[c] + _beta[c] * x + _group[g * k + c];
                    _centre[j] = fit + model.CountyLambda[j] * (model.CountyY[j] - fit) + f * model.CountySd[j] * rng.NextGaussian();
                }
            }
        }

        /// <summary>Attendance, first alignment and realignment of one unreported precinct; fills _final and returns A.</summary>
        private int SimulateTally(ref Xoshiro256 rng, SwingModel model, int county, int d, bool satellite, int open)
        {
            var k = _k;
            double expected = satellite
                ? model.CountyAttendance[county] * Math.Exp(_turnout[county] + ModelSettings.SatelliteTurnoutSd * rng.NextGaussian())
                : model.CountyAttendance[county] * Math.Max(d, 0.5) * Math.Exp(_turnout[county] + ModelSettings.PrecinctTurnoutSd * rng.NextGaussian());
            var attendees = Math.Max(1, (int)Math.Round(expected));
            var sd = setup.Inflation * (satellite ? ModelSettings.SatelliteSd : ModelSettings.PrecinctSd);
            var max = double.MinValue;
            for (var c = 0; c < k; c++)
            {
                _share[c] = _centre[county * k + c] + setup.OpenEffect[open * k + c] + sd * rng.NextGaussian();
                max = Math.Max(max, _share[c]);
            }
            double total = 0;
            for (var c = 0; c < k; c++)
            {
                _share[c] = Math.Exp(_share[c] - max);
                total += _share[c];
            }
            var a = 0;
            var largest = 0;
            for (var c = 0; c < k; c++)
            {
                _first[c] = (int)Math.Round(attendees * _share[c] / total);
                a += _first[c];
                if (_first[c] > _first[largest]) largest = c;
            }
            if (a == 0)
            {
                _first[largest] = 1;
                a = 1;
            }
            Realign(model, d, a, largest, null);
            return a;
        }

        /// <summary>
        /// A reported precinct like this one (same county, else district, else state; same size class) swung by the
        /// difference between this county's drawn shares and the donor county's: the donor's final alignment keeps its
        /// shape (groups at 0 or above the threshold, as realignment leaves them), which a smooth share model loses.
        /// Fills _final and returns A.
        /// </summary>
        private int SwingDonor(ref Xoshiro256 rng, SwingModel model, int county, int d, bool satellite, int[] pool, int open)
        {
            var k = _k;
            var donor = pool[rng.NextInt(pool.Length)];
            var donorCounty = setup.Donors.County[donor];
            // In-state: the donor's attendance per delegate (its own variety is the precinct's), moved by how this
            // county's turnout per delegate differs from the donor county's, times this precinct's delegates; so a group
            // at the threshold in the donor sits near it here too. A satellite copies a reported satellite's attendance
            // with its shares (moved by the satellite counties' turnout): big satellites voted unlike small ones, and
            // drawing the size apart from the shares lost that (Sanders 5 points short on the unreported satellites'
            // SDEs, `caucus backtest --diagnose`). With no satellite reported, the prior attendance per satellite.
            var donorSatellite = setup.Donors.IsSatellite[donor];
            var expected = satellite
                ? donorSatellite
                    ? setup.Donors.Attendance[donor] * model.CountyAttendance[county] / model.CountyAttendance[donorCounty] * Math.Exp(_turnout[county] - _turnout[donorCounty])
                    : model.CountyAttendance[county] * Math.Exp(_turnout[county] + ModelSettings.SatelliteTurnoutSd * rng.NextGaussian())
                : setup.Donors.AttendancePerDelegate[donor] * Math.Max(d, 0.5)
                    * model.CountyAttendance[county] / model.CountyAttendance[donorCounty] * Math.Exp(_turnout[county] - _turnout[donorCounty]);
            var attendees = Math.Max(1, (int)Math.Round(expected));
            var donorShares = setup.Donors.Shares[donor];
            double total = 0;
            for (var c = 0; c < k; c++)
            {
                _share[c] = donorShares[c] == 0 ? 0
                    : donorShares[c] * Math.Exp(_centre[county * k + c] - model.CountyLogShare[donorCounty][c] - setup.CentreHalfVariance[county * k + c]
                        + setup.OpenEffect[open * k + c] - setup.DonorEffect[donor * k + c]);
                total += _share[c];
            }
            var aligned = attendees * setup.Donors.Turnout[donor];
            var largest = 0;
            for (var c = 0; c < k; c++)
            {
                _first[c] = (int)Math.Round(aligned * _share[c] / total);
                if (_first[c] > _first[largest]) largest = c;
            }
            if (_first[largest] == 0) _first[largest] = 1;
            // A group viable in the donor that the swing left just short recruits up to the threshold, as groups do on
            // caucus night; without this every donor group sitting just above the threshold would be lost half the time.
            var threshold = _allocator.ViabilityThreshold(d, attendees);
            for (var c = 0; c < k; c++)
            {
                var need = threshold - _first[c];
                if (!setup.Donors.Viable[donor][c] || need <= 0 || _first[c] < threshold * 0.7 || c == largest) continue;
                if (_first[largest] - need < threshold) continue;
                _first[c] += need;
                _first[largest] -= need;
            }
            // Groups the swing or the smaller size pushed below this precinct's threshold realign. Groups that were not
            // viable in the donor's final alignment (members who stayed with a non-viable group to the end) stay as
            // they are: they have realigned already, and realigning them again moved Yang's and the other small
            // groups' remnants to the big groups (Yang a third short, `caucus backtest --diagnose`).
            Realign(model, d, attendees, largest, setup.Donors.Viable[donor]);
            return attendees;
        }

        /// <summary>
        /// RULES.md "Alignment": viable first-alignment groups keep their members; of the members of non-viable groups a
        /// share leaves and the rest join the viable groups in proportion to their size and pull. If none is viable,
        /// everyone joins the largest group.
        /// </summary>
        private void Realign(SwingModel model, int d, int attendees, int largest, bool[]? donorViable)
        {
            var k = _k;
            var threshold = _allocator.ViabilityThreshold(d, attendees);
            double pull = 0;
            var lost = 0;
            for (var c = 0; c < k; c++)
            {
                var viable = _first[c] > 0 && _first[c] >= threshold;
                var remnant = !viable && donorViable is not null && !donorViable[c];
                _final[c] = viable || remnant ? _first[c] : 0;
                if (viable) pull += _first[c] * model.Pull[c];
                else if (!remnant) lost += _first[c];
            }
            if (pull == 0)
            {
                for (var c = 0; c < k; c++) _final[c] = 0;
                _final[largest] = attendees;
                return;
            }
            if (lost == 0) return;
            var staying = (int)Math.Round(lost * (1 - model.LeaveRate));
            var placed = 0;
            var strongest = -1;
            for (var c = 0; c < k; c++)
            {
                if (_final[c] == 0 || _first[c] < threshold) continue;
                var gain = (int)(staying * (_first[c] * model.Pull[c] / pull));
                _final[c] += gain;
                placed += gain;
                if (strongest < 0 || _first[c] * model.Pull[c] > _first[strongest] * model.Pull[strongest]) strongest = c;
            }
            _final[strongest] += staying - placed;
        }

        /// <summary>A fair game of chance: every set of winners of the right size equally likely.</summary>
        private void DrawToss(ref Xoshiro256 rng)
        {
            var tied = _allocator.TiedGroups;
            tied.CopyTo(_tied);
            ulong winners = 0;
            for (var j = 0; j < _allocator.TieWinners; j++)
            {
                var pick = j + rng.NextInt(tied.Length - j);
                (_tied[j], _tied[pick]) = (_tied[pick], _tied[j]);
                winners |= 1UL << _tied[j];
            }
            _allocator.ApplyTieOutcome(_award, winners);
        }
    }
}

