using System.Data.Common;

namespace Caucus.Api.Storage;

/// <summary>
/// A dialect's statements for appending a whole batch of revisions in a constant number of round trips
/// (PostgreSQL: <see cref="PostgresRevisionBatch"/>). SQLite has none: it is in-process, so the per-item path
/// costs it no round trips.
/// </summary>
internal interface IRevisionBatchStatements
{
    /// <summary>
    /// Takes the write lock, then reads the highest seq, the stored revisions holding any of the batch's idempotency
    /// keys, and whether each mode's results are certified now: everything the batch's outcomes depend on.
    /// </summary>
    Task<RevisionBatchStart> BeginAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<NewRevision> revisions,
        CancellationToken cancellationToken);

    /// <summary>
    /// Inserts the revisions at their seqs (contiguous, ascending) and returns each one's per-precinct revision number,
    /// in the same order; with <paramref name="notifyPayload"/>, announces the commit in the same round trip.
    /// </summary>
    Task<int[]> InsertAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<(long Seq, NewRevision Revision)> rows,
        string? notifyPayload, CancellationToken cancellationToken);
}

/// <summary>What the batch path reads under the write lock before it decides anything.</summary>
internal sealed record RevisionBatchStart(long HighestSeq, IReadOnlyList<StoredRevision> KeyedRevisions, bool CertifiedLive, bool CertifiedTest);

/// <summary>
/// Works out in memory what the per-item path would have done for each revision of a batch, in order: a stored key
/// replays or conflicts; a key used earlier in the same batch replays that earlier revision (same body) or conflicts
/// (other body); a revision refused while the results are certified is refused; the rest get the next seqs. Any
/// append ends a certified state (its seq follows every certification), exactly as it would for the next item.
/// </summary>
internal sealed class RevisionBatchPlan
{
    private readonly IReadOnlyList<NewRevision> _revisions;
    private readonly AppendOutcome?[] _outcomes;
    private readonly int[] _insertOf;
    private readonly int[] _repeatOf;

    public RevisionBatchPlan(IReadOnlyList<NewRevision> revisions, RevisionBatchStart start)
    {
        _revisions = revisions;
        _outcomes = new AppendOutcome?[revisions.Count];
        _insertOf = new int[revisions.Count];
        _repeatOf = new int[revisions.Count];
        var stored = start.KeyedRevisions.ToDictionary(r => new Key(r.PrecinctId, r.Actor, r.IdempotencyKey!));
        var keysInBatch = new Dictionary<Key, int>();
        bool certifiedLive = start.CertifiedLive, certifiedTest = start.CertifiedTest;
        var seq = start.HighestSeq;
        var rows = new List<(long, NewRevision)>();
        for (var i = 0; i < revisions.Count; i++)
        {
            var revision = revisions[i];
            _insertOf[i] = _repeatOf[i] = -1;
            Key? key = revision.IdempotencyKey is { } k ? new Key(revision.PrecinctId, revision.Actor, k) : null;
            if (key is { } storedKey && stored.TryGetValue(storedKey, out var original))
            {
                _outcomes[i] = Repeat(revision, original);
                continue;
            }

            if (key is { } batchKey && keysInBatch.TryGetValue(batchKey, out var earlier))
            {
                _repeatOf[i] = earlier;
                continue;
            }

            if (revision.RefusedWhenCertifiedInTestMode is { } test && (test ? certifiedTest : certifiedLive))
            {
                _outcomes[i] = new AppendOutcome.RefusedCertified();
                continue;
            }

            _insertOf[i] = rows.Count;
            if (key is { } newKey) keysInBatch[newKey] = rows.Count;
            rows.Add((++seq, revision));
            certifiedLive = certifiedTest = false;
        }

        Rows = rows;
    }

    /// <summary>The revisions to insert, each with its seq.</summary>
    public IReadOnlyList<(long Seq, NewRevision Revision)> Rows { get; }

    /// <summary>Each revision's outcome, given the revision numbers the insert returned (in <see cref="Rows"/> order).</summary>
    public IReadOnlyList<AppendOutcome> Outcomes(int[] numbers)
    {
        var appended = new StoredRevision[Rows.Count];
        for (var j = 0; j < Rows.Count; j++)
        {
            var (seq, r) = Rows[j];
            appended[j] = new StoredRevision(seq, r.PrecinctId, numbers[j], r.Source, r.Actor, StoreDialect.TruncateToMicroseconds(r.ReceivedAt),
                r.IdempotencyKey, r.BodyHash, r.RawBody, r.SubmissionId);
        }

        var outcomes = new AppendOutcome[_revisions.Count];
        for (var i = 0; i < outcomes.Length; i++)
        {
            outcomes[i] = _outcomes[i]
                ?? (_insertOf[i] >= 0 ? new AppendOutcome.Appended(appended[_insertOf[i]]) : Repeat(_revisions[i], appended[_repeatOf[i]]));
        }

        return outcomes;
    }

    private static AppendOutcome Repeat(NewRevision revision, StoredRevision original) =>
        original.BodyHash == revision.BodyHash ? new AppendOutcome.Replayed(original) : new AppendOutcome.KeyConflict(original);

    /// <summary>A key belongs to one credential and one precinct (schema 0006).</summary>
    private readonly record struct Key(string PrecinctId, string Actor, string IdempotencyKey);
}
