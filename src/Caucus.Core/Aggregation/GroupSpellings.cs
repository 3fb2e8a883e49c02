namespace Caucus.Core.Aggregation;

/// <summary>
/// The group spellings the counted reports use, with how many counted precincts use each, and every spelling ever seen
/// in the order first seen (what the columns are rebuilt from after a merge). The war room shows a column in its most
/// used spelling (<see cref="Shown"/>). Not thread-safe: the aggregate's writer owns it.
/// </summary>
internal sealed class GroupSpellings
{
    private readonly List<string> _seen = [];
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _precincts = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, int> Precincts => _precincts;

    public IReadOnlyList<string> Seen => _seen;

    /// <summary>A counted precinct's spellings added (+1) or removed (-1).</summary>
    public void Add(IEnumerable<string> names, int sign)
    {
        foreach (var name in names)
        {
            if (_known.Add(name)) _seen.Add(name);
            var n = _precincts.GetValueOrDefault(name) + sign;
            if (n == 0) _precincts.Remove(name);
            else _precincts[name] = n;
        }
    }

    /// <summary>Forgets the counts (not what was seen): the sums are about to be added up again.</summary>
    public void ClearCounts() => _precincts.Clear();

    /// <summary>
    /// The columns the totals show, each with the name it is shown by: a candidate always, another group while a counted
    /// report names it; the spelling most precincts use (on a tie the candidate's, then the first in ordinal order).
    /// </summary>
    public List<(int Column, string Name)> Shown(IReadOnlyList<string> candidates, int columns, Func<string, int> columnOf)
    {
        var best = new (string Name, int Precincts)?[columns];
        for (var i = 0; i < candidates.Count; i++) best[i] = (candidates[i], 0);
        foreach (var (name, precincts) in _precincts.OrderBy(s => candidates.Contains(s.Key) ? 0 : 1).ThenBy(s => s.Key, StringComparer.Ordinal))
        {
            var column = columnOf(name);
            if (best[column] is not { } b || precincts > b.Precincts) best[column] = (name, precincts);
        }
        return [.. best.Select((b, i) => (i, b)).Where(x => x.b is not null).Select(x => (x.i, x.b!.Value.Name))];
    }
}
