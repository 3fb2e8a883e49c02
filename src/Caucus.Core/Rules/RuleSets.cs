using Caucus.Core.Rules.Iowa2020;
using Caucus.Core.Rules.Nevada2020;
using Caucus.Core.Rules.SecretBallot;
using Caucus.Core.Rules.WalkingSubcaucus;

namespace Caucus.Core.Rules;

/// <summary>The rule sets this build knows, by the name an election definition gives.</summary>
public static class RuleSets
{
    public static IReadOnlyList<string> Names { get; } = [Iowa2020RuleSet.RuleSetName, Nevada2020RuleSet.RuleSetName, WalkingSubcaucusRuleSet.RuleSetName,
        SecretBallotRuleSet.RuleSetName];

    /// <param name="electionJson">election.json's text, for a rule set with parameters there (<c>secret-ballot</c>'s
    /// <c>"secretBallot"</c> block): without it such a rule set is refused naming the block (an ElectionDefinitionException).</param>
    public static IRuleSet? Find(string name, SatelliteWeighting weighting = SatelliteWeighting.Attendance, string? electionJson = null) => name switch
    {
        SecretBallotRuleSet.RuleSetName => new SecretBallotRuleSet(SecretBallotParameters.Read(electionJson ?? "{}"),
            electionJson is null ? null : SecretBallotParameters.ReadLot(electionJson)),
        Iowa2020RuleSet.RuleSetName => new Iowa2020RuleSet(weighting),
        Nevada2020RuleSet.RuleSetName => new Nevada2020RuleSet(),
        WalkingSubcaucusRuleSet.RuleSetName => new WalkingSubcaucusRuleSet(),
        _ => null,
    };
}
