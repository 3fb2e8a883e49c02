namespace Caucus.Core.Rules;

/// <summary>"equal rank: spades > hearts > diamonds > clubs": the enum's order is the suits' rank.</summary>
public enum Suit
{
    Clubs = 1,
    Diamonds,
    Hearts,
    Spades,
}

/// <summary>A playing card: <see cref="Rank"/> 2 to 14 (11 jack, 12 queen, 13 king, 14 ace: "aces high").</summary>
public readonly record struct Card(int Rank, Suit Suit) : IComparable<Card>
{
    public const int LowestRank = 2;
    public const int Ace = 14;

    /// <summary>"high card wins, aces high; equal rank: spades > hearts > diamonds > clubs".</summary>
    public int CompareTo(Card other) => Rank != other.Rank ? Rank.CompareTo(other.Rank) : Suit.CompareTo(other.Suit);

    public static bool operator <(Card a, Card b) => a.CompareTo(b) < 0;
    public static bool operator >(Card a, Card b) => a.CompareTo(b) > 0;
    public static bool operator <=(Card a, Card b) => a.CompareTo(b) <= 0;
    public static bool operator >=(Card a, Card b) => a.CompareTo(b) >= 0;

    public override string ToString() => $"{Rank switch { 11 => "J", 12 => "Q", 13 => "K", 14 => "A", _ => Rank.ToString() }} of {Suit}";
}

/// <summary>The card one tied group drew (the rules file's <c>{group, rank, suit}</c>).</summary>
public sealed record DrawnCard(string Group, Card Card);

/// <summary>The cards a tie's groups drew, read as the ranking they record (highest card first).</summary>
public static class DrawnCards
{
    /// <summary>
    /// The <see cref="Model.TieBreak"/> ranking the cards record; a <see cref="Validation.TallyException"/> naming the
    /// card (<c>cards[i]</c>) that cannot be: a rank outside 2 to 14, an unknown suit, a group drawing twice, the same card
    /// twice (one deck).
    /// </summary>
    public static Model.TieBreak Ranking(IReadOnlyList<DrawnCard> cards)
    {
        ArgumentNullException.ThrowIfNull(cards);
        var byGroup = new Dictionary<string, Card>(StringComparer.Ordinal);
        var seen = new HashSet<Card>();
        for (var i = 0; i < cards.Count; i++)
        {
            var (group, card) = cards[i] ?? throw new Validation.TallyException($"cards[{i}]", "A drawn card cannot be empty.");
            if (card.Rank is < Card.LowestRank or > Card.Ace)
                throw new Validation.TallyException($"cards[{i}].rank", $"A card's rank is 2 to 14 (aces high), not {card.Rank}.");
            if (!Enum.IsDefined(card.Suit))
                throw new Validation.TallyException($"cards[{i}].suit", "A card's suit is spades, hearts, diamonds or clubs.");
            if (!byGroup.TryAdd(group, card))
                throw new Validation.TallyException($"cards[{i}].group", $"{group} drew more than one card.");
            if (!seen.Add(card))
                throw new Validation.TallyException($"cards[{i}]", $"The {card} was drawn twice: the draw is from one deck.");
        }
        return Model.TieBreak.Ranked(byGroup.OrderByDescending(c => c.Value).Select(c => c.Key));
    }
}
