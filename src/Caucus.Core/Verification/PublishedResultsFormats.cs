using Caucus.Core.Rules;
using Caucus.Core.Rules.Iowa2020;
using Caucus.Core.Rules.Nevada2020;

namespace Caucus.Core.Verification;

/// <summary>The published-results format of each rule set this build knows, by the rule set's name (as <see cref="RuleSets"/>).</summary>
public static class PublishedResultsFormats
{
    public static IPublishedResultsFormat? For(IRuleSet rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        return rules.Name switch
        {
            Iowa2020RuleSet.RuleSetName => IowaIdpResultsFormat.Instance,
            Nevada2020RuleSet.RuleSetName => NevadaResultsFormat.Instance,
            _ => null,
        };
    }
}
