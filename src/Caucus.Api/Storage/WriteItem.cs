using System.Data.Common;
using System.Runtime.ExceptionServices;

namespace Caucus.Api.Storage;

/// <summary>What one write sees inside the writer's transaction.</summary>
internal sealed class WriteContext(DbConnection connection, DbTransaction transaction, long highestSeq, int attempt, CancellationToken cancellationToken)
{
    /// <summary>The highest seq committed before this transaction: what it appends is the range after it.</summary>
    public long StartingSeq { get; } = highestSeq;

    public DbConnection Connection { get; } = connection;
    public DbTransaction Transaction { get; } = transaction;
    public CancellationToken CancellationToken { get; } = cancellationToken;

    /// <summary>0 on the first attempt at the batch; more when it is retried (its last COMMIT may have happened).</summary>
    public int Attempt { get; } = attempt;

    /// <summary>The seq the next change takes: one sequence for revisions and certifications, given under the write lock.</summary>
    public long NextSeq => HighestSeq + 1;

    /// <summary>The highest seq committed or appended so far in this transaction.</summary>
    public long HighestSeq { get; private set; } = highestSeq;

    /// <summary>The highest seq this batch appended, or 0.</summary>
    public long AppendedSeq { get; private set; }

    // What this batch appended, in seq order: handed to the follower after the commit, so it need not read it back.
    private readonly List<object> _changes = [];

    public void Appended(StoredRevision revision) => Appended(revision.Seq, revision);

    public void Appended(Certification certification) => Appended(certification.Seq, certification);

    public void Appended(StoredReviewDecision decision) => Appended(decision.Seq, decision);

    public void Appended(StoredGroupMerge merge) => Appended(merge.Seq, merge);

    /// <summary>Records that <see cref="NextSeq"/> was used (an item undone by its savepoint never calls this, so its seq is reused).</summary>
    private void Appended(long seq, object change)
    {
        HighestSeq = seq;
        AppendedSeq = seq;
        _changes.Add(change);
    }

    /// <summary>Where the changes stand before an item runs, to drop its own if its savepoint is rolled back.</summary>
    public int Mark() => _changes.Count;

    public void UndoSince(int mark) => _changes.RemoveRange(mark, _changes.Count - mark);

    /// <summary>The batch as committed, for the follower; null when it appended no change.</summary>
    public CommitNotice? Committed()
    {
        if (_changes.Count == 0) return null;
        var changes = new StoredChanges(_changes.OfType<StoredRevision>().ToList(), _changes.OfType<Certification>().ToList(),
            _changes.OfType<StoredReviewDecision>().ToList(), _changes.OfType<StoredGroupMerge>().ToList());
        return new CommitNotice(StartingSeq + 1, AppendedSeq, changes);
    }
}

/// <summary>One write for the group-commit writer: a function run inside the batch's transaction, and the caller's result.</summary>
internal sealed class WriteItem<T>(Func<WriteContext, Task<T>> execute) : IWriteItem
{
    private const int Queued = 0, Taken = 1, Withdrawn = 2;

    private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _state;
    private T? _result;
    private ExceptionDispatchInfo? _itemFailure;

    public Task<T> Task => _completion.Task;

    /// <summary>Set on a revision append, which the writer may put into one statement with the rest of its batch.</summary>
    public NewRevision? Revision { get; init; }

    public async Task ExecuteAsync(WriteContext context)
    {
        _itemFailure = null;
        _result = await execute(context);
    }

    /// <summary>The result worked out by the writer's batch path instead of <see cref="ExecuteAsync"/>.</summary>
    public void SetResult(T result)
    {
        _itemFailure = null;
        _result = result;
    }

    public void SetItemFailure(Exception exception) => _itemFailure = ExceptionDispatchInfo.Capture(exception);

    public void Complete()
    {
        if (_itemFailure is not null) _completion.TrySetException(_itemFailure.SourceException);
        else _completion.TrySetResult(_result!);
    }

    public void Fail(Exception exception) => _completion.TrySetException(exception);

    public bool TryTake() => Interlocked.CompareExchange(ref _state, Taken, Queued) == Queued;

    /// <summary>Withdraws a write the writer has not taken yet; false once it is in a transaction.</summary>
    public bool TryWithdraw() => Interlocked.CompareExchange(ref _state, Withdrawn, Queued) == Queued;
}

internal interface IWriteItem
{
    /// <summary>Runs the write; a retry of the batch runs it again from scratch.</summary>
    Task ExecuteAsync(WriteContext context);

    void SetItemFailure(Exception exception);

    /// <summary>After the commit: hands the caller its result or its own item failure.</summary>
    void Complete();

    void Fail(Exception exception);

    /// <summary>The writer takes the item into a batch, unless its caller withdrew it first.</summary>
    bool TryTake();
}
