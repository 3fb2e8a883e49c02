using System.Collections.Immutable;
using Caucus.Core.Aggregation;
using Caucus.Core.Arithmetic;
using Caucus.Core.Model;
using Caucus.Core.Verification;

namespace Caucus.Core.Rules.Nevada2020;

/// <summary>
/// Recomputes the party's published Nevada results (<see cref="NevadaResultsFile"/>) under the election's rule set: per
/// site, whether the county delegates it reported follow from its merged alignments, N (<c>total_attendance</c>) and the
/// election folder's D. Nevada publishes county delegates themselves, so they are compared as they stand (no SDE step).
/// A site with no one in either alignment held no caucus ("not-held"); a site the folder does not have is "unknown".
/// </summary>
public sealed class NevadaResultsFormat : IPublishedResultsFormat
{
    public static NevadaResultsFormat Instance { get; } = new();

    private NevadaResultsFormat()
    {
    }

    public string Description => "the NSDP 2020 results feed (one row per site and candidate: align1, alignfinal, reported_del_given)";

    public string VerdictColumn => "verdict";

    public VerificationReport Verify(Election election, string text)
    {
        ArgumentNullException.ThrowIfNull(election);
        var (sites, errors) = NevadaResultsFile.Parse(text);
        // elections/nevada-2020/README.md: the file writes a county as the first word of its name, upper case, and a
        // precinct by the folder's name exactly.
        var index = election.Precincts.ToDictionary(p => (FileCounty(p.County), p.Name));
        var rules = election.RuleSet;
        var aggregate = new ResultsAggregate(election);
        var verified = ImmutableArray.CreateBuilder<VerifiedPrecinct>();
        foreach (var site in sites)
        {
            var row = new PublishedRow(site.Line, site.County, site.Precinct, site.First, site.Final,
                site.Reported.ToImmutableSortedDictionary(r => r.Key, r => Rational.FromInteger(r.Value), StringComparer.Ordinal),
                site.Attendance);
            if (!index.TryGetValue((site.County, site.Precinct), out var precinct))
            {
                verified.Add(new VerifiedPrecinct(row, null, null));
                continue;
            }
            if (site.NoOneAligned)
            {
                verified.Add(new VerifiedPrecinct(row, precinct, null));
                continue;
            }
            var tally = Tally.Create(site.Attendance, site.First, site.Final);
            var verdict = ConsistencyCheck.Compare(rules, precinct.Delegates, tally, rules.Allocate(precinct.Delegates, tally), site.Reported);
            verified.Add(new VerifiedPrecinct(row, precinct, verdict, site.Reported));
            // The recomputed totals use the card draw the published numbers show where they show one; otherwise the
            // rule set's provisional outcome.
            aggregate.Apply(PrecinctResult.Compute(election, precinct, verdict.TieOutcome is { } outcome ? tally.WithTieBreaks([outcome]) : tally));
        }

        var published = election.Candidates.ToImmutableSortedDictionary(c => c,
            c => Rational.FromInteger(sites.Sum(s => (long)s.Reported.GetValueOrDefault(c))), StringComparer.Ordinal);
        return new VerificationReport(verified.ToImmutable(), [.. errors], aggregate.Statewide(), null, published);
    }

    /// <summary>"Carson City" → "CARSON", "White Pine" → "WHITE": how the results file names a county.</summary>
    public static string FileCounty(string county)
    {
        ArgumentNullException.ThrowIfNull(county);
        return county.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()?.ToUpperInvariant() ?? "";
    }
}
