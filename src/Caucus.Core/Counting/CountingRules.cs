namespace Caucus.Core.Counting;

/// <summary>The counting rules a service runs with, beyond the rule set's rounding.</summary>
/// <param name="DoubleEntry">Hotline reports count only once a second operator enters the same numbers (on by default).</param>
public sealed record CountingRules(bool DoubleEntry = true)
{
    public static CountingRules Default { get; } = new();
}
