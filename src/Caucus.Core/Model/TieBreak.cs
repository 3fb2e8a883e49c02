using System.Collections.Immutable;
using Caucus.Core.Allocation;

namespace Caucus.Core.Model;

/// <summary>
/// The recorded outcome of a game of chance (coin toss, drawing lots) among <see cref="Groups"/>:
/// <see cref="Winners"/> are the groups the chance favoured (they keep or gain the delegates in dispute).
/// </summary>
public sealed record TieBreak(ImmutableArray<string> Groups, ImmutableArray<string> Winners)
{
    public static TieBreak Of(IEnumerable<string> groups, IEnumerable<string> winners) =>
        new([.. groups.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
            [.. winners.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)]);

    public bool Settles(PendingTie tie) =>
        Groups.SequenceEqual(tie.Groups) && Winners.Length == tie.Delegates && Winners.All(w => tie.Groups.Contains(w));

    public bool Equals(TieBreak? other) =>
        other is not null && Groups.SequenceEqual(other.Groups) && Winners.SequenceEqual(other.Winners);

    public override int GetHashCode() => HashCode.Combine(string.Join('\u001f', Groups), string.Join('\u001f', Winners));
}
