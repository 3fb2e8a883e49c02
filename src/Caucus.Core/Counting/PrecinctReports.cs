using System.Collections.Immutable;
using Caucus.Core.Aggregation;

namespace Caucus.Core.Counting;

/// <summary>
/// Every source's latest revision for one precinct (and each hotline operator's latest entry), and the rules
/// that pick the one that counts. Immutable: <see cref="With"/> gives the reports after one more revision,
/// whatever order revisions arrive in.
/// </summary>
public sealed class PrecinctReports
{
    private PrecinctReports(CountingRules rules, ImmutableSortedDictionary<ReportSource, SourceReport> latest,
        ImmutableSortedDictionary<string, SourceReport> hotlineByOperator)
    {
        Rules = rules;
        Latest = latest;
        HotlineByOperator = hotlineByOperator;
        DoubleEntry = rules.DoubleEntry && !hotlineByOperator.IsEmpty ? Counting.DoubleEntry.Judge(hotlineByOperator.Values) : null;
        Counted = PickCounted();
    }

    public static PrecinctReports Empty(CountingRules rules) =>
        new(rules, ImmutableSortedDictionary<ReportSource, SourceReport>.Empty, ImmutableSortedDictionary.Create<string, SourceReport>(StringComparer.Ordinal));

    public CountingRules Rules { get; }

    /// <summary>Each source's latest revision (for the hotline: the latest of any operator).</summary>
    public ImmutableSortedDictionary<ReportSource, SourceReport> Latest { get; }

    /// <summary>Each hotline operator's (credential's) latest entry.</summary>
    public ImmutableSortedDictionary<string, SourceReport> HotlineByOperator { get; }

    /// <summary>Where the hotline entries stand, when double entry is on and the hotline has reported.</summary>
    public DoubleEntryState? DoubleEntry { get; }

    public bool IsEmpty => Latest.IsEmpty;

    /// <summary>
    /// The counted report: "the most authoritative source's latest revision (official > chair > hotline >
    /// captain)", where the hotline counts only once double entry confirms it. A lower source's later
    /// revision is kept and shown, but does not count. Null when nothing counts yet.
    /// </summary>
    public SourceReport? Counted { get; }

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

    /// <summary>The reports after <paramref name="report"/>; the same instance when it changes nothing (an older revision of its source or operator).</summary>
    public PrecinctReports With(SourceReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var hotline = HotlineByOperator;
        if (report.Source == ReportSource.Hotline)
        {
            if (hotline.TryGetValue(report.Actor, out var mine) && mine.Revision >= report.Revision) return this;
            hotline = hotline.SetItem(report.Actor, report);
        }
        // Within a source the latest revision wins; revision numbers grow per precinct whatever order seqs arrive in.
        var latest = Latest;
        if (!Latest.TryGetValue(report.Source, out var known) || known.Revision < report.Revision) latest = latest.SetItem(report.Source, report);
        return ReferenceEquals(latest, Latest) && ReferenceEquals(hotline, HotlineByOperator) ? this : new PrecinctReports(Rules, latest, hotline);
    }

    /// <summary>The same numbers: attendance, both alignments and the delegates the rules give (zero entries ignored).</summary>
    public static bool SameNumbers(PrecinctResult a, PrecinctResult b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return a.Tally.Attendees == b.Tally.Attendees
            && Model.Tally.SameCounts(a.Tally.First, b.Tally.First)
            && Model.Tally.SameCounts(a.Tally.Final, b.Tally.Final)
            && Model.Tally.SameCounts(a.Allocation.DelegatesByGroup, b.Allocation.DelegatesByGroup);
    }

    private SourceReport? PickCounted()
    {
        foreach (var (source, report) in Latest.Reverse())
        {
            if (source != ReportSource.Hotline || DoubleEntry is null) return report;
            if (DoubleEntry.Confirmed is { } confirmed) return confirmed;
        }
        return null;
    }
}
