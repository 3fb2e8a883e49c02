using System.Collections.Immutable;
using Caucus.Core.Aggregation;

namespace Caucus.Core.Counting;

/// <summary>
/// Every source's latest revision for one precinct (and every hotline entry, for double entry), and the rules
/// that pick the one that counts. Immutable: <see cref="With"/> gives the reports after one more revision,
/// whatever order revisions arrive in.
/// </summary>
public sealed class PrecinctReports
{
    private PrecinctReports(CountingRules rules, ImmutableSortedDictionary<ReportSource, SourceReport> latest,
        ImmutableSortedDictionary<int, SourceReport> hotlineEntries)
    {
        Rules = rules;
        Latest = latest;
        HotlineEntries = hotlineEntries;
        DoubleEntry = rules.DoubleEntry && !hotlineEntries.IsEmpty ? Counting.DoubleEntry.Judge(hotlineEntries.Values) : null;
        Counted = PickCounted();
    }

    public static PrecinctReports Empty(CountingRules rules) =>
        new(rules, ImmutableSortedDictionary<ReportSource, SourceReport>.Empty, ImmutableSortedDictionary<int, SourceReport>.Empty);

    public CountingRules Rules { get; }

    /// <summary>Each source's latest revision (for the hotline: the latest of any operator).</summary>
    public ImmutableSortedDictionary<ReportSource, SourceReport> Latest { get; }

    /// <summary>
    /// Every hotline entry by revision: double entry judges the history (which operators agreed, and when), not only
    /// each operator's latest entry, so that a later lone entry cannot undo an agreement.
    /// </summary>
    public ImmutableSortedDictionary<int, SourceReport> HotlineEntries { get; }

    /// <summary>Each hotline operator's (credential's) latest entry.</summary>
    public IEnumerable<SourceReport> HotlineByOperator => HotlineEntries.Values.GroupBy(e => e.Actor, StringComparer.Ordinal).Select(g => g.MaxBy(e => e.Revision)!);

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
        var hotline = HotlineEntries;
        if (report.Source == ReportSource.Hotline)
        {
            if (hotline.ContainsKey(report.Revision)) return this;
            hotline = hotline.Add(report.Revision, report);
        }
        // Within a source the latest revision wins; revision numbers grow per precinct whatever order seqs arrive in.
        var latest = Latest;
        if (!Latest.TryGetValue(report.Source, out var known) || known.Revision < report.Revision) latest = latest.SetItem(report.Source, report);
        return ReferenceEquals(latest, Latest) && ReferenceEquals(hotline, HotlineEntries) ? this : new PrecinctReports(Rules, latest, hotline);
    }

    /// <summary>
    /// Which later revisions supersede a stored one: the same precinct, source and this key. Every hotline entry
    /// matters (double entry judges their history); for the other sources only the latest does.
    /// </summary>
    public static string SupersessionKey(ReportSource source, int revision) =>
        source == ReportSource.Hotline ? revision.ToString(System.Globalization.CultureInfo.InvariantCulture) : "";

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

    /// <summary>The reports with <paramref name="report"/> put in place of the stored one with its seq (a hold released).</summary>
    public PrecinctReports Replace(SourceReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var latest = Latest.Where(r => r.Value.Seq == report.Seq).Aggregate(Latest, (l, r) => l.SetItem(r.Key, report));
        var hotline = HotlineEntries.Where(r => r.Value.Seq == report.Seq).Aggregate(HotlineEntries, (h, r) => h.SetItem(r.Key, report));
        return new PrecinctReports(Rules, latest, hotline);
    }

    // A held report (an implausible tally) never counts; the next source down may.
    private SourceReport? PickCounted()
    {
        foreach (var (source, report) in Latest.Reverse())
        {
            var candidate = source != ReportSource.Hotline || DoubleEntry is null ? report : DoubleEntry.Confirmed;
            if (candidate is { IsHeld: false }) return candidate;
        }
        return null;
    }
}
