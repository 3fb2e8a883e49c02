using System.Collections.Immutable;
using Caucus.Core.Aggregation;
using Caucus.Core.Arithmetic;

namespace Caucus.Core.Verification;

/// <summary>
/// The result of recomputing a published results file: a verdict per row, the statewide totals
/// recomputed (official satellite weighting and, where the rule set weights satellites, the other reading) and the
/// published ones (<see cref="PublishedSde"/>: the file's headline units, SDEs for Iowa, county delegates for Nevada).
/// </summary>
public sealed record VerificationReport(
    ImmutableArray<VerifiedPrecinct> Precincts,
    ImmutableArray<PublishedRowError> Errors,
    ResultsTotals Recomputed,
    ResultsTotals? RecomputedOtherWeighting,
    ImmutableSortedDictionary<string, Rational> PublishedSde)
{
    public IEnumerable<(string Status, int Count)> CountsByStatus =>
        Precincts.GroupBy(p => p.Status).Select(g => (g.Key, g.Count())).OrderByDescending(x => x.Item2);

    public IEnumerable<(string Reason, int Count)> CountsByReason =>
        Precincts.Where(p => p.Precinct is null || p.Verdict?.Status == ConsistencyStatus.Inconsistent)
            .GroupBy(p => p.Verdict?.Reason?.Describe() ?? VerifiedPrecinct.NotInElection)
            .Select(g => (g.Key, g.Count())).OrderByDescending(x => x.Item2);
}
