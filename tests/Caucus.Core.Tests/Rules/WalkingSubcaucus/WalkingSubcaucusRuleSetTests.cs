using System.Collections.Concurrent;
using Caucus.Core.Allocation;
using Caucus.Core.Model;
using Caucus.Core.Rules;
using Caucus.Core.Rules.WalkingSubcaucus;
using Caucus.Core.Validation;
using CsCheck;

namespace Caucus.Core.Tests.Rules.WalkingSubcaucus;

/// <summary>The walking subcaucus as a precinct rule set: first alignment = first count, final alignment = final count.</summary>
public class WalkingSubcaucusRuleSetTests
{
    private static readonly WalkingSubcaucusRuleSet Rules = new();

    private static Tally Count(int attendees, (string, int)[] first, (string, int)[] final) =>
        Tally.Create(attendees, first.Select(f => KeyValuePair.Create(f.Item1, f.Item2)), final.Select(f => KeyValuePair.Create(f.Item1, f.Item2)));

    [Fact]
    public void The_worked_example_as_a_report_elects_Red_4_Blue_4_Green_2()
    {
        var tally = Count(80,
            [("Red", 29), ("Blue", 26), ("Green", 12), ("Gold", 8), ("Teal", 5)],
            [("Red", 31), ("Blue", 27), ("Green", 12), ("Gold", 5), ("Teal", 0)]);
        var allocation = Rules.Allocate(10, tally);
        Assert.Equal(8, allocation.ViabilityThreshold);
        Assert.Equal(AllocationStatus.Decided, allocation.Status);
        Assert.Equal(4, allocation.DelegatesOf("Red"));
        Assert.Equal(4, allocation.DelegatesOf("Blue"));
        Assert.Equal(2, allocation.DelegatesOf("Green"));
        Assert.Equal(0, allocation.DelegatesOf("Gold"));
        Assert.Contains(allocation.Warnings, w => w.Code == WarningCode.NonViableGroupInFinal && w.Group == "Gold");
        // Members are not locked: a viable subcaucus that shrinks between counts is no warning here.
        Assert.DoesNotContain(allocation.Warnings, w => w.Code == WarningCode.ViableGroupShrank);
    }

    // The worked example's first count alone (80 members, 10 delegates): the viability number 8, Teal below it.
    [Fact]
    public void A_revision_with_only_the_first_count_shows_the_viability_number_and_who_is_viable()
    {
        var firstOnly = Count(80, [("Red", 29), ("Blue", 26), ("Green", 12), ("Gold", 8), ("Teal", 5)],
            [("Red", 0), ("Blue", 0), ("Green", 0), ("Gold", 0), ("Teal", 0)]);
        var counted = Rules.Count(10, firstOnly).Tally;
        Assert.Equal(firstOnly.First, counted.Final);
        var allocation = Rules.Allocate(10, counted);
        Assert.Equal(8, allocation.ViabilityThreshold);
        Assert.Equal(["Blue", "Gold", "Green", "Red"], allocation.Groups.Where(g => g.Viable).Select(g => g.Group).Order(StringComparer.Ordinal));
        Assert.False(allocation.Groups.Single(g => g.Group == "Teal").Viable);

        // A count with anyone in the final column is a final count: it is allocated as reported.
        var walked = Count(80, [("Red", 29), ("Blue", 26)], [("Red", 31), ("Blue", 0)]);
        Assert.Equal(walked, Rules.Count(10, walked).Tally);
    }

    [Fact]
    public void Equal_remainders_are_a_drawing_of_lots_provisional_until_its_winners_are_recorded()
    {
        var tally = Count(60, [("Climate", 20), ("Jobs", 20), ("Peace", 20)], [("Climate", 20), ("Jobs", 20), ("Peace", 20)]);
        var pending = Rules.Allocate(4, tally);
        Assert.Equal(AllocationStatus.PendingTieBreak, pending.Status);
        Assert.Equal(new PendingTie(TieKind.TooFew, ["Climate", "Jobs", "Peace"], 1), pending.Tie);
        Assert.Contains(pending.Warnings, w => w.Code == WarningCode.TieBreakPending && w.Message.Contains("drawing of lots", StringComparison.Ordinal));

        var drawn = Rules.Allocate(4, tally.WithTieBreaks([TieBreak.Of(["Climate", "Jobs", "Peace"], ["Peace"])]));
        Assert.Equal(AllocationStatus.TieBroken, drawn.Status);
        Assert.Equal(2, drawn.DelegatesOf("Peace"));
        Assert.Equal(1, drawn.DelegatesOf("Climate"));
    }

    [Fact]
    public void More_people_in_the_subcaucuses_than_signed_in_is_flagged_and_an_early_vote_refused()
    {
        var tally = Count(50, [("A", 30), ("B", 20)], [("A", 40), ("B", 20)]);
        Assert.Contains(Rules.Allocate(4, tally).Warnings, w => w.Code == WarningCode.CountExceedsSignIn);
        // A rule set's own check: the report goes to the review queue (Review.cs, rule-set-check) as the party reported it.
        Assert.True(WarningCode.CountExceedsSignIn.NeedsReview());
        Assert.Equal(RuleSets.Find("walking-subcaucus")!.Name, Rules.Name);
    }

    private static readonly Gen<(int Delegates, Tally Tally)> Precinct =
        Gen.Select(Gen.Int[1, 20], Gen.Int[0, 60].Array[2, 7])
            .Select((d, members) => (d, Count(members.Sum(),
                [.. members.Select((m, i) => ($"S{i}", m))], [.. members.Select((m, i) => ($"S{i}", m))])));

    [Fact]
    public void The_fast_allocator_gives_every_precinct_the_rule_sets_delegates_under_every_lot()
    {
        var seen = new ConcurrentDictionary<string, int>();
        var fast = new ThreadLocal<IFastAllocator>(Rules.CreateFastAllocator);
        Precinct.Sample(p =>
        {
            var kind = FastAllocatorAgreement.Check(Rules, fast.Value!, p.Delegates, p.Tally, out var expected) ?? "decided";
            seen.TryAdd(kind, 1);
            if (expected.Status != AllocationStatus.PendingTieBreak && expected.Groups.Any(g => g.Viable))
                Assert.Equal(p.Delegates, expected.TotalDelegates);
        }, iter: 10_000);
        Assert.True(seen.ContainsKey("decided") && seen.ContainsKey("tie TooFew"), string.Join(", ", seen.Keys));
    }
}
