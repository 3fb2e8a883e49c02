using Caucus.Core.Model;
using Caucus.Core.Rules;
using static Caucus.Core.Projection.ModelSettings;

namespace Caucus.Core.Projection;

/// <summary>
/// What the reports so far say about the precincts still out, as the simulation's centre and spreads.
/// Shares (final alignment, per candidate on the log scale; the simulation swings reported precincts' alignments by
/// them) follow a hierarchical normal model: the log share in county i is
///     η_i = μ + β·x_i + δ_g(i) + u_i,
/// with x_i the county's log size (its county delegates, the party's own apportionment by past Democratic strength,
/// centred), δ_g a district effect (g: the county's congressional district; satellites are a group of their own,
/// RULES.md "Satellite caucuses") with spread τ_g, and u_i a county effect with spread τ_c. A reported county's
/// observed log share is η_i plus sampling noise whose variance s_i² comes from the spread of its reported precincts
/// (pooled within counties) over their effective number. μ and β get a generalised-least-squares fit with the district
/// effects integrated out (a ridge prior keeps β sane when the reported counties span few sizes); δ and u are their
/// posterior draws given μ and β. So an unreported precinct is driven by its own county's reports (weighted by how much
/// of the county has reported), then its district's, then the state's, and a district nobody has reported from gets
/// the full district spread on top of the uncertainty of the state level — which is what keeps the intervals honest
/// when one region reports first. τ_c and τ_g are estimated from the reports (method of moments: the spread of county
/// residuals and of district means beyond their sampling noise), never below floors (ModelSettings). Turnout:
/// attendance per county delegate, shrunk county → district → state; per satellite for satellites. Realignment: the
/// leave rate and each group's pull on non-viable members.
/// </summary>
internal sealed class SwingModel
{

    public required int CandidateCount { get; init; }
    public required int[] CountyDistrict { get; init; }

    /// <summary>Each county's share group: its district's index for in-state counties, the district count for satellites.</summary>
    public required int[] CountyGroup { get; init; }
    public required int GroupCount { get; init; }
    public required double[] CountyX { get; init; }

    /// <summary>The posterior-mean log share of each county (for swinging its precincts as donors), [county][candidate].</summary>
    public required double[][] CountyLogShare { get; init; }

    /// <summary>Per candidate: the fitted state level μ and size slope β, and the Cholesky factor of their covariance.</summary>
    public required double[] Mu { get; init; }
    public required double[] Beta { get; init; }
    public required double[] CholMu { get; init; }
    public required double[] CholCross { get; init; }
    public required double[] CholBeta { get; init; }

    /// <summary>Per group × candidate: Σw, Σw·y, Σw·x over its reported counties, the shrinkage gain τ²/(1 + τ²Σw) and the posterior sd.</summary>
    public required double[] GroupW { get; init; }
    public required double[] GroupWy { get; init; }
    public required double[] GroupWx { get; init; }
    public required double[] GroupGain { get; init; }
    public required double[] GroupSd { get; init; }

    /// <summary>Per county × candidate: the observed log share, its weight λ = τ_c²/(τ_c² + s²) (0 when unreported) and the posterior sd of u.</summary>
    public required double[] CountyY { get; init; }
    public required double[] CountyLambda { get; init; }
    public required double[] CountySd { get; init; }

    /// <summary>The estimated spreads per candidate (for diagnostics): county and in-state district.</summary>
    public required double[] TauCounty { get; init; }
    public required double[] TauDistrict { get; init; }

    public required double[] CountyAttendance { get; init; }
    public required double[] CountyTurnoutSd { get; init; }
    public required double[] DistrictTurnoutSd { get; init; }
    public required double LeaveRate { get; init; }
    public required double[] Pull { get; init; }

    /// <param name="names">Candidates in ordinal order (the simulation's group order).</param>
    /// <param name="counties">The election's counties; <paramref name="districtOf"/> gives each one's district index.</param>
    /// <param name="reported">The reported precincts with their tallies, in the election's precinct order.</param>
    /// <param name="countyOffset">
    /// Per county × candidate, what its reported precincts' covariates already explain of its log share (Covariates):
    /// taken off the observed log share, so the county model pools what is left.
    /// </param>
    public static SwingModel Estimate(Election election, string[] names, int[] districtOf, int districtCount,
        IReadOnlyList<(Precinct Precinct, int County, Tally Tally)> reported, double[]? countyOffset = null)
    {
        var counties = election.Counties;
        int n = counties.Length, k = names.Length;
        var groupCount = districtCount + 1;
        var group = new int[n];
        for (var i = 0; i < n; i++) group[i] = counties[i].IsSatelliteCounty ? districtCount : districtOf[i];

        // Per county: final-alignment totals, attendance, delegates, reports; Σ T_p and Σ T_p² for the effective count.
        var first = new double[n][];
        var attendees = new double[n];
        var delegates = new double[n];
        var reports = new double[n];
        var total = new double[n];
        var totalSq = new double[n];
        for (var i = 0; i < n; i++) first[i] = new double[k];
        foreach (var (precinct, county, tally) in reported)
        {
            double t = 0;
            for (var c = 0; c < k; c++)
            {
                first[county][c] += tally.FinalOf(names[c]);
                t += tally.FinalOf(names[c]);
            }
            attendees[county] += tally.Attendees;
            delegates[county] += precinct.Delegates;
            reports[county] += 1;
            total[county] += t;
            totalSq[county] += t * t;
        }
        var inState = Enumerable.Range(0, n).Where(i => !counties[i].IsSatelliteCounty).ToArray();
        var satellite = Enumerable.Range(0, n).Where(i => counties[i].IsSatelliteCounty).ToArray();

        // County size: log of its county delegates, centred on the in-state mean.
        var x = new double[n];
        var meanLogSize = inState.Length == 0 ? 0 : inState.Average(i => Math.Log(1 + counties[i].CountyDelegates));
        foreach (var i in inState) x[i] = Math.Log(1 + counties[i].CountyDelegates) - meanLogSize;

        // Pooled shares: in-state, and each candidate's within-county spread of precinct shares (share units).
        var stateFirst = new double[k];
        foreach (var i in inState) for (var c = 0; c < k; c++) stateFirst[c] += first[i][c];
        var stateTotal = stateFirst.Sum();
        var stateShare = new double[k];
        for (var c = 0; c < k; c++) stateShare[c] = (stateFirst[c] + 0.5) / (stateTotal + 0.5 * k);
        var withinSs = new double[2 * k];
        var withinDf = new double[2];
        foreach (var (_, county, tally) in reported)
        {
            double t = 0;
            for (var c = 0; c < k; c++) t += tally.FinalOf(names[c]);
            if (t == 0 || total[county] == 0) continue;
            var s = counties[county].IsSatelliteCounty ? 1 : 0;
            for (var c = 0; c < k; c++)
            {
                var dev = tally.FinalOf(names[c]) / t - first[county][c] / total[county];
                withinSs[s * k + c] += t * dev * dev;
            }
        }
        for (var i = 0; i < n; i++)
        {
            if (total[i] > 0) withinDf[counties[i].IsSatelliteCounty ? 1 : 0] += total[i] - totalSq[i] / total[i];
        }

        var logShare = new double[n][];
        for (var i = 0; i < n; i++) logShare[i] = new double[k];
        var model = new
        {
            Mu = new double[k], Beta = new double[k], CholMu = new double[k], CholCross = new double[k], CholBeta = new double[k],
            GroupW = new double[groupCount * k], GroupWy = new double[groupCount * k], GroupWx = new double[groupCount * k],
            GroupGain = new double[groupCount * k], GroupSd = new double[groupCount * k],
            CountyY = new double[n * k], CountyLambda = new double[n * k], CountySd = new double[n * k],
            TauCounty = new double[k], TauDistrict = new double[k],
        };

        // Observed log shares and their sampling variance: σ²/n_eff in share units (precincts pooled within counties,
        // with a weak prior of a 60% relative spread), over the share squared on the log scale, plus a binomial term.
        var y = new double[k][];
        var s2 = new double[k][];
        for (var c = 0; c < k; c++)
        {
            y[c] = new double[n];
            s2[c] = new double[n];
            var prior = 0.6 * stateShare[c];
            var sigma2InState = (withinSs[c] + WithinPriorWeight * prior * prior) / (withinDf[0] + WithinPriorWeight);
            var sigma2Sat = (withinSs[k + c] + WithinPriorWeight * prior * prior) / (withinDf[1] + WithinPriorWeight);
            for (var i = 0; i < n; i++)
            {
                if (total[i] == 0)
                {
                    s2[c][i] = double.PositiveInfinity;
                    continue;
                }
                var q = (first[i][c] + ShareSmoothingAttendees * stateShare[c]) / (total[i] + ShareSmoothingAttendees);
                y[c][i] = Math.Log(q) - (countyOffset?[i * k + c] ?? 0);
                var nEff = total[i] * total[i] / totalSq[i];
                var sigma2 = counties[i].IsSatelliteCounty ? sigma2Sat : sigma2InState;
                s2[c][i] = Math.Min(MaxLogVariance, sigma2 / (nEff * q * q) + (1 - q) / (q * (total[i] + ShareSmoothingAttendees)));
            }
        }

        // Spreads by the method of moments, iterated with the fits: each candidate's county spread from its county
        // residuals about their districts; one district spread for the candidates with at least 5% (districts move all
        // of them at once, and four districts are too few to estimate it candidate by candidate), from the district means
        // that are known to better than the floor; a smaller candidate takes the larger of that and its own.
        var tauC2 = Enumerable.Repeat(CountySdFloor * CountySdFloor, k).ToArray();
        var tauD2 = Enumerable.Repeat(DistrictSdFloor * DistrictSdFloor, k).ToArray();
        var fits = new CandidateFit[k];
        for (var iteration = 0; iteration < 5; iteration++)
        {
            double pooledNum = 0, pooledDen = 0;
            var pooledDistricts = 0;
            for (var c = 0; c < k; c++)
            {
                fits[c] = CandidateFit.Run(y[c], s2[c], x, group, counties, districtCount, tauC2[c], tauD2[c], k);
                var (cNum, cDen, dNum, dDen, districts) = fits[c].Moments(y[c], s2[c], x, group, inState, districtCount);
                tauC2[c] = Math.Max(CountySdFloor * CountySdFloor, cDen > 0 ? cNum / cDen : 0);
                var own = districts >= 2 ? dNum / dDen * districts / (districts - 1) : 0;
                fits[c].OwnTauD2 = own;
                if (stateShare[c] >= 0.05 && districts >= 2)
                {
                    pooledNum += dNum / dDen * districts / (districts - 1);
                    pooledDen += 1;
                    pooledDistricts = districts;
                }
            }
            var pooled = pooledDen > 0 && pooledDistricts >= 2 ? pooledNum / pooledDen : 0;
            for (var c = 0; c < k; c++)
            {
                tauD2[c] = Math.Max(DistrictSdFloor * DistrictSdFloor, stateShare[c] >= 0.05 ? pooled : Math.Max(pooled, fits[c].OwnTauD2));
            }
        }

        for (var c = 0; c < k; c++)
        {
            var fit = CandidateFit.Run(y[c], s2[c], x, group, counties, districtCount, tauC2[c], tauD2[c], k);
            model.Mu[c] = fit.Mu;
            model.Beta[c] = fit.Beta;
            model.CholMu[c] = Math.Sqrt(fit.M11);
            model.CholCross[c] = fit.M12 / Math.Sqrt(fit.M11);
            model.CholBeta[c] = Math.Sqrt(Math.Max(0, fit.M22 - fit.M12 * fit.M12 / fit.M11));
            model.TauCounty[c] = Math.Sqrt(tauC2[c]);
            model.TauDistrict[c] = Math.Sqrt(tauD2[c]);
            var groupDelta = new double[groupCount];
            for (var g = 0; g < groupCount; g++)
            {
                model.GroupW[g * k + c] = fit.GroupW[g];
                model.GroupWy[g * k + c] = fit.GroupWy[g];
                model.GroupWx[g * k + c] = fit.GroupWx[g];
                model.GroupGain[g * k + c] = fit.Gain[g];
                model.GroupSd[g * k + c] = Math.Sqrt(fit.Gain[g]);
                groupDelta[g] = fit.Delta(g);
            }
            for (var i = 0; i < n; i++)
            {
                var tc2 = counties[i].IsSatelliteCounty ? SatelliteCountySd * SatelliteCountySd : tauC2[c];
                var reportedHere = !double.IsPositiveInfinity(s2[c][i]);
                var lambda = reportedHere ? tc2 / (tc2 + s2[c][i]) : 0;
                model.CountyY[i * k + c] = reportedHere ? y[c][i] : 0;
                model.CountyLambda[i * k + c] = lambda;
                model.CountySd[i * k + c] = Math.Sqrt(tc2 * (1 - lambda));
                var centre = fit.Mu + fit.Beta * x[i] + groupDelta[group[i]];
                logShare[i][c] = centre + lambda * (model.CountyY[i * k + c] - centre);
            }
        }

        // Turnout. In-state: attendance per county delegate, county → district → state.
        var stateRate = (inState.Sum(i => attendees[i]) + StatePseudoDelegates * PriorAttendeesPerDelegate)
            / (inState.Sum(i => delegates[i]) + StatePseudoDelegates);
        var districtAtt = new double[districtCount];
        var districtDel = new double[districtCount];
        foreach (var i in inState)
        {
            districtAtt[districtOf[i]] += attendees[i];
            districtDel[districtOf[i]] += delegates[i];
        }
        var districtTurnoutSd = new double[districtCount];
        for (var d = 0; d < districtCount; d++)
        {
            districtTurnoutSd[d] = ModelSettings.DistrictTurnoutSd * Math.Sqrt(DistrictPseudoDelegates / (districtDel[d] + DistrictPseudoDelegates));
        }
        var attendance = new double[n];
        var turnoutSd = new double[n];
        foreach (var i in inState)
        {
            var d = districtOf[i];
            var districtRate = (districtAtt[d] + DistrictPseudoDelegates * stateRate) / (districtDel[d] + DistrictPseudoDelegates);
            attendance[i] = (attendees[i] + CountyPseudoDelegates * districtRate) / (delegates[i] + CountyPseudoDelegates);
            turnoutSd[i] = ModelSettings.CountyTurnoutSd * Math.Sqrt(CountyPseudoDelegates / (delegates[i] + CountyPseudoDelegates));
        }
        // Satellites: attendance per satellite, satellite county → block.
        var satReports = satellite.Sum(i => reports[i]);
        var blockAttendance = (satellite.Sum(i => attendees[i]) + SatellitePseudoCount * PriorAttendeesPerSatellite) / (satReports + SatellitePseudoCount);
        foreach (var i in satellite)
        {
            attendance[i] = (attendees[i] + SatellitePseudoCount * blockAttendance) / (reports[i] + SatellitePseudoCount);
            turnoutSd[i] = SatelliteTurnoutSd;
        }

        var (leaveRate, pull) = Realignment(election.RuleSet, names, reported);
        return new SwingModel
        {
            CandidateCount = k,
            CountyDistrict = districtOf,
            CountyGroup = group,
            GroupCount = groupCount,
            CountyX = x,
            CountyLogShare = logShare,
            Mu = model.Mu,
            Beta = model.Beta,
            CholMu = model.CholMu,
            CholCross = model.CholCross,
            CholBeta = model.CholBeta,
            GroupW = model.GroupW,
            GroupWy = model.GroupWy,
            GroupWx = model.GroupWx,
            GroupGain = model.GroupGain,
            GroupSd = model.GroupSd,
            CountyY = model.CountyY,
            CountyLambda = model.CountyLambda,
            CountySd = model.CountySd,
            TauCounty = model.TauCounty,
            TauDistrict = model.TauDistrict,
            CountyAttendance = attendance,
            CountyTurnoutSd = turnoutSd,
            DistrictTurnoutSd = districtTurnoutSd,
            LeaveRate = leaveRate,
            Pull = pull,
        };
    }

    /// <summary>
    /// One candidate's generalised-least-squares fit of μ and β with the group (district) effects integrated out
    /// (Sherman–Morrison on each group's block), under vague and ridge priors; the per-group sums the draws need.
    /// </summary>
    private sealed class CandidateFit
    {
        public double Mu, Beta, M11, M12, M22, OwnTauD2;
        public required double[] GroupW, GroupWy, GroupWx, Gain, Weight;

        public double Delta(int g) => Gain[g] * (GroupWy[g] - Mu * GroupW[g] - Beta * GroupWx[g]);

        public static CandidateFit Run(double[] y, double[] s2, double[] x, int[] group, System.Collections.Immutable.ImmutableArray<County> counties,
            int districtCount, double tauC2, double tauD2, int k)
        {
            var groupCount = districtCount + 1;
            var fit = new CandidateFit
            {
                GroupW = new double[groupCount], GroupWy = new double[groupCount], GroupWx = new double[groupCount],
                Gain = new double[groupCount], Weight = new double[y.Length],
            };
            double a11 = 1 / (MuPriorSd * MuPriorSd), a12 = 0, a22 = 1 / (SlopePriorSd * SlopePriorSd);
            double b1 = Math.Log(1.0 / k) / (MuPriorSd * MuPriorSd), b2 = 0;
            for (var i = 0; i < y.Length; i++)
            {
                if (double.IsPositiveInfinity(s2[i])) continue;
                var w = 1 / (s2[i] + (counties[i].IsSatelliteCounty ? SatelliteCountySd * SatelliteCountySd : tauC2));
                fit.Weight[i] = w;
                var g = group[i];
                fit.GroupW[g] += w;
                fit.GroupWy[g] += w * y[i];
                fit.GroupWx[g] += w * x[i];
                a11 += w;
                a12 += w * x[i];
                a22 += w * x[i] * x[i];
                b1 += w * y[i];
                b2 += w * x[i] * y[i];
            }
            for (var g = 0; g < groupCount; g++)
            {
                var tau2 = g == districtCount ? SatelliteBlockSd * SatelliteBlockSd : tauD2;
                var gain = tau2 / (1 + tau2 * fit.GroupW[g]);
                fit.Gain[g] = gain;
                a11 -= gain * fit.GroupW[g] * fit.GroupW[g];
                a12 -= gain * fit.GroupW[g] * fit.GroupWx[g];
                a22 -= gain * fit.GroupWx[g] * fit.GroupWx[g];
                b1 -= gain * fit.GroupW[g] * fit.GroupWy[g];
                b2 -= gain * fit.GroupWx[g] * fit.GroupWy[g];
            }
            var det = a11 * a22 - a12 * a12;
            fit.M11 = a22 / det;
            fit.M12 = -a12 / det;
            fit.M22 = a11 / det;
            fit.Mu = fit.M11 * b1 + fit.M12 * b2;
            fit.Beta = fit.M12 * b1 + fit.M22 * b2;
            return fit;
        }

        /// <summary>
        /// Method-of-moments sums: county residuals about their district (Σw(r² − s²), Σw), and the squared mean residuals
        /// of the in-state districts known to better than the district floor, less their sampling variance.
        /// </summary>
        public (double CNum, double CDen, double DNum, double DDen, int Districts) Moments(double[] y, double[] s2, double[] x, int[] group,
            int[] inState, int districtCount)
        {
            double cNum = 0, cDen = 0, dNum = 0, dDen = 0;
            var districts = 0;
            foreach (var i in inState)
            {
                if (Weight[i] == 0) continue;
                var r = y[i] - Mu - Beta * x[i] - Delta(group[i]);
                cNum += Weight[i] * (r * r - s2[i]);
                cDen += Weight[i];
            }
            for (var g = 0; g < districtCount; g++)
            {
                if (GroupW[g] * DistrictSdFloor * DistrictSdFloor < 1) continue;
                var mean = (GroupWy[g] - Mu * GroupW[g] - Beta * GroupWx[g]) / GroupW[g];
                districts++;
                dNum += mean * mean - 1 / GroupW[g];
                dDen += 1;
            }
            return (cNum, cDen, dNum, dDen, districts);
        }
    }

    /// <summary>
    /// From the reported precincts: what share of the members of groups not viable in first alignment left, and how much
    /// more (or less) than its size each viable group gained from them.
    /// </summary>
    private static (double LeaveRate, double[] Pull) Realignment(IRuleSet rules, string[] names,
        IReadOnlyList<(Precinct Precinct, int County, Tally Tally)> reported)
    {
        var k = names.Length;
        double nonViable = 0, stayed = 0;
        var gained = new double[k];
        var expected = new double[k];
        foreach (var (precinct, _, tally) in reported)
        {
            if (precinct.Delegates < 2) continue;
            var threshold = rules.ViabilityThreshold(precinct.Delegates, tally.Attendees);
            double lost = 0, viableFirst = 0, gains = 0;
            for (var c = 0; c < k; c++)
            {
                var f = tally.FirstOf(names[c]);
                if (f >= threshold && f > 0)
                {
                    viableFirst += f;
                    gains += Math.Max(0, tally.FinalOf(names[c]) - f);
                }
                else
                {
                    lost += f;
                }
            }
            if (lost == 0 || viableFirst == 0) continue;
            nonViable += lost;
            stayed += Math.Min(lost, gains);
            for (var c = 0; c < k; c++)
            {
                var f = tally.FirstOf(names[c]);
                if (f < threshold || f == 0) continue;
                gained[c] += Math.Max(0, tally.FinalOf(names[c]) - f);
                expected[c] += gains * f / viableFirst;
            }
        }
        var leaveRate = ((nonViable - stayed) + LeaveRatePseudoMembers * PriorLeaveRate) / (nonViable + LeaveRatePseudoMembers);
        var pull = new double[k];
        for (var c = 0; c < k; c++) pull[c] = (gained[c] + PullPseudoMembers) / (expected[c] + PullPseudoMembers);
        return (leaveRate, pull);
    }
}
