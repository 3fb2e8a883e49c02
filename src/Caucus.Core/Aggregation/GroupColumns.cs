using Caucus.Core.Model;

namespace Caucus.Core.Aggregation;

/// <summary>
/// The groups the war room adds precincts up by: one column per group, the election's candidates first. Where the
/// groups are open (a walking subcaucus's, <c>ReportForm.OpenGroups</c>) a report that names a new group adds a column,
/// names differing only by case and spacing are one column (<see cref="GroupName.Key"/>), and headquarters may merge one
/// spelling into another (<see cref="GroupMerges"/>). Under a closed list the columns are the candidates, as named.
/// A precinct's own report and allocation are never renamed: only how they are added up.
/// </summary>
public sealed class GroupColumns
{
    private readonly bool _open;
    private readonly List<string> _keys = [];
    private readonly Dictionary<string, int> _byKey = new(StringComparer.Ordinal);
    private readonly int _candidates;

    public GroupColumns(IEnumerable<string> candidates, bool open, GroupMerges? merges = null)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        _open = open;
        Merges = merges ?? GroupMerges.None;
        foreach (var candidate in candidates) Column(candidate, add: true);
        _candidates = _keys.Count;
    }

    public GroupMerges Merges { get; }

    public int Count => _keys.Count;

    /// <summary>Whether the column is one of the election's candidates (shown even before any report names it).</summary>
    public bool IsCandidate(int column) => column < _candidates;

    /// <summary>The column a reported name adds up in; null when it has none yet.</summary>
    public int? Find(string name) => Column(name, add: false);

    /// <summary>The column a reported name adds up in, added when new.</summary>
    public int Add(string name) => Column(name, add: true)!.Value;

    /// <summary>What a name is added up by: its case-and-spacing key where groups are open (after headquarters' merges).</summary>
    public string KeyOf(string name) => _open ? Merges.Resolve(GroupName.Key(name)) : name;

    /// <summary>The same columns with other merges (the candidates first, then the names in the order given).</summary>
    public GroupColumns WithMerges(GroupMerges merges, IEnumerable<string> names, IEnumerable<string> candidates)
    {
        var columns = new GroupColumns(candidates, _open, merges);
        foreach (var name in names) columns.Add(name);
        return columns;
    }

    private int? Column(string name, bool add)
    {
        var key = KeyOf(name);
        if (_byKey.TryGetValue(key, out var column)) return column;
        if (!add) return null;
        _keys.Add(key);
        return _byKey[key] = _keys.Count - 1;
    }
}

/// <summary>One spelling headquarters merged into another, as the admin gave them.</summary>
public sealed record SpellingMerge(string From, string Into);

/// <summary>
/// Headquarters' merges of group spellings (the admin's "Climate Action Now" into "Climate Action"), by the merged
/// spelling's key: each merged key adds up under the key of the spelling it was merged into. A merge never makes a
/// cycle (<see cref="Merge"/> refuses one), so resolving ends.
/// </summary>
public sealed record GroupMerges(System.Collections.Immutable.ImmutableSortedDictionary<string, SpellingMerge> ByKey)
{
    public static GroupMerges None { get; } = new(System.Collections.Immutable.ImmutableSortedDictionary<string, SpellingMerge>.Empty.WithComparers(StringComparer.Ordinal));

    /// <summary>The key a key adds up under, following merges of merges.</summary>
    public string Resolve(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        for (var hops = 0; ByKey.TryGetValue(key, out var merge) && hops <= ByKey.Count; hops++) key = GroupName.Key(merge.Into);
        return key;
    }

    /// <summary>Merges the spelling <paramref name="from"/> into <paramref name="into"/>; null when that would add nothing or make a cycle.</summary>
    public GroupMerges? Merge(string from, string into)
    {
        var fromKey = GroupName.Key(from);
        var intoKey = GroupName.Key(into);
        if (Resolve(intoKey) == fromKey || Resolve(fromKey) == Resolve(intoKey)) return null;
        return new(ByKey.SetItem(fromKey, new SpellingMerge(GroupName.Normalize(from), GroupName.Normalize(into))));
    }

    /// <summary>Undoes the merge of <paramref name="from"/>; null when it is not merged.</summary>
    public GroupMerges? Unmerge(string from)
    {
        var fromKey = GroupName.Key(from);
        return ByKey.ContainsKey(fromKey) ? new(ByKey.Remove(fromKey)) : null;
    }

    /// <summary>
    /// The merges that stand after headquarters' actions in commit order (<c>Into</c> null: an unmerge). An action that
    /// no longer applies when replayed (two admins at once merged each into the other) changes nothing.
    /// </summary>
    public static GroupMerges Replay(IEnumerable<(string From, string? Into)> actions)
    {
        ArgumentNullException.ThrowIfNull(actions);
        var merges = None;
        foreach (var (from, into) in actions) merges = (into is null ? merges.Unmerge(from) : merges.Merge(from, into)) ?? merges;
        return merges;
    }
}
