using Caucus.Core.Arithmetic;
using Caucus.Core.Rules;

namespace Caucus.Core.Counting;

/// <summary>
/// Whether what is still open could change the statewide leader in the headline unit (Iowa's SDEs, Nevada's county
/// convention delegates): the pending games of chance's ranges overlap, or the headline units of flagged precincts
/// (math that breaks the rules, sources that disagree, a game of chance pending) are as large as the leader's margin.
/// The words name the election's unit and game (<see cref="Rules.IRuleSet.Headline"/>, <see cref="Rules.TieMethod"/>). In 2020 nobody could say quickly whether the flagged precincts decided the race; this does.
/// </summary>
public sealed record LeaderAlert(bool AtRisk, string? Reason)
{
    public static LeaderAlert Of(Tabulation tabulation)
    {
        ArgumentNullException.ThrowIfNull(tabulation);
        var ranked = tabulation.Aggregate.Statewide().Candidates.OrderByDescending(c => c.Sde).ToList();
        if (ranked.Count < 2 || ranked[0].Sde == Rational.Zero) return new(false, null);
        var (leader, second) = (ranked[0], ranked[1]);
        var margin = leader.Sde - second.Sde;
        var headline = tabulation.Election.RuleSet.Headline;
        var unit = headline.Abbreviation;
        string Show(Rational value) => headline.Format(value);
        if (margin == Rational.Zero && leader.SdeLow == leader.SdeHigh && second.SdeLow == second.SdeHigh)
        {
            return new(true, $"{leader.Name} and {second.Name} are tied at {Show(leader.Sde)} {unit}.");
        }
        if (second.SdeHigh >= leader.SdeLow && headline.Statewide)
        {
            // A statewide headline's ranges are what the votes still out could do, not games of chance.
            return new(true, $"The votes still out could change the leader: {second.Name} can reach {Show(second.SdeHigh)} {unit} " +
                $"and {leader.Name} can fall to {Show(leader.SdeLow)}.");
        }
        if (second.SdeHigh >= leader.SdeLow)
        {
            return new(true, $"Pending {tabulation.Election.RuleSet.Ties.DescribePlural()} could change the leader: {second.Name} can reach " +
                $"{Show(second.SdeHigh)} {unit} and {leader.Name} can fall to {Show(leader.SdeLow)}.");
        }

        var flagged = tabulation.AllReports
            .Where(r => r.Value.Counted is { } c && (c.Result.IsInconsistent || c.Result.Allocation.IsProvisional || r.Value.SourcesDisagree))
            .Select(r => r.Value.Counted!.Result).ToList();
        var atStake = flagged.Aggregate(Rational.Zero, (sum, result) =>
        {
            var sdes = tabulation.Aggregate.PrecinctSdes(result);
            return sum + sdes.GetValueOrDefault(leader.Name, Rational.Zero) + sdes.GetValueOrDefault(second.Name, Rational.Zero);
        });
        return atStake >= margin && flagged.Count > 0
            ? new(true, $"{flagged.Count} flagged precinct(s) carry {Show(atStake)} {unit} for {leader.Name} and {second.Name}, " +
                $"at least the leader's margin of {Show(margin)}.")
            : new(false, null);
    }
}
