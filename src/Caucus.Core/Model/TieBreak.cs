using System.Collections.Immutable;
using Caucus.Core.Allocation;

namespace Caucus.Core.Model;

/// <summary>
/// The recorded outcome of a game of chance (coin toss, card draw, drawing lots) among <see cref="Groups"/>: either
/// <see cref="Winners"/>, the groups the chance favoured (they keep or gain the delegates in dispute), or a
/// <see cref="Ranking"/> of all the tied groups, best first (the cards drawn, highest first; lots in the order drawn),
/// whose first groups win as many as the tie leaves to chance. A ranking is what a card draw records: the number of
/// winners is the rules' arithmetic, not the chair's.
/// </summary>
public sealed record TieBreak(ImmutableArray<string> Groups, ImmutableArray<string> Winners, ImmutableArray<string> Ranking = default)
{
    public static TieBreak Of(IEnumerable<string> groups, IEnumerable<string> winners) =>
        new([.. groups.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
            [.. winners.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)]);

    /// <summary>A ranking of the tied groups, best first (each group once).</summary>
    public static TieBreak Ranked(IEnumerable<string> ranking)
    {
        ImmutableArray<string> order = [.. ranking.Distinct(StringComparer.Ordinal)];
        return new([.. order.Order(StringComparer.Ordinal)], [], order);
    }

    public ImmutableArray<string> RankingOrEmpty => Ranking.IsDefault ? [] : Ranking;

    public bool IsRanking => !RankingOrEmpty.IsEmpty;

    /// <summary>The winners this outcome gives <paramref name="tie"/>, or null when it does not settle that tie.</summary>
    public ImmutableArray<string>? WinnersOf(PendingTie tie)
    {
        ArgumentNullException.ThrowIfNull(tie);
        if (!Groups.SequenceEqual(tie.Groups)) return null;
        if (IsRanking) return [.. Ranking.Take(tie.Delegates).Order(StringComparer.Ordinal)];
        return Winners.Length == tie.Delegates && Winners.All(w => tie.Groups.Contains(w)) ? Winners : null;
    }

    public bool Settles(PendingTie tie) => WinnersOf(tie) is not null;

    public bool Equals(TieBreak? other) =>
        other is not null && Groups.SequenceEqual(other.Groups) && Winners.SequenceEqual(other.Winners)
        && RankingOrEmpty.SequenceEqual(other.RankingOrEmpty);

    public override int GetHashCode() =>
        HashCode.Combine(string.Join('\u001f', Groups), string.Join('\u001f', Winners), string.Join('\u001f', RankingOrEmpty));
}
