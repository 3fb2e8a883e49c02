using Caucus.Core.Arithmetic;
using Caucus.Core.Counting;

namespace Caucus.Api.Results;

/// <summary>
/// GET /api/v1/flags: the precincts the war room must see by name, not only count: reported math that breaks
/// the rules (with the reason), games of chance still to hold, hotline entries that differ, and sources that disagree.
/// </summary>
public sealed record FlagsDocument(
    long Version,
    IReadOnlyList<FlaggedPrecinct> Inconsistent,
    IReadOnlyList<FlaggedPrecinct> PendingTieBreaks,
    IReadOnlyList<FlaggedPrecinct> DoubleEntryMismatches,
    IReadOnlyList<FlaggedPrecinct> SourceDisagreements)
{
    public static FlagsDocument Build(Tabulation tabulation)
    {
        ArgumentNullException.ThrowIfNull(tabulation);
        var headline = tabulation.Election.RuleSet.Headline;
        List<FlaggedPrecinct> inconsistent = [], pending = [], mismatches = [], disagreements = [];
        foreach (var (id, reports) in tabulation.AllReports.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            var precinct = tabulation.Election.FindPrecinct(id)!;
            // What the precinct's counted report carries in the headline unit: the war room sums it over its flags, to
            // say how much of the result is tied up in what is still open (null while nothing of it counts).
            var carries = reports.Counted is { } carried
                ? headline.Format(tabulation.Aggregate.PrecinctSdes(carried.Result).Values.Aggregate(Rational.Zero, (sum, sde) => sum + sde))
                : null;
            FlaggedPrecinct Flag(string? detail, IReadOnlyList<string>? differences = null) =>
                new(id, precinct.County, precinct.Name, detail, differences ?? []) { Sde = carries };
            if (reports.Counted is { } counted)
            {
                var allocation = counted.Result.Allocation;
                if (counted.Result.IsInconsistent)
                {
                    inconsistent.Add(Flag(allocation.Warnings.FirstOrDefault(w => w.Code is Core.Validation.WarningCode.ReportedDelegatesDiffer
                        or Core.Validation.WarningCode.DelegatesUnbalanced)?.Message));
                }
                if (allocation is { IsProvisional: true, Tie: { } tie }) pending.Add(Flag(tie.Describe()));
            }
            if (reports.DoubleEntry is { Differs: true } mismatch)
            {
                mismatches.Add(Flag(mismatch.Status == DoubleEntryStatus.LaterEntryDiffers
                    ? "a later hotline entry differs; the numbers two operators confirmed still count" : "hotline entries differ; neither counts",
                    mismatch.Differences));
            }
            if (tabulation.SourcesDisagree(id))
            {
                // Named in words, as the other kinds are: which sources' latest reports differ and which one counts.
                var sources = string.Join(", ", reports.Latest.Keys.Select(s => s.ToString().ToLowerInvariant()));
                disagreements.Add(Flag(reports.Counted is { } counting
                    ? $"{sources} report different numbers; the {counting.Source.ToString().ToLowerInvariant()} report counts"
                    : $"{sources} report different numbers"));
            }
        }
        return new FlagsDocument(tabulation.Version, inconsistent, pending, mismatches, disagreements);
    }
}

/// <summary>A flagged precinct; <see cref="Sde"/> is what its counted report carries in the headline unit (null while none counts).</summary>
public sealed record FlaggedPrecinct(string Precinct, string County, string Name, string? Detail, IReadOnlyList<string> Differences)
{
    public string? Sde { get; init; }
}
