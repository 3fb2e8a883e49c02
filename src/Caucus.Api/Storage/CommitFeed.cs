using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Caucus.Api.Storage;

/// <summary>
/// A commit as a follower hears of it. From this instance's writer: the batch's changes (<see cref="Changes"/>, each
/// list in seq order), committed after <see cref="FirstSeq"/> − 1 and through <see cref="LastSeq"/>, nothing else in
/// between. From another instance (PostgreSQL NOTIFY): only "committed up to <see cref="LastSeq"/>", to be loaded.
/// </summary>
public sealed record CommitNotice(long FirstSeq, long LastSeq, StoredChanges? Changes)
{
    public static CommitNotice Upto(long seq) => new(0, seq, null);

    /// <summary>Whether the follower can apply <see cref="Changes"/> as they are: they start right after its cursor.</summary>
    public bool FollowsOn(long cursor) => Changes is not null && FirstSeq == cursor + 1;
}

/// <summary>
/// Fans commit notices out to followers, in the order they were published. Each subscriber holds a bounded backlog
/// and loses its oldest notice when full: the follower sees the gap (a batch that does not start right after its
/// cursor) and loads from the database once, which is what it did for every commit before batches were handed over.
/// </summary>
internal sealed class CommitFeed(int capacity = CommitFeed.DefaultCapacity)
{
    public const int DefaultCapacity = 256;

    private readonly Lock _gate = new();
    private readonly List<Channel<CommitNotice>> _subscribers = [];
    private long _highest;
    private bool _completed;

    /// <summary>
    /// Publishes a notice. A bare "up to seq" no higher than anything heard adds nothing (PostgreSQL tells this instance
    /// of its own commits too); a batch always goes out, the follower skips what it has.
    /// </summary>
    public void Publish(CommitNotice notice)
    {
        lock (_gate)
        {
            if (notice.Changes is null && notice.LastSeq <= _highest) return;
            _highest = Math.Max(_highest, notice.LastSeq);
            foreach (var subscriber in _subscribers) subscriber.Writer.TryWrite(notice);
        }
    }

    public IAsyncEnumerable<CommitNotice> Subscribe(CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<CommitNotice>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        });
        lock (_gate)
        {
            if (_completed) channel.Writer.TryComplete();
            else _subscribers.Add(channel);
        }

        return ReadAsync(channel, cancellationToken);
    }

    public void Complete()
    {
        lock (_gate)
        {
            _completed = true;
            foreach (var subscriber in _subscribers) subscriber.Writer.TryComplete();
            _subscribers.Clear();
        }
    }

    private async IAsyncEnumerable<CommitNotice> ReadAsync(Channel<CommitNotice> channel, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var notice in channel.Reader.ReadAllAsync(cancellationToken)) yield return notice;
        }
        finally
        {
            lock (_gate) _subscribers.Remove(channel);
        }
    }
}
