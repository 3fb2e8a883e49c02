using Caucus.Core.Model;
using Caucus.Core.Rules;

namespace Caucus.Core.Counting;

/// <summary>The counting rules a service runs with, beyond the rule set's rounding.</summary>
/// <param name="DoubleEntry">Hotline reports count only once a second operator enters the same numbers (on by default).</param>
/// <param name="TestMode">A rehearsal: every document says test, and only certifications made in test mode apply.</param>
/// <param name="Plausibility">Past these limits a report is held out of every total until an admin confirms it; when null,
/// the election's rule set's (<see cref="IRuleSet.Plausibility"/>).</param>
public sealed record CountingRules(bool DoubleEntry = true, bool TestMode = false, PlausibilityLimits? Plausibility = null)
{
    public static CountingRules Default { get; } = new();

    /// <summary>The plausibility limits reports of <paramref name="election"/> are held by.</summary>
    public PlausibilityLimits PlausibilityOf(Election election)
    {
        ArgumentNullException.ThrowIfNull(election);
        return Plausibility ?? election.RuleSet.Plausibility;
    }
}
