using System.Collections.Immutable;

namespace Caucus.Core.Model;

/// <summary><see cref="Count"/> early-vote preference cards of one precinct that ranked <see cref="Choices"/>, first choice first.</summary>
public sealed record EarlyRanking(ImmutableArray<string> Choices, int Count)
{
    public static EarlyRanking Of(int count, params string[] choices) => new([.. choices], count);

    private ImmutableArray<string> ChoicesOrEmpty => Choices.IsDefault ? [] : Choices;

    /// <summary>Value equality: the same choices in the same order and the same count (two entries of one report compare so).</summary>
    public bool Equals(EarlyRanking? other) =>
        other is not null && Count == other.Count && ChoicesOrEmpty.SequenceEqual(other.ChoicesOrEmpty, StringComparer.Ordinal);

    public override int GetHashCode() => HashCode.Combine(string.Join('\u001f', ChoicesOrEmpty), Count);
}

/// <summary>
/// A precinct's alignments with its early vote merged in (<see cref="Merged"/>: what the rule set allocates), and the
/// early vote's part of each alignment, so the in-person and early counts can be shown side by side.
/// </summary>
/// <param name="Merged">In person plus early: <c>Attendees</c> is N, everyone in the first alignment.</param>
/// <param name="EarlyFirst">Each valid card in its first choice's group.</param>
/// <param name="EarlyFinal">Each valid card in its highest-ranked choice viable in the first alignment.</param>
/// <param name="VoidCards">Cards with fewer than three different choices: in no group and not in N.</param>
/// <param name="LeftCards">Valid cards with no choice viable in the first alignment: in N, in no final group.</param>
/// <param name="Rankings">The rankings as reported (a correction starts from them).</param>
public sealed record EarlyVoteMerge(
    Tally Merged,
    ImmutableSortedDictionary<string, int> EarlyFirst,
    ImmutableSortedDictionary<string, int> EarlyFinal,
    int VoidCards,
    int LeftCards,
    ImmutableArray<EarlyRanking> Rankings = default);
