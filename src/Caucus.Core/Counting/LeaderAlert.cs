using Caucus.Core.Arithmetic;

namespace Caucus.Core.Counting;

/// <summary>
/// Whether what is still open could change the statewide SDE leader: the pending tosses' ranges overlap, or the
/// SDEs of flagged precincts (math that breaks the rules, sources that disagree, a toss pending) are as large as
/// the leader's margin. In 2020 nobody could say quickly whether the flagged precincts decided the race; this does.
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
        if (margin == Rational.Zero && leader.SdeLow == leader.SdeHigh && second.SdeLow == second.SdeHigh)
        {
            return new(true, $"{leader.Name} and {second.Name} are tied at {leader.Sde.ToDecimalString(4)} SDE.");
        }
        if (second.SdeHigh >= leader.SdeLow)
        {
            return new(true, $"Pending tosses could change the leader: {second.Name} can reach {second.SdeHigh.ToDecimalString(4)} SDE " +
                $"and {leader.Name} can fall to {leader.SdeLow.ToDecimalString(4)}.");
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
            ? new(true, $"{flagged.Count} flagged precinct(s) carry {atStake.ToDecimalString(4)} SDE for {leader.Name} and {second.Name}, " +
                $"at least the leader's margin of {margin.ToDecimalString(4)}.")
            : new(false, null);
    }
}
