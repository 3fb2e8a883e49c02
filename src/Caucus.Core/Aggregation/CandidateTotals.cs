using Caucus.Core.Arithmetic;

namespace Caucus.Core.Aggregation;

/// <summary>A candidate's popular vote (first and final alignment), county delegates and exact SDEs.</summary>
public sealed record CandidateTotals(string Name, long FirstAlignment, long FinalAlignment, long CountyDelegates, Rational Sde)
{
    /// <summary>SDEs as the party published them: 4 decimal places, halves up.</summary>
    public string SdeDisplay => Sde.ToDecimalString(4);
}
