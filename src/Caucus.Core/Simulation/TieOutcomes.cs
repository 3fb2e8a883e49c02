using Caucus.Core.Model;
using Caucus.Core.Projection;
using Caucus.Core.Rules;

namespace Caucus.Core.Simulation;

/// <summary>
/// The game of chance a synthetic precinct's tie goes to (the rule set's: coin toss, card draw, drawing of lots), held
/// fairly: the groups that win are drawn uniformly from the tied ones.
/// </summary>
public static class TieOutcomes
{
    /// <summary>The outcome of the tie <paramref name="tally"/> leaves pending under <paramref name="rules"/>, or null when nothing is left to chance.</summary>
    public static TieBreak? Hold(ref Xoshiro256 rng, IRuleSet rules, int delegates, Tally tally)
    {
        ArgumentNullException.ThrowIfNull(rules);
        if (rules.Allocate(delegates, rules.Count(delegates, tally).Tally).Tie is not { } tie) return null;
        var groups = tie.Groups.ToArray();
        for (var i = groups.Length - 1; i > 0; i--)
        {
            var j = rng.NextInt(i + 1);
            (groups[i], groups[j]) = (groups[j], groups[i]);
        }
        return TieBreak.Of(tie.Groups, groups.Take(tie.Delegates));
    }
}
