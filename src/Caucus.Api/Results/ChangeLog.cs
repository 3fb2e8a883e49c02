using Caucus.Core.Counting;

namespace Caucus.Api.Results;

/// <summary>
/// The recent changes for <c>/api/v1/changes?since=</c>: bounded (the oldest half is dropped past
/// <see cref="Capacity"/>), kept in version order so a cursor is found by binary search. A cursor older than
/// what is kept cannot be answered completely: the caller is told to reload instead of being given a partial list.
/// Not thread-safe: the results state owns it under its lock.
/// </summary>
internal sealed class ChangeLog(int capacity = ChangeLog.DefaultCapacity)
{
    public const int DefaultCapacity = 50_000;

    private readonly List<ChangeDocument> _entries = [];

    public int Capacity { get; } = capacity;

    /// <summary>Changes at or below this version may have been dropped.</summary>
    public long Floor { get; private set; }

    public void Add(ChangeDocument change)
    {
        // Changes arrive in version order from the follower; an out-of-order one is put in its place.
        var at = _entries.Count == 0 || _entries[^1].Version <= change.Version ? _entries.Count : FirstAfter(change.Version);
        _entries.Insert(at, change);
        if (_entries.Count > Capacity)
        {
            var drop = _entries.Count - Capacity / 2;
            Floor = _entries[drop - 1].Version;
            _entries.RemoveRange(0, drop);
        }
    }

    /// <summary>Each precinct's latest change after <paramref name="version"/>, in version order; null when the cursor is older than the log.</summary>
    public IReadOnlyList<ChangeDocument>? Since(long version)
    {
        if (version < Floor) return null;
        var latest = new Dictionary<PrecinctId, ChangeDocument>();
        for (var i = FirstAfter(version); i < _entries.Count; i++) latest[_entries[i].Precinct] = _entries[i];
        return [.. latest.Values.OrderBy(c => c.Version)];
    }

    private int FirstAfter(long version)
    {
        int lo = 0, hi = _entries.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (_entries[mid].Version <= version) lo = mid + 1;
            else hi = mid;
        }

        return lo;
    }
}
