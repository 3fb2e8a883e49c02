using Caucus.Core.Rules.Iowa2020;
using Caucus.Core.Rules.Nevada2020;
using Caucus.Core.Rules.WalkingSubcaucus;

namespace Caucus.Core.Rules;

/// <summary>The rule sets this build knows, by the name an election definition gives.</summary>
public static class RuleSets
{
    public static IReadOnlyList<string> Names { get; } = [Iowa2020RuleSet.RuleSetName, Nevada2020RuleSet.RuleSetName, WalkingSubcaucusRuleSet.RuleSetName];

    public static IRuleSet? Find(string name, SatelliteWeighting weighting = SatelliteWeighting.Attendance) => name switch
    {
        Iowa2020RuleSet.RuleSetName => new Iowa2020RuleSet(weighting),
        Nevada2020RuleSet.RuleSetName => new Nevada2020RuleSet(),
        WalkingSubcaucusRuleSet.RuleSetName => new WalkingSubcaucusRuleSet(),
        _ => null,
    };
}
