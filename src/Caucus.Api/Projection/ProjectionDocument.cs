using System.Globalization;
using Caucus.Core.Projection;

namespace Caucus.Api.Projection;

/// <summary>
/// GET /api/v1/projection: where the SDE race ends once every precinct is in, with 90% intervals and win
/// probabilities, and the projected popular vote (final alignment). <see cref="BasedOnVersion"/> is the results
/// version the projection was computed from; <see cref="Version"/> the results version when it was served.
/// </summary>
public sealed record ProjectionDocument(
    long Version,
    long BasedOnVersion,
    double ReportingShare,
    ProjectionReporting Reporting,
    IReadOnlyList<CandidateProjectionDocument> Candidates,
    string SdeLeader,
    string PopularVoteLeader,
    double ProbabilityLeadersDiffer,
    int Draws,
    ulong Seed,
    DateTimeOffset ComputedAt,
    long ComputeMilliseconds)
{
    public static ProjectionDocument From(ProjectionResult p, long basedOn, DateTimeOffset at, long milliseconds) => new(
        basedOn, basedOn, Math.Round(p.Reporting.DelegateShare, 4),
        new ProjectionReporting(p.Reporting.PrecinctsReporting, p.Reporting.Precincts, p.Reporting.SatellitesReporting, p.Reporting.Satellites),
        [.. p.Candidates.OrderByDescending(c => c.ProjectedSde).ThenBy(c => c.Name, StringComparer.Ordinal).Select(c => new CandidateProjectionDocument(
            c.Name,
            new SdeProjection(c.CurrentSde.ToDecimalString(4), Sde(c.ProjectedSde), Sde(c.SdeInterval90.Low), Sde(c.SdeInterval90.High)),
            Math.Round(c.ProbabilityFirst, 4),
            new VoteProjection(c.CurrentFinalAlignment, Math.Round(c.ProjectedFinalAlignment), Math.Round(c.FinalAlignmentInterval90.Low),
                Math.Round(c.FinalAlignmentInterval90.High))))],
        p.SdeLeader, p.PopularVoteLeader, Math.Round(p.ProbabilityLeadersDiffer, 4), p.Draws, p.Seed, at, milliseconds) { Why = p.Why };

    /// <summary>One sentence: what the uncounted precincts are and who leads in them in the draws (ProjectionResult.Why).</summary>
    public string Why { get; init; } = "";

    // Projected figures are estimates (floating point by nature), shown to the same 4 places as exact SDEs.
    private static string Sde(double value) => value.ToString("F4", CultureInfo.InvariantCulture);
}

/// <summary>Precincts (of which satellites) reporting when the projection was made.</summary>
public sealed record ProjectionReporting(int Precincts, int PrecinctTotal, int Satellites, int SatelliteTotal);

public sealed record CandidateProjectionDocument(string Name, SdeProjection Sde, double WinProbability, VoteProjection FinalAlignment);

/// <summary>Current (exact, provisional where tosses are pending), projected final, and the 90% interval.</summary>
public sealed record SdeProjection(string Current, string Projected, string Low, string High);

public sealed record VoteProjection(long Current, double Projected, double Low, double High);
