namespace Caucus.Core.Projection;

/// <summary>
/// The projection model's fixed settings: prior strengths (pseudo-counts) and the spreads of its random effects, on
/// the log scale of a candidate's share. Chosen with the 2020 backtest (README, "Projection backtest") so that the 90%
/// intervals hold the final about nine times in ten; the synthetic-election tests keep them honest elsewhere.
/// </summary>
internal static class ModelSettings
{
    // County shares: a county's reported first alignment counts against this many attendees' worth of its prior.
    public const double CountyPseudoAttendees = 400;

    // A county's regression weight: its reported attendance over this plus it (a county with a few reports weighs little).
    public const double RegressionHalfWeightAttendees = 300;

    // Ridge penalty on the slope of log share against log county size, and the district effects' shrinkage, in county weights.
    public const double SlopePenalty = 2;
    public const double DistrictPenalty = 3;

    // Spreads of the effects before any report (they shrink as reports come in).
    public const double StateSd = 0.5;
    public const double SlopeSd = 0.45;
    public const double DistrictSd = 0.3;
    public const double CountySd = 0.45;
    public const double PrecinctSd = 0.45;

    // Extra noise on a donor precinct's swung shares (its own variety already carries most precinct noise).
    public const double DonorSd = 0.2;

    // Satellites, their own block: shares shrink to the in-state share, a satellite county's to its block.
    public const double SatelliteBlockPseudoAttendees = 300;
    public const double SatelliteCountyPseudoAttendees = 150;
    public const double SatelliteBlockSd = 0.3;
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
}
