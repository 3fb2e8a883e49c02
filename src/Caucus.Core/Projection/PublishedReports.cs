using System.Collections.Immutable;
using Caucus.Core.Model;
using Caucus.Core.Verification;

namespace Caucus.Core.Projection;

/// <summary>A published results file as the tallies its precincts would have reported (for replaying it).</summary>
public static class PublishedReports
{
    /// <summary>
    /// Each row matched to its precinct (as <see cref="PublishedResultsVerifier"/> matches them), attendance being the
    /// first-alignment total; where the published SDEs show the outcome of a toss, it is recorded as the tie-break.
    /// </summary>
    public static ImmutableDictionary<string, Tally> Tallies(Election election, string publishedCsv)
    {
        ArgumentNullException.ThrowIfNull(election);
        var report = PublishedResultsVerifier.Verify(election, publishedCsv);
        var tallies = ImmutableDictionary.CreateBuilder<string, Tally>(StringComparer.Ordinal);
        foreach (var p in report.Precincts)
        {
            if (p.Precinct is null) continue;
            var tally = Tally.Create(p.Row.Attendance, p.Row.First, p.Row.Final);
            tallies[p.Precinct.Id] = p.Verdict?.TieOutcome is { } outcome ? tally.WithTieBreaks([outcome]) : tally;
        }
        return tallies.ToImmutable();
    }
}
