using System.Collections.Immutable;
using Caucus.Core.Allocation;
using Caucus.Core.Model;
using Caucus.Core.Validation;

namespace Caucus.Core.Rules.Nevada2020;

/// <summary>
/// "Ties: ... a card draw: each tied group draws one card; high card wins, aces high; equal rank: spades > hearts >
/// diamonds > clubs. The cards drawn are recorded." The recorded cards become the <see cref="TieBreak"/> the rule set
/// applies: the groups with the highest cards are its winners (they gain the delegate, or keep it in a too-many draw,
/// where "the lowest card ... loses its second delegate").
/// </summary>
public static class CardDraw
{
    /// <summary>The tie-break the drawn cards record for <paramref name="tie"/>; a <see cref="TallyException"/> naming the card that cannot be.</summary>
    public static TieBreak Decide(PendingTie tie, IEnumerable<DrawnCard> cards)
    {
        ArgumentNullException.ThrowIfNull(tie);
        ArgumentNullException.ThrowIfNull(cards);
        var drawn = cards.ToImmutableArray();
        for (var i = 0; i < drawn.Length; i++)
        {
            if (drawn[i] is { } d && !tie.Groups.Contains(d.Group))
                throw new TallyException($"cards[{i}].group", $"{d.Group} is not one of the tied groups ({string.Join(", ", tie.Groups)}).");
        }
        var ranking = DrawnCards.Ranking(drawn);
        var missing = tie.Groups.Where(g => !ranking.Groups.Contains(g)).ToArray();
        if (missing.Length > 0)
            throw new TallyException("cards", $"Every tied group draws a card; none is recorded for {string.Join(", ", missing)}.");
        return TieBreak.Of(tie.Groups, ranking.WinnersOf(tie)!.Value);
    }
}
