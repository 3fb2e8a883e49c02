namespace Caucus.Core.Projection;

/// <summary>
/// The projection model's fixed settings: prior strengths (pseudo-counts), floors under the spreads it estimates from
/// the reports, and the spreads of what the reports cannot tell it (satellites), on the log scale of a candidate's share.
/// They are set from what one expects of a caucus before any result (README, "Projection backtest", says how), not
/// fitted to the 2020 backtest; the spreads of county and district effects themselves are estimated from the reports.
/// </summary>
internal static class ModelSettings
{
    // Observed county log shares: the county's final-alignment share smoothed toward the in-state share by this many
    // attendees (a candidate nobody in the county chose yet stays finite), and never more uncertain than this variance.
    public const double ShareSmoothingAttendees = 5;
    public const double MaxLogVariance = 25;

    // The within-county spread of precinct shares: a prior of a 60% relative spread worth this many attendees.
    public const double WithinPriorWeight = 20;

    // Floors under the estimated spreads of county effects and of in-state district effects (log share): a county or a
    // district is rarely within 10% of the rest for every candidate, and one district alone cannot show how much
    // districts differ.
    public const double CountySdFloor = 0.10;
    public const double DistrictSdFloor = 0.10;

    // Priors on the state level (vague) and on the slope against log county size (ridge: about 0.3 per e-fold of size).
    public const double MuPriorSd = 3;
    public const double SlopePriorSd = 0.3;

    // A precinct's own spread of log shares about its county's when nothing has reported (no donor to copy).
    public const double PrecinctSd = 0.45;

    // Satellites, their own block: shares shrink to the in-state share, a satellite county's to its block.
    // The block's effect against the in-state level is wide (workplaces, students, Iowans abroad: another electorate);
    // a satellite group against the block.
    public const double SatelliteBlockSd = 0.5;
    public const double SatelliteCountySd = 0.3;
    public const double SatelliteSd = 0.6;

    // Attendance per county delegate (turnout ∝ D): 2020 Iowa had about 15; prior strengths in delegates.
    public const double PriorAttendeesPerDelegate = 15;
    public const double StatePseudoDelegates = 50;
    public const double DistrictPseudoDelegates = 100;
    public const double CountyPseudoDelegates = 20;
    public const double DistrictTurnoutSd = 0.1;
    public const double CountyTurnoutSd = 0.15;
    public const double PrecinctTurnoutSd = 0.3;

    // Satellite attendance barely follows their D (2020: one delegate for 3 or for 112 people): per satellite instead.
    public const double PriorAttendeesPerSatellite = 50;
    public const double SatellitePseudoCount = 5;
    public const double SatelliteTurnoutSd = 0.8;

    // Realignment: the share of non-viable groups' members who leave (2020: about 2% of attendees), and how strongly
    // a viable group's pull on them may differ from its size (pseudo-count on the observed gains).
    public const double PriorLeaveRate = 0.15;
    public const double LeaveRatePseudoMembers = 500;
    public const double PullPseudoMembers = 200;

    // The statewide draws' spread about their mean, widened by this factor before the intervals and the win probabilities
    // are read from them (both from the same widened draws). Tuned on Iowa 2020's backtest (README, "Projection
    // backtest": its 90% intervals held the final in 75–81% of the random orders at 25–75%, which a normal spread
    // 1.4 times wider would have made 90%); not refitted for Nevada, whose table is the out-of-sample check.
    public const double DrawSpreadWidening = 1.5;
}
