using System.Collections.Immutable;
using Caucus.Core.Arithmetic;

namespace Caucus.Core.Rules.SecretBallot;

/// <summary>
/// Delegates a lot must still settle: <see cref="Seats"/> of them go to that many of <see cref="Candidates"/>, whose
/// claims are exactly equal (the same remainder, or the same distance from rounding).
/// </summary>
public sealed record LotAtStake(ImmutableArray<string> Candidates, int Seats);

/// <summary>
/// The statewide allocation on a count: each candidate's delegates (every candidate of the count, zero included), the
/// exact quotas they came from, who cleared the threshold, the majority winner when more than half took every
/// delegate, and a lot still to be drawn (its seats are in no one's delegates until it is recorded).
/// </summary>
public sealed record SecretBallotAllocation(
    ImmutableSortedDictionary<string, int> Delegates,
    ImmutableSortedDictionary<string, Rational> Quotas,
    ImmutableSortedSet<string> Eligible,
    string? MajorityWinner,
    LotAtStake? Lot,
    long TotalVotes)
{
    /// <summary>Delegates given (the contest's delegates less any a lot still holds).</summary>
    public int Given => Delegates.Values.Sum();
}
