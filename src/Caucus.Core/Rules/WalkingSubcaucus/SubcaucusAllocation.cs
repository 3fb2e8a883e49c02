using System.Collections.Immutable;
using Caucus.Core.Arithmetic;

namespace Caucus.Core.Rules.WalkingSubcaucus;

/// <summary>One subcaucus on a count: its members, whether it is viable, its exact quotient and its delegates.</summary>
public sealed record SubcaucusResult(string Name, int Members, bool Viable, Rational Quotient, int Delegates);

/// <summary>
/// A precinct's walking-subcaucus count and its delegates: the viability number, the exact divisor (null when no
/// subcaucus is viable), each subcaucus (in the order reported), each lot drawn, and a lot still to draw (its seats are in
/// no one's delegates until it is recorded).
/// </summary>
public sealed record SubcaucusAllocation(
    int Delegates,
    int TotalMembers,
    int ViabilityNumber,
    Rational? Divisor,
    ImmutableArray<SubcaucusResult> Subcaucuses,
    ImmutableArray<LotOutcome> Lots,
    LotOutcome? PendingLot)
{
    public int Given => Subcaucuses.Sum(s => s.Delegates);

    /// <summary>True when no subcaucus reached the viability number: the members must combine and count again.</summary>
    public bool NoneViable => Divisor is null;
}
