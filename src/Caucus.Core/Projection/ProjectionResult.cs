using System.Collections.Immutable;
using Caucus.Core.Arithmetic;

namespace Caucus.Core.Projection;

/// <summary>A central interval of the simulated draws (5th to 95th percentile for the 90% interval).</summary>
public readonly record struct Interval(double Low, double High)
{
    public bool Contains(double value) => Low <= value && value <= High;
}

/// <summary>What has reported: precincts (with satellites), and the share of all county delegates they elect.</summary>
public sealed record ReportingShare(int PrecinctsReporting, int Precincts, int SatellitesReporting, int Satellites, double DelegateShare)
{
    public double PrecinctShare => Precincts == 0 ? 0 : (double)PrecinctsReporting / Precincts;
}

/// <summary>
/// One candidate's projection. SDEs: the exact current (provisional) total, the mean over the draws, the 90% interval
/// and the share of draws in which the candidate finishes first (a tie for first counts as a share). Popular vote: final
/// alignment, current and projected, with its interval. Never mixed: RULES.md, "Popular vote".
/// </summary>
public sealed record CandidateProjection(
    string Name,
    Rational CurrentSde,
    double ProjectedSde,
    Interval SdeInterval90,
    double ProbabilityFirst,
    long CurrentFinalAlignment,
    double ProjectedFinalAlignment,
    Interval FinalAlignmentInterval90);

/// <summary>
/// The projection of the final result from the reports so far. <see cref="SdeLeader"/> and <see cref="PopularVoteLeader"/>
/// are the leaders of the projected means; <see cref="ProbabilityLeadersDiffer"/> is the share of draws in which the SDE
/// winner is not the final-alignment winner.
/// </summary>
public sealed record ProjectionResult(
    int Draws,
    ulong Seed,
    ReportingShare Reporting,
    ImmutableArray<CandidateProjection> Candidates,
    double TotalSde,
    string SdeLeader,
    string PopularVoteLeader,
    double ProbabilityLeadersDiffer)
{
    /// <summary>
    /// Why the projection differs from the count so far, in one sentence for the war room: what the uncounted precincts
    /// are (how many, how much of their delegates lie in the biggest counties, satellites) and who leads in them in the
    /// draws (final alignment). Empty when everything has reported.
    /// </summary>
    public string Why { get; init; } = "";

    /// <summary>The cross-validated spread calibration this projection used (<see cref="Projection.Calibration"/>).</summary>
    public Calibration.Result? Calibration { get; init; }

    public CandidateProjection this[string name] => Candidates.Single(c => c.Name == name);

    /// <summary>A candidate's projected share of all SDEs.</summary>
    public double ProjectedSdeShare(string name) => TotalSde == 0 ? 0 : this[name].ProjectedSde / TotalSde;
}
