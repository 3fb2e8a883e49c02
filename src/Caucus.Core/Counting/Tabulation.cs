using Caucus.Core.Aggregation;
using Caucus.Core.Model;

namespace Caucus.Core.Counting;

/// <summary>
/// Which reports count, and what they add up to: every stored revision and certification applied once,
/// each precinct's counted report (<see cref="PrecinctReports.Counted"/>), the incremental aggregate, and the
/// results version. Pure and single-threaded: the host owns one and serialises access to it.
/// </summary>
/// <remarks>
/// The version is the highest commit seq applied (revisions and certifications share one sequence). It is
/// derived from durable state alone, so the same stored state has the same version on every instance and
/// after every restart, and it only grows: a client's ETag or change cursor never names two different states.
/// The totals are a function of the set of revisions applied, not of the order they arrive in.
/// </remarks>
public sealed class Tabulation
{
    private readonly Dictionary<string, PrecinctReports> _reports = new(StringComparer.Ordinal);
    private readonly HashSet<string> _disagreeing = new(StringComparer.Ordinal);
    private readonly HashSet<long> _applied = [];
    private readonly HashSet<long> _confirmedHolds = [];
    private readonly HashSet<string> _decided = new(StringComparer.Ordinal);

    public Tabulation(Election election, CountingRules? rules = null)
    {
        ArgumentNullException.ThrowIfNull(election);
        Election = election;
        Rules = rules ?? CountingRules.Default;
        Aggregate = new ResultsAggregate(election);
    }

    public Election Election { get; }

    public CountingRules Rules { get; }

    /// <summary>The counted reports' totals. Read it only while nothing applies to this tabulation.</summary>
    public ResultsAggregate Aggregate { get; }

    /// <summary>The highest commit seq applied: the results version.</summary>
    public long Version { get; private set; }

    /// <summary>The commit seq of the latest change that can move a count: a revision or a review decision.</summary>
    public long LastChangeSeq { get; private set; }

    /// <summary>The commit seq of the latest certification applied, if any.</summary>
    public long? CertifiedSeq { get; private set; }

    public int SourceDisagreements => _disagreeing.Count;

    /// <summary>Precincts whose hotline entries differ (a mismatch, or a later entry that differs from confirmed numbers).</summary>
    public int DoubleEntryMismatches => _reports.Values.Count(r => r.DoubleEntry?.Differs == true);

    public bool SourcesDisagree(string precinctId) => _disagreeing.Contains(precinctId);

    /// <summary>Whether a report of the precinct counts (an entry awaiting its second operator does not).</summary>
    public bool IsReported(string precinctId) => Aggregate.Find(precinctId) is not null;

    /// <summary>Every precinct with at least one stored report, counted or not.</summary>
    public IEnumerable<KeyValuePair<string, PrecinctReports>> AllReports => _reports;

    public PrecinctReports ReportsOf(string precinctId) => _reports.GetValueOrDefault(precinctId) ?? PrecinctReports.Empty(Rules);

    /// <summary>
    /// Applies one computed revision, in any order. Returns whether the precinct's reports changed (a revision
    /// older than its source's latest changes nothing but the version; one applied before changes nothing at all).
    /// </summary>
    public bool Apply(SourceReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (!_applied.Add(report.Seq)) return false;
        Advance(report.Seq);
        LastChangeSeq = Math.Max(LastChangeSeq, report.Seq);
        // "Plausibility holds": an implausible tally is stored and shown, but held out of every total until confirmed.
        if (!_confirmedHolds.Contains(report.Seq) && Rules.PlausibilityOf(Election).Implausible(report.Result.Precinct, report.Result.Tally) is { } why)
        {
            report = report with { HoldReason = why };
        }
        var id = report.Result.Precinct.Id;
        var before = ReportsOf(id);
        var after = before.With(report);
        if (ReferenceEquals(before, after)) return false;
        Update(id, before, after);
        return true;
    }

    /// <summary>Applies an admin's review decision: the item is decided; a confirmed hold is released and its report counts.</summary>
    public bool Decide(ReviewDecision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        if (!_applied.Add(decision.Seq)) return false;
        Advance(decision.Seq);
        LastChangeSeq = Math.Max(LastChangeSeq, decision.Seq);
        _decided.Add(decision.ItemKey);
        if (decision.Action != ReviewAction.Confirm || !_confirmedHolds.Add(decision.RevisionSeq)) return true;
        var before = ReportsOf(decision.Precinct.Value);
        var held = before.Latest.Values.Concat(before.HotlineEntries.Values).FirstOrDefault(r => r.Seq == decision.RevisionSeq);
        if (held is { IsHeld: true }) Update(decision.Precinct.Value, before, before.Replace(held with { HoldReason = null }));
        return true;
    }

    /// <summary>
    /// Applies headquarters' merges of group spellings as they stand after the change committed at <paramref name="seq"/>:
    /// the totals are added up anew; no precinct's report or allocation changes.
    /// </summary>
    public bool Regroup(long seq, GroupMerges merges)
    {
        ArgumentNullException.ThrowIfNull(merges);
        if (!_applied.Add(seq)) return false;
        Advance(seq);
        LastChangeSeq = Math.Max(LastChangeSeq, seq);
        Aggregate.Regroup(merges);
        return true;
    }

    /// <summary>Whether an admin has decided the review item with this key.</summary>
    public bool IsDecided(string itemKey) => _decided.Contains(itemKey);

    /// <summary>Whether the change at <paramref name="revisionSeq"/> is a held report an admin confirmed.</summary>
    public bool IsConfirmedHold(long revisionSeq) => _confirmedHolds.Contains(revisionSeq);

    /// <summary>
    /// Marks a revision seen without computing it: at start-up, a revision its source's later revision in the
    /// same batch supersedes still advances the version, but is never parsed.
    /// </summary>
    public void Skip(long revisionSeq)
    {
        if (!_applied.Add(revisionSeq)) return;
        Advance(revisionSeq);
        LastChangeSeq = Math.Max(LastChangeSeq, revisionSeq);
    }

    /// <summary>
    /// Applies a certification committed at <paramref name="seq"/>. One made in test mode never certifies outside
    /// test mode (and the reverse): a rehearsal's certificate is not the night's.
    /// </summary>
    public bool Certify(long seq, bool madeInTestMode = false)
    {
        if (!_applied.Add(seq)) return false;
        Advance(seq);
        if (madeInTestMode == Rules.TestMode) CertifiedSeq = Math.Max(CertifiedSeq ?? 0, seq);
        return true;
    }

    /// <summary>The results are certified now: no revision or review decision has been applied since the latest certification.</summary>
    public bool IsCertified => ResultsStatusRule.IsCertified(CertifiedSeq, LastChangeSeq);

    /// <summary>
    /// "Certification that holds": once certified, only the official canvass (an admin's correction, which starts a
    /// new unofficial period) is taken; captains', chairs' and hotline reports are refused, not silently de-certifying.
    /// </summary>
    public bool Accepts(ReportSource source) => !IsCertified || source == ReportSource.Official;

    /// <summary>
    /// Review decisions are refused while the results are certified (the rule the README states): the queue that was
    /// certified is the queue that stands, and only an official correction, which reopens the results, changes them.
    /// </summary>
    public bool AcceptsDecisions => !IsCertified;

    /// <summary>Whether the change committed at <paramref name="seq"/> has been applied.</summary>
    public bool HasApplied(long seq) => _applied.Contains(seq);

    /// <summary>The status of a document showing <paramref name="totals"/>.</summary>
    public ResultsStatus Status(ResultsTotals totals) => ResultsStatusRule.Of(Rules.TestMode, CertifiedSeq, LastChangeSeq, totals);

    /// <summary>Whether the results as they stand at <see cref="Version"/> may be certified.</summary>
    public CertificationCheck CheckCertification() => CertificationCheck.Of(Aggregate.Statewide(), ReviewQueue.Build(this));

    private void Advance(long seq) => Version = Math.Max(Version, seq);

    private void Update(string id, PrecinctReports before, PrecinctReports after)
    {
        _reports[id] = after;
        // What counts may change to another report, or to nothing (a hotline mismatch, a hold): the aggregate follows.
        if (!ReferenceEquals(before.Counted, after.Counted))
        {
            if (after.Counted is { } counted) Aggregate.Apply(counted.Result);
            else Aggregate.Remove(id);
        }
        if (after.SourcesDisagree) _disagreeing.Add(id);
        else _disagreeing.Remove(id);
    }
}
