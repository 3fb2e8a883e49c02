using System.Collections.Immutable;

namespace Caucus.Core.Rules;

/// <summary>
/// A rule set whose headline is allocated once, statewide, from the summed vote (a secret ballot's national delegates),
/// not summed from the units' delegates (<see cref="IRuleSet.Statewide"/>). The hosts, the aggregate and the projection
/// read it generically: the headline of a count, each candidate's range while votes are out, the delegates called.
/// </summary>
public interface IStatewideHeadline
{
    /// <summary>
    /// The headline on <paramref name="votes"/> (every candidate's statewide vote), with each candidate's range given
    /// that at most <paramref name="remainingVotes"/> more votes can still come in, split any way.
    /// </summary>
    StatewideCount Count(IReadOnlyDictionary<string, long> votes, long remainingVotes);

    /// <summary>A fresh allocator for the projection's inner loop over <paramref name="candidates"/> (one per thread).</summary>
    IFastStatewideAllocator CreateFastAllocator(IReadOnlyList<string> candidates);
}

/// <summary>The headline's arithmetic on a draw's votes (candidates in the order it was made for), without allocation per call.</summary>
public interface IFastStatewideAllocator
{
    /// <summary>Fills <paramref name="seats"/> with each candidate's delegates on <paramref name="votes"/> (whole counts);
    /// equal claims on the last delegates go to the earlier candidate, as a fair lot's provisional outcome.</summary>
    void Allocate(ReadOnlySpan<double> votes, Span<double> seats);
}

/// <summary>
/// A candidate's headline on the current count, and the range it could still end in given the votes out (low = the
/// delegates it is sure of: called).
/// </summary>
public sealed record StatewideCandidate(string Name, long Votes, int Delegates, int Low, int High);

/// <summary>
/// The statewide headline of a count: each candidate's line, the delegates no vote still out can move
/// (<see cref="Called"/>), the most votes still assumed out, and the seats a lot still holds (in no one's delegates).
/// <paramref name="RangesExact"/> says whether the ranges are the exact extremes or sound bounds (the rule set's README).
/// </summary>
public sealed record StatewideCount(ImmutableArray<StatewideCandidate> Candidates, int Called, long RemainingVotes, int LotSeats, bool RangesExact)
{
    /// <summary>How <see cref="RemainingVotes"/> was bounded, in words the war room shows (the stated assumption).</summary>
    public string? RemainingVotesBasis { get; init; }
}
