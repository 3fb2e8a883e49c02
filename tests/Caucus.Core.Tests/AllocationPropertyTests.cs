using Caucus.Core.Allocation;
using Caucus.Core.Model;
using Caucus.Core.Rules.Iowa2020;
using Caucus.Core.Rules;
using Caucus.Core.Validation;
using CsCheck;

namespace Caucus.Core.Tests;

/// <summary>Invariants of RULES.md "Delegates per group" over generated well-formed precincts.</summary>
public class AllocationPropertyTests
{
    private static readonly Iowa2020RuleSet Rules = new();

    [Fact]
    public void Delegates_total_D_in_every_well_formed_precinct_with_a_viable_group()
    {
        PrecinctGenerators.ElectingPrecinct.Sample(p =>
        {
            var allocation = Rules.Allocate(p.Delegates, p.ToTally());
            Assert.Contains(allocation.Groups, g => g.Viable);
            Assert.Equal(p.Delegates, allocation.TotalDelegates);
        }, iter: 20_000);
    }

    [Fact]
    public void No_group_below_the_threshold_gets_a_delegate()
    {
        PrecinctGenerators.Precinct.Sample(p =>
        {
            var allocation = Rules.Allocate(p.Delegates, p.ToTally());
            var threshold = PrecinctGenerators.Threshold(p.Delegates, p.Attendees);
            Assert.Equal(threshold, allocation.ViabilityThreshold);
            foreach (var g in allocation.Groups)
            {
                var viable = g.Final > 0 && g.Final >= threshold;
                Assert.Equal(viable, g.Viable);
                if (!viable) Assert.Equal(0, g.Delegates);
            }
        }, iter: 20_000);
    }

    [Fact]
    public void Well_formed_precincts_raise_no_alignment_warning()
    {
        // The generator realigns as the rules allow, so none of the "Alignment" checks may fire.
        WarningCode[] alignment = [WarningCode.FirstTotalDiffersFromAttendees, WarningCode.FinalExceedsAttendees,
            WarningCode.ViableGroupShrank, WarningCode.NonViableGroupInFinal, WarningCode.NoViableGroup];
        PrecinctGenerators.Precinct.Sample(p =>
        {
            var allocation = Rules.Allocate(p.Delegates, p.ToTally());
            Assert.DoesNotContain(allocation.Warnings, w => alignment.Contains(w.Code));
        }, iter: 10_000);
    }

    [Fact]
    public void Allocation_does_not_depend_on_the_order_or_the_names_of_the_groups()
    {
        var gen = Gen.Select(PrecinctGenerators.Precinct, Gen.Int.Array[8], Gen.Bool);
        gen.Sample((p, keys, reverseInput) =>
        {
            // Group i of the original is called renamed[i] in the copy: a permutation of the same names,
            // so ordinal order (the order of the provisional allocation) differs.
            var renamed = PrecinctGenerators.Names.Select((n, i) => (n, keys[i])).OrderBy(x => x.Item2).ThenBy(x => x.n, StringComparer.Ordinal)
                .Select(x => x.n).Take(p.Names.Length).ToArray();
            var back = renamed.Select((n, i) => (n, p.Names[i])).ToDictionary(x => x.n, x => x.Item2, StringComparer.Ordinal);
            var original = Rules.Allocate(p.Delegates, p.ToTally());
            var first = p.First.Select((n, i) => KeyValuePair.Create(renamed[i], n)).ToList();
            var final = p.Final.Select((n, i) => KeyValuePair.Create(renamed[i], n)).ToList();
            if (reverseInput) { first.Reverse(); final.Reverse(); }
            var copy = Rules.Allocate(p.Delegates, Tally.Create(p.Attendees, first, final));

            Assert.Equal(original.Status, copy.Status);
            Assert.Equal(original.ViabilityThreshold, copy.ViabilityThreshold);
            foreach (var g in copy.Groups)
            {
                Assert.Equal(original.Groups.Single(o => o.Group == back[g.Group]).Viable, g.Viable);
            }
            if (original.Tie is null)
            {
                Assert.Null(copy.Tie);
                foreach (var g in copy.Groups) Assert.Equal(original.DelegatesOf(back[g.Group]), g.Delegates);
                return;
            }
            Assert.NotNull(copy.Tie);
            Assert.Equal(original.Tie.Kind, copy.Tie.Kind);
            Assert.Equal(original.Tie.Delegates, copy.Tie.Delegates);
            Assert.Equal(original.Tie.Groups.Order(StringComparer.Ordinal), copy.Tie.Groups.Select(g => back[g]).Order(StringComparer.Ordinal));
            // Under the same recorded outcome both give every group the same delegates.
            var renamedTally = Tally.Create(p.Attendees, first, final);
            foreach (var outcome in Caucus.Core.Verification.ConsistencyCheck.Outcomes(copy.Tie))
            {
                var inCopy = Rules.Allocate(p.Delegates, renamedTally.WithTieBreaks([outcome]));
                var mapped = TieBreak.Of(outcome.Groups.Select(g => back[g]), outcome.Winners.Select(g => back[g]));
                var inOriginal = Rules.Allocate(p.Delegates, p.ToTally().WithTieBreaks([mapped]));
                Assert.Equal(AllocationStatus.TieBroken, inCopy.Status);
                Assert.Equal(AllocationStatus.TieBroken, inOriginal.Status);
                foreach (var g in inCopy.Groups) Assert.Equal(inOriginal.DelegatesOf(back[g.Group]), g.Delegates);
            }
        }, iter: 10_000);
    }

    [Fact]
    public void Any_tally_gives_a_result_or_a_tally_exception_and_nothing_else()
    {
        PrecinctGenerators.AnyTally.Sample(t =>
        {
            try
            {
                var allocation = Rules.Allocate(t.Delegates, t.Tally);
                Assert.Equal(t.Tally.Groups.Length, allocation.Groups.Length);
            }
            catch (TallyException)
            {
                // Named and refused: allowed.
            }
        }, iter: 50_000, print: t => $"D={t.Delegates} A={t.Tally.Attendees} first=[{string.Join(",", t.Tally.First)}] final=[{string.Join(",", t.Tally.Final)}]");
    }
}
