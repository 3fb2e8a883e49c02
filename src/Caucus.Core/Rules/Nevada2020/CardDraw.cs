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
        var byGroup = new Dictionary<string, Card>(StringComparer.Ordinal);
        var seen = new HashSet<Card>();
        for (var i = 0; i < drawn.Length; i++)
        {
            var (group, card) = drawn[i] ?? throw new TallyException($"cards[{i}]", "A drawn card cannot be empty.");
            if (card.Rank is < Card.LowestRank or > Card.Ace)
                throw new TallyException($"cards[{i}].rank", $"A card's rank is 2 to 14 (aces high), not {card.Rank}.");
            if (!Enum.IsDefined(card.Suit))
                throw new TallyException($"cards[{i}].suit", "A card's suit is spades, hearts, diamonds or clubs.");
            if (!tie.Groups.Contains(group))
                throw new TallyException($"cards[{i}].group", $"{group} is not one of the tied groups ({string.Join(", ", tie.Groups)}).");
            if (!byGroup.TryAdd(group, card))
                throw new TallyException($"cards[{i}].group", $"{group} drew more than one card.");
            if (!seen.Add(card))
                throw new TallyException($"cards[{i}]", $"The {card} was drawn twice: the draw is from one deck.");
        }
        var missing = tie.Groups.Where(g => !byGroup.ContainsKey(g)).ToArray();
        if (missing.Length > 0)
            throw new TallyException("cards", $"Every tied group draws a card; none is recorded for {string.Join(", ", missing)}.");
        var winners = byGroup.OrderByDescending(c => c.Value).Take(tie.Delegates).Select(c => c.Key);
        return TieBreak.Of(tie.Groups, winners);
    }
}
