using Caucus.Core.Arithmetic;
using Caucus.Core.Ranges;

namespace Caucus.Core.Aggregation;

/// <summary>
/// A candidate's popular vote (first and final alignment), county delegates and exact SDEs.
/// <see cref="SdeLow"/> and <see cref="SdeHigh"/> bound <see cref="Sde"/> over every outcome of the pending
/// games of chance (exact: each precinct's toss is independent, so the bound of the sum is the sum of the bounds).
/// </summary>
public sealed record CandidateTotals(string Name, long FirstAlignment, long FinalAlignment, long CountyDelegates, Rational Sde)
{
    public Rational SdeLow { get; init; } = Sde;

    public Rational SdeHigh { get; init; } = Sde;

    public SdeRange SdeRange => new(SdeLow, Sde, SdeHigh);

    /// <summary>SDEs as the party published them: 4 decimal places, halves up.</summary>
    public string SdeDisplay => Sde.ToDecimalString(4);
}
