using System.Collections.Immutable;

namespace Caucus.Core.Counting;

/// <summary>
/// Every source's latest revision for one precinct, and the rule that picks the one that counts.
/// Immutable: <see cref="With"/> gives the reports after one more revision, whatever order revisions arrive in.
/// </summary>
public sealed class PrecinctReports
{
    private PrecinctReports(ImmutableSortedDictionary<ReportSource, SourceReport> latest) => Latest = latest;

    public static PrecinctReports Empty { get; } = new(ImmutableSortedDictionary<ReportSource, SourceReport>.Empty);

    /// <summary>Each source's latest revision, most authoritative first when enumerated in reverse.</summary>
    public ImmutableSortedDictionary<ReportSource, SourceReport> Latest { get; }

    public bool IsEmpty => Latest.IsEmpty;

    /// <summary>
    /// The counted report: "the most authoritative source's latest revision (official > chair > hotline >
    /// captain)". A lower source's later revision is kept and shown, but does not count.
    /// </summary>
    public SourceReport? Counted => Latest.IsEmpty ? null : Latest.Values.Last();

    /// <summary>The highest revision number of the precinct, across sources.</summary>
    public int LatestRevision => Latest.IsEmpty ? 0 : Latest.Values.Max(r => r.Revision);

    /// <summary>
    /// Sources disagree when their latest reports give different alignments or delegates: the war room
    /// reconciles a captain's numbers with the official canvass, as it did in 2020.
    /// </summary>
    public bool SourcesDisagree
    {
        get
        {
            if (Latest.Count < 2) return false;
            var first = Latest.Values.First().Result;
            return Latest.Values.Skip(1).Any(r => !SameNumbers(first, r.Result));
        }
    }

    /// <summary>The reports after <paramref name="report"/>; the same instance when a later revision of its source is already known.</summary>
    public PrecinctReports With(SourceReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        // Within a source the latest revision wins; revision numbers grow per precinct whatever order seqs arrive in.
        if (Latest.TryGetValue(report.Source, out var known) && known.Revision >= report.Revision) return this;
        return new PrecinctReports(Latest.SetItem(report.Source, report));
    }

    /// <summary>The same numbers: attendance, both alignments and the delegates the rules give (zero entries ignored).</summary>
    public static bool SameNumbers(Aggregation.PrecinctResult a, Aggregation.PrecinctResult b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return a.Tally.Attendees == b.Tally.Attendees
            && Model.Tally.SameCounts(a.Tally.First, b.Tally.First)
            && Model.Tally.SameCounts(a.Tally.Final, b.Tally.Final)
            && Model.Tally.SameCounts(a.Allocation.DelegatesByGroup, b.Allocation.DelegatesByGroup);
    }
}
