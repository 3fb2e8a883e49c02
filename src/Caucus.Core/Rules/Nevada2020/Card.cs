namespace Caucus.Core.Rules.Nevada2020;

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
