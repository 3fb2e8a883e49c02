namespace Caucus.Core.Rules;

/// <summary>
/// The game of chance a rule set's ties go to. A recorded outcome is either its winners (a coin toss: the groups the
/// coin favoured) or a ranking of the tied groups (a card draw: highest card first; drawn lots: in the order drawn),
/// whose first groups win (<see cref="Model.TieBreak"/>).
/// </summary>
public enum TieMethod
{
    CoinToss,
    CardDraw,
    DrawnLot,
}

public static class TieMethods
{
    public static string Describe(this TieMethod method) => method switch
    {
        TieMethod.CoinToss => "coin toss",
        TieMethod.CardDraw => "card draw",
        TieMethod.DrawnLot => "drawing of lots",
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, null),
    };

    public static string DescribePlural(this TieMethod method) => method switch
    {
        TieMethod.CoinToss => "coin tosses",
        TieMethod.CardDraw => "card draws",
        TieMethod.DrawnLot => "drawings of lots",
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, null),
    };
}
