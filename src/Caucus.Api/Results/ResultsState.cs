using System.Collections.Immutable;
using Caucus.Api.Storage;
using Caucus.Core.Aggregation;
using Caucus.Core.Arithmetic;
using Caucus.Core.Counting;
using Caucus.Core.Model;
using Caucus.Core.Ranges;
using Caucus.Core.Rules;

namespace Caucus.Api.Results;

/// <summary>
/// The host's hold on the counting: one <see cref="Tabulation"/> (the core decides which report counts and
/// what it adds up to) behind a lock, the change log, and the current immutable snapshot that reads serve.
/// Readers only touch the snapshot reference; the version is the tabulation's (the highest commit seq applied).
/// </summary>
public sealed class ResultsState
{
    private readonly Lock _lock = new();
    private readonly Tabulation _tabulation;
    private readonly ChangeLog _changes;
    private readonly VersionWaiters _waiters = new();
    private readonly Dictionary<string, ((long Stamp, long? CertifiedSeq, long LastChangeSeq, int Disagreements, int Mismatches) Key, ResultsDocument Document)>
        _countyDocuments = new(StringComparer.Ordinal);
    private readonly TimeSpan _snapshotMaxAge;
    private FlagsDocument? _flags;
    private readonly TimeProvider _clock;
    private readonly bool _test;
    private readonly SortedDictionary<long, (string From, string? Into)> _groupMerges = [];
    private ImmutableHashSet<string> _reported = ImmutableHashSet.Create<string>(StringComparer.Ordinal);
    private long _version;
    private long _versionAtTicks;
    // The tabulation's certified state as of the last publish, so a submission's early check takes no lock (the writer
    // checks again under its own lock, where it matters).
    private volatile bool _certified;
    private ResultsSnapshot _snapshot;

    public ResultsState(Election election, TimeProvider clock, bool test, int changeLogCapacity = ChangeLog.DefaultCapacity, CountingRules? rules = null,
        TimeSpan snapshotMaxAge = default)
    {
        _snapshotMaxAge = snapshotMaxAge;
        ArgumentNullException.ThrowIfNull(election);
        Reports = new StoredReports(election);
        _clock = clock;
        _test = test;
        _tabulation = new Tabulation(election, (rules ?? CountingRules.Default) with { TestMode = test });
        _changes = new ChangeLog(changeLogCapacity);
        _snapshot = Build(withCounties: false);
    }

    public Election Election => Reports.Election;

    /// <summary>Parses and computes stored revisions (and holds what ingest computed already).</summary>
    public StoredReports Reports { get; }

    /// <summary>The highest commit seq applied: the results version.</summary>
    public long Version => Interlocked.Read(ref _version);

    /// <summary>When the current version was published (by the state's clock): how long the results have been quiet.</summary>
    public DateTimeOffset VersionAt => new(Interlocked.Read(ref _versionAtTicks), TimeSpan.Zero);

    /// <summary>
    /// The snapshot of the current version, built when first read after a change, not on every change: a reporting
    /// wave of thousands of reports a second costs one build per read, not one per report. With a maximum age (the
    /// <c>Caucus:SnapshotMaxAgeMilliseconds</c> setting) a snapshot that young is served even if newer reports have
    /// been counted since, so readers arriving every millisecond cost at most one build per that age; its ETag is its
    /// own version, so a client is never told 304 for numbers it does not have.
    /// </summary>
    public ResultsSnapshot Current
    {
        get
        {
            var snapshot = Volatile.Read(ref _snapshot);
            if (snapshot.Version == Version || (_snapshotMaxAge > TimeSpan.Zero && _clock.GetUtcNow() - snapshot.BuiltAt < _snapshotMaxAge)) return snapshot;
            lock (_lock)
            {
                if (_snapshot.Version != _tabulation.Version) Volatile.Write(ref _snapshot, Build(withCounties: false));
                return _snapshot;
            }
        }
    }

    /// <summary>
    /// <see cref="Current"/> with the county documents built: only the county endpoint needs them. The stream and the
    /// statewide reads take snapshots without them, so a busy night's snapshot (rebuilt up to every
    /// <c>SnapshotMaxAgeMilliseconds</c> while results are polled) costs the statewide document only; the counties are
    /// built once for a version, when first asked for.
    /// </summary>
    public ResultsSnapshot WithCounties
    {
        get
        {
            var snapshot = Current;
            if (snapshot.HasCounties) return snapshot;
            lock (_lock)
            {
                if (!_snapshot.HasCounties || _snapshot.Version != _tabulation.Version) Volatile.Write(ref _snapshot, Build(withCounties: true));
                return _snapshot;
            }
        }
    }

    /// <summary>The flagged precincts by name, built when first asked for after a change.</summary>
    public FlagsDocument Flags()
    {
        lock (_lock) return _flags is { } flags && flags.Version == _tabulation.Version ? flags : _flags = FlagsDocument.Build(_tabulation);
    }

    public SourceReport Compute(StoredRevision stored) => Reports.Compute(stored);

    /// <summary>Applies computed revisions (any order, any repeats); if anything changed, a new version.</summary>
    public void Apply(IEnumerable<SourceReport> reports)
    {
        ArgumentNullException.ThrowIfNull(reports);
        lock (_lock)
        {
            foreach (var report in reports) ApplyOne(report);
            Publish();
        }
    }

    public void Apply(SourceReport report) => Apply([report]);

    /// <summary>Applies a certification committed at its seq.</summary>
    public void Certify(Certification certification)
    {
        ArgumentNullException.ThrowIfNull(certification);
        lock (_lock)
        {
            _tabulation.Certify(certification.Seq, certification.Test);
            Publish();
        }
    }

    public void ApplyStored(IReadOnlyList<StoredRevision> revisions) => ApplyStored(new StoredChanges(revisions, []));

    /// <summary>
    /// Applies stored changes at start-up or when catching up. Within the batch only each precinct's latest
    /// revision per source (every entry, for the hotline) is parsed and computed; the revisions it supersedes are marked applied unread,
    /// which keeps the start-up rebuild of a busy night well under a second.
    /// </summary>
    public void ApplyStored(StoredChanges changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        List<StoredRevision> fresh;
        lock (_lock) fresh = [.. changes.Revisions.Where(r => !_tabulation.HasApplied(r.Seq))];
        var latest = fresh.GroupBy(r => (r.PrecinctId, r.Source, Key: PrecinctReports.SupersessionKey(SourceOf(r.Source), r.Revision)))
            .Select(g => g.MaxBy(r => r.Revision)!).ToList();
        // Computing is pure, so it runs outside the lock and, for a large batch, on every core.
        var computed = latest.Count > 64
            ? latest.AsParallel().AsOrdered().Select(Reports.Compute).ToList()
            : latest.ConvertAll(Reports.Compute);
        var counted = computed.Select(r => r.Seq).ToHashSet();
        lock (_lock)
        {
            foreach (var stored in fresh.Where(r => !counted.Contains(r.Seq)))
            {
                // What ingest held for a superseded revision is never asked for: drop it, or it stays for the night.
                if (stored.SubmissionId is { } id) Reports.Release(id);
                _tabulation.Skip(stored.Seq);
                _changes.Add(ChangeOf(stored.Seq, stored.PrecinctId, stored.Revision, stored.Source));
            }
            foreach (var report in computed) ApplyOne(report);
            foreach (var certification in changes.Certifications) _tabulation.Certify(certification.Seq, certification.Test);
            foreach (var decision in changes.ReviewDecisions) DecideOne(DecisionOf(decision));
            foreach (var merge in changes.GroupMerges) MergeOne(merge);
            Publish();
        }
    }

    /// <summary>Applies an admin's review decision committed at its seq.</summary>
    public void Decide(StoredReviewDecision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        lock (_lock)
        {
            DecideOne(DecisionOf(decision));
            Publish();
        }
    }

    /// <summary>Applies headquarters' merge or unmerge of a group spelling committed at its seq.</summary>
    public void Merge(StoredGroupMerge merge)
    {
        ArgumentNullException.ThrowIfNull(merge);
        lock (_lock)
        {
            MergeOne(merge);
            Publish();
        }
    }

    /// <summary>
    /// The group spellings the counted reports name, each with its precincts and the group the war room shows it under,
    /// and the merges that stand, read at one version (the admin page's spelling merge).
    /// </summary>
    public (long Version, ImmutableArray<(string Spelling, int Precincts, string ShownAs)> Spellings, GroupMerges Merges) GroupSpellings()
    {
        lock (_lock)
        {
            var aggregate = _tabulation.Aggregate;
            return (_tabulation.Version, [.. aggregate.Spellings.OrderBy(s => aggregate.ShownAs(s.Key), StringComparer.Ordinal)
                .ThenByDescending(s => s.Value).ThenBy(s => s.Key, StringComparer.Ordinal)
                .Select(s => (s.Key, s.Value, aggregate.ShownAs(s.Key)))], aggregate.Merges);
        }
    }

    /// <summary>Whether a report from <paramref name="source"/> may be taken now (certified results take only the official canvass).</summary>
    public bool Accepts(ReportSource source)
    {
        return !_certified || source == ReportSource.Official;
    }

    /// <summary>Whether review decisions may be taken now (not while the results are certified).</summary>
    public bool AcceptsDecisions
    {
        get { lock (_lock) return _tabulation.AcceptsDecisions; }
    }

    /// <summary>The review queue as it stands, with the version it was read at.</summary>
    public (long Version, ImmutableArray<ReviewItem> Items) Review()
    {
        lock (_lock) return (_tabulation.Version, ReviewQueue.Build(_tabulation));
    }

    /// <summary>Completes when the version is above <paramref name="version"/>.</summary>
    public Task WaitForNewerAsync(long version, CancellationToken cancellationToken) => _waiters.WaitAsync(version + 1, () => Version, cancellationToken);

    /// <summary>Completes when the change committed at <paramref name="seq"/> (or a later one) is applied.</summary>
    public Task WaitForAppliedAsync(long seq, CancellationToken cancellationToken) => _waiters.WaitAsync(seq, () => Version, cancellationToken);

    public ChangesDocument ChangesSince(long version)
    {
        lock (_lock)
        {
            var changes = _changes.Since(version);
            return new ChangesDocument(_tabulation.Version, changes is null, changes ?? []);
        }
    }

    /// <summary>The counted tally of every reported precinct, and the version they make up (what the projection starts from).</summary>
    public (long Version, IReadOnlyDictionary<string, Tally> Tallies) CountedTallies()
    {
        lock (_lock)
        {
            return (_tabulation.Version, _tabulation.Aggregate.Results.ToDictionary(r => r.Key, r => r.Value.Tally, StringComparer.Ordinal));
        }
    }

    /// <summary>The certification check and the version it holds for, read at the same moment.</summary>
    public (CertificationCheck Check, long Version) CertificationCheck()
    {
        lock (_lock) return (_tabulation.CheckCertification(), _tabulation.Version);
    }

    /// <summary>A precinct's reports as they stand (what a report's answer needs), without the view's SDE arithmetic.</summary>
    public PrecinctReports? ReportsOf(string precinctId)
    {
        if (Election.FindPrecinct(precinctId) is null) return null;
        lock (_lock) return _tabulation.ReportsOf(precinctId);
    }

    /// <summary>A precinct's view, read under the lock: its reports, the SDEs of its counted one, and flags.</summary>
    public PrecinctView? View(string precinctId)
    {
        var precinct = Election.FindPrecinct(precinctId);
        if (precinct is null) return null;
        lock (_lock)
        {
            var reports = _tabulation.ReportsOf(precinctId);
            var counted = reports.Counted;
            var aggregate = _tabulation.Aggregate;
            return new PrecinctView(precinct, reports,
                counted is null ? ImmutableSortedDictionary<string, Rational>.Empty : aggregate.PrecinctSdes(counted.Result),
                counted is null ? ImmutableSortedDictionary<string, SdeRange>.Empty : aggregate.PrecinctSdeRanges(counted.Result),
                counted is { Result.Allocation.IsProvisional: true } ? aggregate.PrecinctOutcomes(counted.Result) : [],
                _tabulation.SourcesDisagree(precinctId),
                PrecinctSde.IsProvisional(Election, precinct, _tabulation.IsReported));
        }
    }

    /// <summary>
    /// The exports' view, read under the lock: the version and its status, every precinct's counted report with
    /// its SDEs and standing, and the county, district and statewide totals. The core decides all of it.
    /// </summary>
    public ExportView ExportView()
    {
        lock (_lock)
        {
            var aggregate = _tabulation.Aggregate;
            var statewide = aggregate.Statewide();
            var precincts = Election.Precincts.Select(p =>
            {
                var reports = _tabulation.ReportsOf(p.Id);
                var counted = reports.Counted;
                return new ExportedPrecinct(p, counted,
                    counted is null ? ImmutableSortedDictionary<string, Rational>.Empty : aggregate.PrecinctSdes(counted.Result),
                    PrecinctStanding.Of(reports));
            });
            return new ExportView(Election, _tabulation.Version, _clock.GetUtcNow(), _tabulation.Status(statewide),
                ResultsStatusRule.Of(false, _tabulation.CertifiedSeq, _tabulation.LastChangeSeq, statewide), _test, statewide,
                Election.Districts.ToImmutableDictionary(d => d, d => aggregate.District(d)!, StringComparer.Ordinal),
                Election.Counties.ToImmutableDictionary(c => c.Name, c => aggregate.County(c.Name)!, StringComparer.Ordinal),
                [.. precincts])
            {
                GroupOf = aggregate.Spellings.Keys.ToImmutableDictionary(s => s, aggregate.ShownAs, StringComparer.Ordinal),
            };
        }
    }

    private void ApplyOne(SourceReport report)
    {
        if (_tabulation.HasApplied(report.Seq)) return;
        _tabulation.Apply(report);
        var id = report.Result.Precinct.Id;
        _reported = _tabulation.IsReported(id) ? _reported.Add(id) : _reported.Remove(id);
        _changes.Add(new ChangeDocument(report.Seq, report.Precinct, report.Revision, report.Source));
    }

    /// <summary>The merges stand as headquarters' actions replayed in commit order (any arrival order gives the same).</summary>
    private void MergeOne(StoredGroupMerge merge)
    {
        if (_tabulation.HasApplied(merge.Seq)) return;
        _groupMerges[merge.Seq] = (merge.FromName, merge.Action == GroupMergeAction.Merge ? merge.IntoName : null);
        _tabulation.Regroup(merge.Seq, GroupMerges.Replay(_groupMerges.Values));
    }

    /// <summary>A confirmed hold makes its precinct count: the reported set follows, as it does for a revision.</summary>
    private void DecideOne(ReviewDecision decision)
    {
        _tabulation.Decide(decision);
        var id = decision.Precinct.Value;
        _reported = _tabulation.IsReported(id) ? _reported.Add(id) : _reported.Remove(id);
    }

    private static ChangeDocument ChangeOf(long seq, string precinct, int revision, string source) =>
        new(seq, new PrecinctId(precinct), revision, SourceOf(source));

    private static ReviewDecision DecisionOf(StoredReviewDecision d) => new(d.Seq, d.ItemKey, new PrecinctId(d.PrecinctId), d.RevisionSeq,
        ApiJson.TryParse<ReviewAction>(d.Action, out var action) ? action : throw new InvalidOperationException($"Unknown stored action '{d.Action}'."),
        d.Reason, d.Actor);

    /// <summary>A stored source column (the schema's CHECK allows only the four names).</summary>
    private static ReportSource SourceOf(string stored) =>
        ApiJson.TryParse<ReportSource>(stored, out var source) ? source : throw new InvalidOperationException($"Unknown stored source '{stored}'.");

    /// <summary>Moves the published version to the tabulation's and releases whoever waits for it (under the lock).</summary>
    private void Publish()
    {
        _certified = _tabulation.IsCertified;
        if (_tabulation.Version == Version) return;
        Interlocked.Exchange(ref _versionAtTicks, _clock.GetUtcNow().UtcTicks);
        Interlocked.Exchange(ref _version, _tabulation.Version);
        _waiters.Release(_tabulation.Version);
    }

    private ResultsSnapshot Build(bool withCounties)
    {
        var now = _clock.GetUtcNow();
        var other = Election.RuleSet.SatelliteWeighting == SatelliteWeighting.Attendance ? SatelliteWeighting.Delegates : SatelliteWeighting.Attendance;
        var aggregate = _tabulation.Aggregate;
        var counties = withCounties
            ? Election.Counties.ToImmutableDictionary(c => c.Name, c => CountyDocument(c.Name, other, now), StringComparer.Ordinal)
            : null;
        var statewide = Document("statewide", aggregate.Statewide(), aggregate.Statewide(other), other, now, _tabulation.SourceDisagreements,
            _tabulation.DoubleEntryMismatches) with { LeaderAlert = LeaderAlert.Of(_tabulation) };
        // The satellites' share of the same count, from the same snapshot, so a page never puts two counts side by side
        // that were taken at different versions (the war room once said "246 of 1765 reporting: precincts 250 of 1678").
        var satellites = Election.Counties.Where(c => c.IsSatelliteCounty)
            .Select(c => aggregate.County(c.Name) is { } totals ? new PrecinctCounts(totals.Reporting, totals.Total) : new PrecinctCounts(0, 0)).ToList();
        if (satellites.Count > 0)
        {
            statewide = statewide with
            {
                Precincts = statewide.Precincts with { Satellites = new(satellites.Sum(p => p.Reporting), satellites.Sum(p => p.Total)) },
            };
        }
        _flags = null;
        return new ResultsSnapshot(_tabulation.Version, statewide, counties, _reported, now);
    }

    /// <summary>
    /// A county's document, rebuilt only when something it shows changed (its sums, its status or its flags): a report
    /// changes one county, so a snapshot of a busy night rebuilds one county document, not a hundred.
    /// </summary>
    private ResultsDocument CountyDocument(string county, SatelliteWeighting other, DateTimeOffset now)
    {
        var precincts = Election.PrecinctsIn(county);
        var key = (Stamp: _tabulation.Aggregate.CountyStamp(county), _tabulation.CertifiedSeq, _tabulation.LastChangeSeq,
            Disagreements: precincts.Count(p => _tabulation.SourcesDisagree(p.Id)),
            Mismatches: precincts.Count(p => _tabulation.ReportsOf(p.Id).DoubleEntry?.Differs == true));
        if (_countyDocuments.TryGetValue(county, out var cached) && cached.Key == key)
        {
            return cached.Document with { Version = _tabulation.Version, AsOf = now };
        }
        var document = Document($"county:{county}", _tabulation.Aggregate.County(county)!, _tabulation.Aggregate.County(county, other)!, other, now,
            key.Disagreements, key.Mismatches);
        _countyDocuments[county] = (key, document);
        return document;
    }

    private ResultsDocument Document(string scope, ResultsTotals totals, ResultsTotals otherTotals, SatelliteWeighting other,
        DateTimeOffset now, int disagreements, int mismatches) => new(
        _tabulation.Version,
        now,
        _tabulation.Status(totals),
        _test,
        scope,
        new PrecinctCounts(totals.Reporting, totals.Total),
        ResultsSnapshot.Ranked(totals),
        new ResultsFlags(totals.Inconsistent, totals.PendingTieBreaks, disagreements, totals.SatellitesProvisional, mismatches),
        new OtherReadingDocument(other, otherTotals.Candidates.ToDictionary(c => c.Name, c => c.SdeDisplay, StringComparer.Ordinal)))
    {
        StatewideHeadline = totals.Headline is { } headline ? StatewideHeadlineDocument.From(headline) : null,
    };
}

/// <summary>What GET /api/v1/precincts/{id} needs, read under the state's lock.</summary>
public sealed record PrecinctView(
    Precinct Precinct,
    PrecinctReports Reports,
    ImmutableSortedDictionary<string, Rational> Sde,
    ImmutableSortedDictionary<string, SdeRange> SdeRanges,
    ImmutableArray<PrecinctOutcome> Outcomes,
    bool SourcesDisagree,
    bool SdeProvisional);
