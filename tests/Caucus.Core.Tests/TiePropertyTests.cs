using Caucus.Core.Allocation;
using Caucus.Core.Rules.Iowa2020;
using Caucus.Core.Rules;
using Caucus.Core.Verification;
using CsCheck;

namespace Caucus.Core.Tests;

/// <summary>
/// RULES.md "Ties": a game of chance is called for exactly when the rules allow more than one
/// allocation, checked against <see cref="RulesOracle"/>, and a recorded outcome settles it.
/// </summary>
public class TiePropertyTests
{
    private static readonly Iowa2020RuleSet Rules = new();

    [Fact]
    public void A_tie_is_reported_exactly_when_the_rules_leave_a_choice()
    {
        int ties = 0, decided = 0;
        PrecinctGenerators.Precinct.Sample(p =>
        {
            var reading = RulesOracle.Read(p.Delegates, p.Attendees, p.FinalByName);
            if (reading is null) return; // RULES.md does not say; see the total-D property.
            var allocation = Rules.Allocate(p.Delegates, p.ToTally());
            var allowed = reading.Allowed.Select(RulesOracle.Show).ToHashSet();
            if (allowed.Count == 1)
            {
                Interlocked.Increment(ref decided);
                Assert.Null(allocation.Tie);
                Assert.Equal(AllocationStatus.Decided, allocation.Status);
                Assert.Equal(allowed.Single(), RulesOracle.Show(allocation.DelegatesByGroup));
                return;
            }
            Interlocked.Increment(ref ties);
            Assert.NotNull(allocation.Tie);
            Assert.Equal(AllocationStatus.PendingTieBreak, allocation.Status);
            Assert.True(allocation.IsProvisional);
            Assert.Contains(allocation.Warnings, w => w.Code == Caucus.Core.Validation.WarningCode.TieBreakPending);
            // The provisional allocation is one the rules allow, and the outcomes of the reported
            // game of chance give exactly the allocations the rules allow.
            Assert.Contains(RulesOracle.Show(allocation.DelegatesByGroup), allowed);
            var byOutcome = ConsistencyCheck.Outcomes(allocation.Tie)
                .Select(o => RulesOracle.Show(Rules.Allocate(p.Delegates, p.ToTally().WithTieBreaks([o])).DelegatesByGroup))
                .ToHashSet();
            Assert.Equal(allowed.Order(), byOutcome.Order());
        }, iter: 30_000, threads: 1);
        // The generator must actually reach both sides, or this test proves nothing.
        Assert.True(ties > 300, $"only {ties} ties in the sample");
        Assert.True(decided > 3000, $"only {decided} decided precincts in the sample");
    }

    [Fact]
    public void A_recorded_outcome_settles_the_tie_in_favour_of_its_winners()
    {
        var seen = 0;
        PrecinctGenerators.ElectingPrecinct.Sample(p =>
        {
            var tally = p.ToTally();
            var pending = Rules.Allocate(p.Delegates, tally);
            if (pending.Tie is not { } tie) return;
            Interlocked.Increment(ref seen);
            // Null where RULES.md itself is silent (people left and the extra delegates go round again): there the
            // engine's documented reading decides, and only the reading-free checks below apply.
            var reading = RulesOracle.Read(p.Delegates, p.Attendees, p.FinalByName);
            var outcomes = ConsistencyCheck.Outcomes(tie).ToList();
            var settledBy = outcomes.Select(o => Rules.Allocate(p.Delegates, tally.WithTieBreaks([o]))).ToList();
            for (var k = 0; k < outcomes.Count; k++)
            {
                var (outcome, settled) = (outcomes[k], settledBy[k]);
                Assert.Equal(tie.Delegates, outcome.Winners.Length);
                Assert.Equal(AllocationStatus.TieBroken, settled.Status);
                Assert.False(settled.IsProvisional);
                Assert.Equal(outcome, settled.AppliedTieBreak);
                Assert.Equal(p.Delegates, settled.TotalDelegates);
                foreach (var g in tie.Groups)
                {
                    // Favoured: a winner gets the most this group gets under any outcome, a loser the least, one apart.
                    var most = settledBy.Max(a => a.DelegatesOf(g));
                    var least = settledBy.Min(a => a.DelegatesOf(g));
                    Assert.Equal(least + 1, most);
                    Assert.Equal(outcome.Winners.Contains(g) ? most : least, settled.DelegatesOf(g));
                    // Where RULES.md decides: winners end on floor(raw) + 1, the others on floor(raw) (D = 1: 1 and 0).
                    if (reading is not null)
                    {
                        var floor = reading.Floor.GetValueOrDefault(g);
                        Assert.Equal(outcome.Winners.Contains(g) ? floor + 1 : floor, settled.DelegatesOf(g));
                    }
                }
                // Groups outside the tie are untouched by the toss.
                foreach (var g in settled.Groups.Where(g => !tie.Groups.Contains(g.Group)))
                {
                    Assert.Equal(pending.DelegatesOf(g.Group), g.Delegates);
                }
            }
        }, iter: 20_000, threads: 1);
        Assert.True(seen > 200, $"only {seen} ties in the sample");
    }
}
