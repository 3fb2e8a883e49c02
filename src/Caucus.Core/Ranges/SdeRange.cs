using Caucus.Core.Arithmetic;

namespace Caucus.Core.Ranges;

/// <summary>
/// An SDE figure and the lowest and highest it can become over the pending games of chance
/// (<see cref="Value"/> is the provisional figure; all three are equal when nothing is pending).
/// </summary>
public readonly record struct SdeRange(Rational Low, Rational Value, Rational High)
{
    public bool IsExact => Low == High;

    /// <summary>"0.0784 – 0.1569" as the party would print it: 4 places, halves up.</summary>
    public string Display => IsExact ? Value.ToDecimalString(4) : $"{Low.ToDecimalString(4)} – {High.ToDecimalString(4)}";
}
