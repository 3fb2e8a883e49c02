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

    /// <summary>The commit seq of the latest revision applied.</summary>
    public long LastRevisionSeq { get; private set; }

    /// <summary>The commit seq of the latest certification applied, if any.</summary>
    public long? CertifiedSeq { get; private set; }

    public int SourceDisagreements => _disagreeing.Count;

    /// <summary>Precincts whose hotline entries differ: neither counts until someone resolves it.</summary>
    public int DoubleEntryMismatches => _reports.Values.Count(r => r.DoubleEntry?.Status == DoubleEntryStatus.Mismatch);

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
        LastRevisionSeq = Math.Max(LastRevisionSeq, report.Seq);
        var id = report.Result.Precinct.Id;
        var before = ReportsOf(id);
        var after = before.With(report);
        if (ReferenceEquals(before, after)) return false;
        _reports[id] = after;
        // What counts may change to another report, or to nothing (a hotline mismatch): the aggregate follows.
        if (!ReferenceEquals(before.Counted, after.Counted))
        {
            if (after.Counted is { } counted) Aggregate.Apply(counted.Result);
            else Aggregate.Remove(id);
        }
        if (after.SourcesDisagree) _disagreeing.Add(id);
        else _disagreeing.Remove(id);
        return true;
    }

    /// <summary>
    /// Marks a revision seen without computing it: at start-up, a revision its source's later revision in the
    /// same batch supersedes still advances the version, but is never parsed.
    /// </summary>
    public void Skip(long revisionSeq)
    {
        if (!_applied.Add(revisionSeq)) return;
        Advance(revisionSeq);
        LastRevisionSeq = Math.Max(LastRevisionSeq, revisionSeq);
    }

    /// <summary>Applies a certification committed at <paramref name="seq"/>.</summary>
    public bool Certify(long seq)
    {
        if (!_applied.Add(seq)) return false;
        Advance(seq);
        CertifiedSeq = Math.Max(CertifiedSeq ?? 0, seq);
        return true;
    }

    /// <summary>Whether the change committed at <paramref name="seq"/> has been applied.</summary>
    public bool HasApplied(long seq) => _applied.Contains(seq);

    /// <summary>The status of a document showing <paramref name="totals"/>.</summary>
    public ResultsStatus Status(bool test, ResultsTotals totals) => ResultsStatusRule.Of(test, CertifiedSeq, LastRevisionSeq, totals);

    /// <summary>Whether the results as they stand at <see cref="Version"/> may be certified.</summary>
    public CertificationCheck CheckCertification() => CertificationCheck.Of(Aggregate.Statewide());

    private void Advance(long seq) => Version = Math.Max(Version, seq);
}
