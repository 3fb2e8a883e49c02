using System.Collections.Immutable;
using Caucus.Api.Reports;
using Caucus.Api.Storage;
using Caucus.Core.Aggregation;
using Caucus.Core.Allocation;
using Caucus.Core.Model;
using Caucus.Core.Rules;

namespace Caucus.Api.Results;

/// <summary>
/// The in-memory results: every stored revision applied once (by seq), the counted report of each
/// precinct (the most authoritative source's latest revision: official > chair > hotline > captain),
/// the incremental aggregate, and the current immutable snapshot that reads serve. One lock guards
/// the mutable parts; readers only touch the snapshot reference.
/// </summary>
public sealed class ResultsState
{
    private readonly Lock _lock = new();
    private readonly ResultsAggregate _aggregate;
    private readonly HashSet<long> _appliedSeqs = [];
    private readonly Dictionary<string, Dictionary<string, CountedReport>> _bySource = new(StringComparer.Ordinal);
    private readonly HashSet<string> _disagreeing = new(StringComparer.Ordinal);
    private readonly List<ChangeDocument> _changes = [];
    private readonly TimeProvider _clock;
    private readonly bool _test;
    private ImmutableHashSet<string> _reported = ImmutableHashSet.Create<string>(StringComparer.Ordinal);
    private long _version;
    private long _maxSeq;
    private Certification? _certification;
    private ResultsSnapshot _snapshot;
    private TaskCompletionSource _nextSnapshot = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ResultsState(Election election, TimeProvider clock, bool test)
    {
        ArgumentNullException.ThrowIfNull(election);
        Election = election;
        _clock = clock;
        _test = test;
        _aggregate = new ResultsAggregate(election);
        _snapshot = Build();
    }

    public Election Election { get; }

    /// <summary>
    /// The snapshot of the current version. Built when first read after a change, not on every change: a
    /// reporting wave of thousands of reports a second costs one build per read, not one per report.
    /// </summary>
    public ResultsSnapshot Current
    {
        get
        {
            var snapshot = Volatile.Read(ref _snapshot);
            if (snapshot.Version == Interlocked.Read(ref _version)) return snapshot;
            lock (_lock)
            {
                if (_snapshot.Version != _version) Volatile.Write(ref _snapshot, Build());
                return _snapshot;
            }
        }
    }

    /// <summary>
    /// Computes a stored revision; <paramref name="parsed"/> is its body already parsed (at ingest), else the
    /// stored raw text is parsed again. Throws only if a stored body no longer parses (it was valid when stored).
    /// </summary>
    public CountedReport Compute(StoredRevision stored, ParsedReport? parsed = null)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var precinct = Election.FindPrecinct(stored.PrecinctId)
            ?? throw new InvalidOperationException($"Stored revision {stored.Seq} names unknown precinct {stored.PrecinctId}.");
        if (parsed is null)
        {
            var (report, errors) = ReportParser.Parse(stored.RawBody, Election.Candidates);
            parsed = report ?? throw new InvalidOperationException(
                $"Stored revision {stored.Seq} no longer parses: {string.Join("; ", errors.Keys)}");
        }
        return new CountedReport(stored, parsed, PrecinctResult.Compute(Election, precinct, parsed.Tally));
    }

    /// <summary>Applies revisions not applied yet (any order, any repeats); if anything changed, a new version (its snapshot is built on first read).</summary>
    public void Apply(IEnumerable<CountedReport> reports)
    {
        ArgumentNullException.ThrowIfNull(reports);
        TaskCompletionSource? toSignal = null;
        lock (_lock)
        {
            var changed = false;
            foreach (var report in reports)
            {
                changed |= ApplyOne(report);
            }
            if (changed) toSignal = TakeWaiters();
        }
        toSignal?.SetResult();
    }

    public void Apply(CountedReport report) => Apply([report]);

    /// <summary>
    /// Applies stored revisions at start-up or when catching up. Within the batch only each precinct's latest
    /// revision per source is parsed and computed; the revisions it supersedes are marked counted unread,
    /// which keeps the start-up rebuild of a busy night well under a second.
    /// </summary>
    public void ApplyStored(IReadOnlyList<StoredRevision> revisions)
    {
        ArgumentNullException.ThrowIfNull(revisions);
        List<StoredRevision> fresh;
        lock (_lock) fresh = [.. revisions.Where(r => !_appliedSeqs.Contains(r.Seq))];
        if (fresh.Count == 0) return;
        var latest = fresh.GroupBy(r => (r.PrecinctId, r.Source)).Select(g => g.MaxBy(r => r.Revision)!).ToList();
        // Computing is pure, so it runs outside the lock and, for a large batch, on every core.
        var computed = latest.Count > 64
            ? latest.AsParallel().AsOrdered().Select(r => Compute(r)).ToList()
            : latest.ConvertAll(r => Compute(r));
        var superseded = fresh.Select(r => r.Seq).Except(latest.Select(r => r.Seq)).ToList();
        lock (_lock)
        {
            foreach (var seq in superseded)
            {
                _appliedSeqs.Add(seq);
                _maxSeq = Math.Max(_maxSeq, seq);
            }
        }
        Apply(computed);
    }

    /// <summary>The highest revision seq counted: what a certification made now covers.</summary>
    public long MaxSeq
    {
        get { lock (_lock) return _maxSeq; }
    }

    /// <summary>
    /// Sets the latest certification. Results read "certified" while no revision after it has been counted;
    /// a later correction turns them back to unofficial until an admin certifies again.
    /// </summary>
    public void Certify(Certification? certification)
    {
        TaskCompletionSource? toSignal = null;
        lock (_lock)
        {
            if (Equals(_certification, certification)) return;
            _certification = certification;
            Interlocked.Increment(ref _version);
            toSignal = TakeWaiters();
        }
        toSignal.SetResult();
    }

    /// <summary>Completes when a snapshot newer than <paramref name="version"/> is published.</summary>
    public Task WaitForNewerAsync(long version, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return _version > version ? Task.CompletedTask : _nextSnapshot.Task.WaitAsync(cancellationToken);
        }
    }

    public ChangesDocument ChangesSince(long version)
    {
        lock (_lock)
        {
            var latest = _changes.Where(c => c.Version > version).GroupBy(c => c.Precinct).Select(g => g.Last()).OrderBy(c => c.Version).ToList();
            return new ChangesDocument(_version, latest);
        }
    }

    /// <summary>A precinct's view under the lock: its counted report, every source's latest, the SDEs, and flags.</summary>
    public PrecinctView? View(string precinctId)
    {
        var precinct = Election.FindPrecinct(precinctId);
        if (precinct is null) return null;
        lock (_lock)
        {
            if (!_bySource.TryGetValue(precinctId, out var sources) || sources.Count == 0)
            {
                return new PrecinctView(precinct, null, [], ImmutableSortedDictionary<string, Core.Arithmetic.Rational>.Empty, false, 0);
            }
            var counted = Counted(sources);
            return new PrecinctView(precinct, counted,
                [.. sources.Values.OrderByDescending(r => ReportSource.Rank(r.Report.Source))],
                _aggregate.PrecinctSdes(counted.Result),
                _disagreeing.Contains(precinctId),
                sources.Values.Max(r => r.Stored.Revision));
        }
    }

    /// <summary>Hands the waiters of the version just made to the caller (to release outside the lock) and starts a new wait.</summary>
    private TaskCompletionSource TakeWaiters()
    {
        var waiters = _nextSnapshot;
        _nextSnapshot = new(TaskCreationOptions.RunContinuationsAsynchronously);
        return waiters;
    }

    private bool ApplyOne(CountedReport report)
    {
        var stored = report.Stored;
        if (!_appliedSeqs.Add(stored.Seq)) return false;
        _maxSeq = Math.Max(_maxSeq, stored.Seq);
        if (!_bySource.TryGetValue(stored.PrecinctId, out var sources))
        {
            _bySource[stored.PrecinctId] = sources = new Dictionary<string, CountedReport>(StringComparer.Ordinal);
        }
        // Within a source the latest revision wins; revision numbers grow per precinct whatever order seqs arrive in.
        if (sources.TryGetValue(report.Report.Source, out var previous) && previous.Stored.Revision > stored.Revision) return false;
        sources[report.Report.Source] = report;
        _aggregate.Apply(Counted(sources).Result);
        _reported = _reported.Add(stored.PrecinctId);
        if (Disagree(sources.Values)) _disagreeing.Add(stored.PrecinctId);
        else _disagreeing.Remove(stored.PrecinctId);
        Interlocked.Increment(ref _version);
        _changes.Add(new ChangeDocument(_version, stored.PrecinctId, stored.Revision, report.Report.Source));
        return true;
    }

    private static CountedReport Counted(Dictionary<string, CountedReport> sources) =>
        sources.Values.MaxBy(r => ReportSource.Rank(r.Report.Source))!;

    /// <summary>Sources disagree when their latest reports give different alignments or delegates (as war rooms reconcile captain vs official).</summary>
    private static bool Disagree(IEnumerable<CountedReport> reports)
    {
        var list = reports.ToList();
        return list.Count > 1 && list.Skip(1).Any(r => !SameNumbers(r, list[0]));
    }

    private static bool SameNumbers(CountedReport a, CountedReport b) =>
        a.Report.Tally.Attendees == b.Report.Tally.Attendees
        && SameCounts(a.Report.Tally.First, b.Report.Tally.First)
        && SameCounts(a.Report.Tally.Final, b.Report.Tally.Final)
        && a.Result.Allocation.DelegatesByGroup.Where(g => g.Value > 0).SequenceEqual(b.Result.Allocation.DelegatesByGroup.Where(g => g.Value > 0));

    private static bool SameCounts(ImmutableSortedDictionary<string, int> a, ImmutableSortedDictionary<string, int> b) =>
        a.Where(x => x.Value != 0).SequenceEqual(b.Where(x => x.Value != 0));

    private ResultsSnapshot Build()
    {
        var now = _clock.GetUtcNow();
        var other = Election.RuleSet.SatelliteWeighting == SatelliteWeighting.Attendance ? SatelliteWeighting.Delegates : SatelliteWeighting.Attendance;
        var counties = Election.Counties.ToImmutableDictionary(c => c.Name,
            c => Document($"county:{c.Name}", _aggregate.County(c.Name)!, _aggregate.County(c.Name, other)!, other, now,
                Election.PrecinctsIn(c.Name).Count(p => _disagreeing.Contains(p.Id))),
            StringComparer.Ordinal);
        var statewide = Document("statewide", _aggregate.Statewide(), _aggregate.Statewide(other), other, now, _disagreeing.Count);
        return new ResultsSnapshot(_version, statewide, counties, _reported);
    }

    private ResultsDocument Document(string scope, ResultsTotals totals, ResultsTotals otherTotals, SatelliteWeighting other,
        DateTimeOffset now, int disagreements) => new(
        _version,
        now,
        _test ? "test"
            : _certification is { } c && c.ThroughSeq == _maxSeq ? "certified"
            : totals.Reporting == totals.Total ? "unofficial-complete" : "unofficial-partial",
        _test,
        scope,
        new PrecinctCounts(totals.Reporting, totals.Total),
        ResultsSnapshot.Ranked(totals),
        new ResultsFlags(totals.Inconsistent, totals.PendingTieBreaks, disagreements, totals.SatellitesProvisional),
        new OtherReadingDocument(other.ToString().ToLowerInvariant(),
            otherTotals.Candidates.ToDictionary(c => c.Name, c => c.SdeDisplay, StringComparer.Ordinal)));
}

/// <summary>What GET /api/v1/precincts/{id} needs, read under the state's lock.</summary>
public sealed record PrecinctView(
    Precinct Precinct,
    CountedReport? Counted,
    ImmutableArray<CountedReport> Sources,
    ImmutableSortedDictionary<string, Core.Arithmetic.Rational> Sde,
    bool SourcesDisagree,
    int Revision);
