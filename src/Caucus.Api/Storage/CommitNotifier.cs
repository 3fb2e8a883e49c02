using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Caucus.Api.Storage;

/// <summary>
/// Fans "committed up to seq N" out to subscribers. Each subscriber holds only the latest value
/// (capacity one, drop oldest): a reader that falls behind catches up with one load, not a backlog.
/// </summary>
internal sealed class CommitNotifier
{
    private readonly Lock _gate = new();
    private readonly List<Channel<long>> _subscribers = [];
    private long _highest;
    private bool _completed;

    public long Highest
    {
        get
        {
            lock (_gate)
            {
                return _highest;
            }
        }
    }

    /// <summary>Publishes <paramref name="seq"/> if it is higher than anything published before.</summary>
    public void Publish(long seq)
    {
        lock (_gate)
        {
            if (seq <= _highest)
            {
                return;
            }

            _highest = seq;
            foreach (var subscriber in _subscribers)
            {
                subscriber.Writer.TryWrite(seq);
            }
        }
    }

    public IAsyncEnumerable<long> Subscribe(CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<long>(new BoundedChannelOptions(1)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        });
        lock (_gate)
        {
            if (_completed)
            {
                channel.Writer.TryComplete();
            }
            else
            {
                _subscribers.Add(channel);
            }
        }

        return ReadAsync(channel, cancellationToken);
    }

    public void Complete()
    {
        lock (_gate)
        {
            _completed = true;
            foreach (var subscriber in _subscribers)
            {
                subscriber.Writer.TryComplete();
            }

            _subscribers.Clear();
        }
    }

    private async IAsyncEnumerable<long> ReadAsync(Channel<long> channel, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var seq in channel.Reader.ReadAllAsync(cancellationToken))
            {
                yield return seq;
            }
        }
        finally
        {
            lock (_gate)
            {
                _subscribers.Remove(channel);
            }
        }
    }
}
