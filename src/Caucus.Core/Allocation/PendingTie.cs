using System.Collections.Immutable;

namespace Caucus.Core.Allocation;

public enum TieKind
{
    /// <summary>D = 1: groups tie for the most supporters in final alignment.</summary>
    SingleDelegate,

    /// <summary>Too many delegates after rounding: tied groups with the smallest rounded-up fraction; the winners keep theirs.</summary>
    TooMany,

    /// <summary>Too few delegates after rounding: tied groups with the largest rounded-down fraction; the winners gain one.</summary>
    TooFew,
}

/// <summary>
/// A tie the rules leave to a game of chance: exactly <see cref="Groups"/> tie for <see cref="Delegates"/>
/// delegates, i.e. <see cref="Delegates"/> of them are to be the winners of the toss.
/// </summary>
public sealed record PendingTie(TieKind Kind, ImmutableArray<string> Groups, int Delegates)
{
    public string Describe() => Kind switch
    {
        TieKind.SingleDelegate => $"{string.Join(" and ", Groups)} tie for the single delegate",
        TieKind.TooMany => $"{string.Join(" and ", Groups)} tie to keep {Delegates} rounded-up delegate(s): {Groups.Length - Delegates} of them must give one back",
        _ => $"{string.Join(" and ", Groups)} tie for {Delegates} extra delegate(s)",
    };

    public bool Equals(PendingTie? other) =>
        other is not null && Kind == other.Kind && Delegates == other.Delegates && Groups.SequenceEqual(other.Groups);

    public override int GetHashCode() => HashCode.Combine(Kind, Delegates, string.Join('\u001f', Groups));
}
