using Caucus.Core.Model;
using Caucus.Core.Rules;
using static Caucus.Core.Projection.ModelSettings;

namespace Caucus.Core.Projection;

/// <summary>
/// What the reports so far say about the precincts still out, as the simulation's centre and spreads.
/// Shares (final alignment, per candidate on the log scale; the simulation swings reported precincts' alignments by them):
/// log share in county k = α + β·x_k + δ_district + u_k, where x_k is the county's log size (its county delegates,
/// the party's own apportionment by past Democratic strength), fitted by weighted ridge regression over the reported
/// counties; δ is the district's shrunk mean residual and u_k the county's, shrunk by its reported attendance. So an
/// unreported county borrows from counties of its size and from its district, and a county that has reported much
/// is projected from its own reports. Satellites are their own block (RULES.md, "Satellite caucuses"): shares shrink
/// to the block and the block to the in-state share. Turnout: attendance per county delegate, shrunk county → district
/// → state; per satellite for satellites. Realignment: the leave rate and each group's pull on non-viable members.
/// </summary>
internal sealed class SwingModel
{
    public required int CandidateCount { get; init; }
    public required int[] CountyDistrict { get; init; }
    public required double[] CountyX { get; init; }
    public required double[][] CountyLogShare { get; init; }
    public required double[] CountyPriorScale { get; init; }
    public required double[] CountyEffectSd { get; init; }
    public required double[] DistrictPriorScale { get; init; }
    public required double[] DistrictEffectSd { get; init; }
    public required double StateEffectSd { get; init; }
    public required double SlopeEffectSd { get; init; }
    public required double SatelliteBlockEffectSd { get; init; }
    public required double[] CountyAttendance { get; init; }
    public required double[] CountyTurnoutSd { get; init; }
    public required double[] DistrictTurnoutSd { get; init; }
    public required double LeaveRate { get; init; }
    public required double[] Pull { get; init; }

    /// <param name="names">Candidates in ordinal order (the simulation's group order).</param>
    /// <param name="counties">The election's counties; <paramref name="districtOf"/> gives each one's district index.</param>
    /// <param name="reported">The reported precincts with their tallies, in the election's precinct order.</param>
    public static SwingModel Estimate(Election election, string[] names, int[] districtOf, int districtCount,
        IReadOnlyList<(Precinct Precinct, int County, Tally Tally)> reported)
    {
        var counties = election.Counties;
        int n = counties.Length, k = names.Length;
        var first = new double[n][];
        var attendees = new double[n];
        var delegates = new double[n];
        var reports = new double[n];
        for (var i = 0; i < n; i++) first[i] = new double[k];
        foreach (var (precinct, county, tally) in reported)
        {
            for (var c = 0; c < k; c++) first[county][c] += tally.FinalOf(names[c]);
            attendees[county] += tally.Attendees;
            delegates[county] += precinct.Delegates;
            reports[county] += 1;
        }
        var inState = Enumerable.Range(0, n).Where(i => !counties[i].IsSatelliteCounty).ToArray();
        var satellite = Enumerable.Range(0, n).Where(i => counties[i].IsSatelliteCounty).ToArray();

        // County size: log of its county delegates, centred on the in-state mean.
        var x = new double[n];
        var meanLogSize = inState.Length == 0 ? 0 : inState.Average(i => Math.Log(1 + counties[i].CountyDelegates));
        foreach (var i in inState) x[i] = Math.Log(1 + counties[i].CountyDelegates) - meanLogSize;

        var logShare = new double[n][];
        for (var i = 0; i < n; i++) logShare[i] = new double[k];
        var countyPrior = new double[n];
        var countySd = new double[n];
        var districtPrior = new double[districtCount];
        var districtSd = new double[districtCount];

        // Regression weights and the spread of what the regression leaves to districts and counties.
        var weight = new double[n];
        foreach (var i in inState)
        {
            var total = first[i].Sum();
            weight[i] = total / (total + RegressionHalfWeightAttendees);
            var rho = total / (total + CountyPseudoAttendees);
            countyPrior[i] = 1 - rho;
            countySd[i] = CountySd * Math.Sqrt(1 - rho);
        }
        var weightSum = inState.Sum(i => weight[i]);
        var xBar = weightSum == 0 ? 0 : inState.Sum(i => weight[i] * x[i]) / weightSum;
        var sxx = inState.Sum(i => weight[i] * (x[i] - xBar) * (x[i] - xBar));
        var districtWeight = new double[districtCount];
        foreach (var i in inState) districtWeight[districtOf[i]] += weight[i];
        for (var d = 0; d < districtCount; d++)
        {
            var rho = districtWeight[d] / (districtWeight[d] + DistrictPenalty);
            districtPrior[d] = 1 - rho;
            districtSd[d] = DistrictSd * Math.Sqrt(1 - rho);
        }

        var stateFirst = new double[k];
        foreach (var i in inState) for (var c = 0; c < k; c++) stateFirst[c] += first[i][c];
        var stateTotal = stateFirst.Sum();
        var y = new double[n];
        for (var c = 0; c < k; c++)
        {
            // Smoothed log shares: half a supporter per group keeps a candidate nobody chose yet finite.
            foreach (var i in inState) y[i] = Math.Log((first[i][c] + 0.5) / (first[i].Sum() + 0.5 * k));
            var yBar = weightSum == 0 ? Math.Log(1.0 / k) : inState.Sum(i => weight[i] * y[i]) / weightSum;
            var beta = inState.Sum(i => weight[i] * (x[i] - xBar) * (y[i] - yBar)) / (sxx + SlopePenalty);
            var alpha = yBar - beta * xBar;
            var districtSum = new double[districtCount];
            foreach (var i in inState) districtSum[districtOf[i]] += weight[i] * (y[i] - alpha - beta * x[i]);
            foreach (var i in inState)
            {
                var d = districtOf[i];
                var prior = alpha + beta * x[i] + districtSum[d] / (districtWeight[d] + DistrictPenalty);
                var rho = 1 - countyPrior[i];
                // The county's own reports where it has many, its prior where it has few.
                logShare[i][c] = rho * y[i] + (1 - rho) * prior;
            }
        }

        // Satellites: the block's share shrinks to the in-state share, each satellite county's to the block's.
        var satFirst = new double[k];
        foreach (var i in satellite) for (var c = 0; c < k; c++) satFirst[c] += first[i][c];
        var satTotal = satFirst.Sum();
        var inStateShare = new double[k];
        for (var c = 0; c < k; c++) inStateShare[c] = (stateFirst[c] + 0.5) / (stateTotal + 0.5 * k);
        var blockShare = new double[k];
        for (var c = 0; c < k; c++)
        {
            blockShare[c] = (satFirst[c] + SatelliteBlockPseudoAttendees * inStateShare[c]) / (satTotal + SatelliteBlockPseudoAttendees);
        }
        foreach (var i in satellite)
        {
            var total = first[i].Sum();
            for (var c = 0; c < k; c++)
            {
                logShare[i][c] = Math.Log((first[i][c] + SatelliteCountyPseudoAttendees * blockShare[c]) / (total + SatelliteCountyPseudoAttendees));
            }
            var rho = total / (total + SatelliteCountyPseudoAttendees);
            countyPrior[i] = 1 - rho;
            countySd[i] = SatelliteCountySd * Math.Sqrt(1 - rho);
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
            CountyX = x,
            CountyLogShare = logShare,
            CountyPriorScale = countyPrior,
            CountyEffectSd = countySd,
            DistrictPriorScale = districtPrior,
            DistrictEffectSd = districtSd,
            StateEffectSd = StateSd / Math.Sqrt(1 + weightSum / 2),
            SlopeEffectSd = SlopeSd * Math.Sqrt(SlopePenalty / (sxx + SlopePenalty)),
            SatelliteBlockEffectSd = SatelliteBlockSd * Math.Sqrt(SatelliteBlockPseudoAttendees / (satTotal + SatelliteBlockPseudoAttendees)),
            CountyAttendance = attendance,
            CountyTurnoutSd = turnoutSd,
            DistrictTurnoutSd = districtTurnoutSd,
            LeaveRate = leaveRate,
            Pull = pull,
        };
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
