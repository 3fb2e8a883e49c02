using System.Collections.Immutable;
using System.Text;
using Caucus.Core.Aggregation;
using Caucus.Core.Arithmetic;
using Caucus.Core.Model;
using Caucus.Core.Verification;

namespace Caucus.Core.Rules.Iowa2020;

/// <summary>
/// Recomputes a published results file with the election's rule set and says, per precinct, whether
/// the published SDEs follow from the alignments. Published SDEs are turned back into county delegates
/// (one delegate is the precinct's SDE step), then compared as a chair's reported delegates are.
/// </summary>
public static class PublishedResultsVerifier
{
    public static VerificationReport Verify(Election election, string publishedCsv)
    {
        ArgumentNullException.ThrowIfNull(election);
        var (rows, errors, _) = PublishedResults.Parse(publishedCsv);
        var index = election.Precincts.ToLookup(p => Key(p.County, p.Name));
        // Satellite weights depend on the attendance of every satellite in the group (RULES.md).
        var satelliteAttendance = rows.GroupBy(r => r.County, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Sum(r => (long)r.Attendance), StringComparer.Ordinal);

        var aggregate = new ResultsAggregate(election);
        var verified = ImmutableArray.CreateBuilder<VerifiedPrecinct>();
        var counted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            var precinct = index[Key(row.County, row.Precinct)].FirstOrDefault(p => !counted.Contains(p.Id));
            if (precinct is null)
            {
                verified.Add(new VerifiedPrecinct(row, null, null));
                continue;
            }
            counted.Add(precinct.Id);
            var county = election.CountyOf(precinct);
            var tally = Tally.Create(row.Attendance, row.First, row.Final);
            var computed = election.RuleSet.Allocate(precinct.Delegates, tally);
            var step = DelegateStep(election.RuleSet.SatelliteWeighting, precinct, county, row, satelliteAttendance);
            ConsistencyVerdict verdict;
            var whole = TryPublishedDelegates(row, step, exact: precinct.Kind == PrecinctKind.Precinct, out var published);
            if (!whole)
            {
                verdict = new(ConsistencyStatus.Inconsistent, InconsistencyReason.NotWholeDelegates,
                    Details: string.Join("; ", row.Sde.Where(s => !s.Value.IsZero).Select(s => $"{s.Key} {s.Value.ToDecimalString(4)}")));
            }
            else
            {
                verdict = ConsistencyCheck.Compare(election.RuleSet, precinct.Delegates, tally, computed, published);
            }
            verified.Add(new VerifiedPrecinct(row, precinct, verdict, whole ? published.ToImmutableSortedDictionary(StringComparer.Ordinal) : null));
            // The recomputed totals use the recorded game-of-chance outcome where the published numbers show one.
            var countedTally = verdict.TieOutcome is { } outcome ? tally.WithTieBreaks([outcome]) : tally;
            aggregate.Apply(PrecinctResult.Compute(election, precinct, countedTally));
        }

        var other = election.RuleSet.SatelliteWeighting == SatelliteWeighting.Attendance ? SatelliteWeighting.Delegates : SatelliteWeighting.Attendance;
        var publishedSde = election.Candidates.ToImmutableSortedDictionary(c => c,
            c => Rational.Sum(rows.Select(r => r.Sde.GetValueOrDefault(c))), StringComparer.Ordinal);
        return new VerificationReport(verified.ToImmutable(), [.. errors], aggregate.Statewide(), aggregate.Statewide(other), publishedSde);
    }

    /// <summary>The SDEs one county delegate is worth in this precinct or satellite.</summary>
    private static Rational DelegateStep(SatelliteWeighting weighting, Precinct precinct, County county, PublishedRow row,
        Dictionary<string, long> satelliteAttendance)
    {
        if (precinct.Kind != PrecinctKind.Satellite || weighting == SatelliteWeighting.Delegates)
        {
            return county.SdePerDelegate;
        }
        var groupAttendance = satelliteAttendance.GetValueOrDefault(row.County);
        return precinct.Delegates == 0 || groupAttendance == 0
            ? Rational.Zero
            : county.StateDelegates * new Rational(row.Attendance, (long)precinct.Delegates * groupAttendance);
    }

    /// <summary>
    /// Turns published 4-place SDEs back into whole delegates; false when one is not a whole number of steps.
    /// Precincts must match to the published digit. Satellites get a quarter-step tolerance: the party's
    /// group attendance differs by a few people from the first-alignment totals of the file
    /// (elections/iowa-2020/README.md), which moves their SDEs slightly but never by a delegate.
    /// </summary>
    private static bool TryPublishedDelegates(PublishedRow row, Rational step, bool exact, out Dictionary<string, int> delegates)
    {
        delegates = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (group, sde) in row.Sde)
        {
            if (sde.IsZero) continue;
            if (step.IsZero) return false;
            var n = (sde / step).RoundHalfUp();
            var whole = exact
                ? (Rational.FromInteger(n) * step).ToDecimalString(4) == sde.ToDecimalString(4)
                : Abs(sde / step - Rational.FromInteger(n)) <= QuarterStep;
            if (n.IsZero || !whole) return false;
            delegates[group] = (int)n;
        }
        return true;
    }

    private static readonly Rational QuarterStep = new(1, 4);

    private static Rational Abs(Rational r) => r.Sign < 0 ? -r : r;

    /// <summary>Names are matched ignoring case, spacing and punctuation differences.</summary>
    public static string Key(string county, string name) => $"{Normalize(county)}|{Normalize(name)}";

    private static string Normalize(string s)
    {
        var b = new StringBuilder(s.Length);
        foreach (var ch in s.ToUpperInvariant())
        {
            if (char.IsLetterOrDigit(ch)) b.Append(ch);
        }
        return b.ToString();
    }
}
