using Caucus.Core.Arithmetic;
using Caucus.Core.Rules.WalkingSubcaucus;
using Caucus.Core.Validation;
using CsCheck;

namespace Caucus.Core.Tests.Rules.WalkingSubcaucus;

/// <summary>The walking subcaucus on one count: the rules file's worked example, cases built from the Call's text, properties.</summary>
public class SubcaucusAllocatorTests
{
    [Fact]
    public void The_worked_example_first_count_makes_Teal_not_viable()
    {
        var first = SubcaucusAllocator.Allocate(10, [("Red", 29), ("Blue", 26), ("Green", 12), ("Gold", 8), ("Teal", 5)]);
        Assert.Equal(80, first.TotalMembers);
        Assert.Equal(8, first.ViabilityNumber);
        Assert.Equal(["Red", "Blue", "Green", "Gold"], first.Subcaucuses.Where(s => s.Viable).Select(s => s.Name));
    }

    [Fact]
    public void The_worked_example_final_count_gives_Red_4_Blue_4_Green_2()
    {
        var final = SubcaucusAllocator.Allocate(10, [("Red", 31), ("Blue", 27), ("Green", 12), ("Gold", 5)]);
        Assert.Equal(8, final.ViabilityNumber);
        Assert.Equal(new Rational(7, 1), final.Divisor);
        var delegates = final.Subcaucuses.ToDictionary(s => s.Name, s => s.Delegates);
        Assert.Equal(4, delegates["Red"]);
        Assert.Equal(4, delegates["Blue"]);
        Assert.Equal(2, delegates["Green"]);
        Assert.Equal(0, delegates["Gold"]);
        Assert.False(final.Subcaucuses.Single(s => s.Name == "Gold").Viable);
        Assert.Equal("0.857", final.Subcaucuses.Single(s => s.Name == "Blue").Quotient.FractionalPart.ToDecimalString(3));
        Assert.Empty(final.Lots);
    }

    /// <summary>
    /// The divisor is exact, not three decimals: 3 delegates, 100 viable members, divisor 100/3 (33.333… carried to three
    /// decimals would be 33.333 and give A 1.50002 against B 1.50002: still equal, but only by luck of the digits).
    /// </summary>
    [Fact]
    public void The_divisor_is_a_fraction_and_equal_quotients_are_exactly_equal()
    {
        var result = SubcaucusAllocator.Allocate(3, [("A", 50), ("B", 50)]);
        Assert.Equal(34, result.ViabilityNumber);
        Assert.Equal(new Rational(100, 3), result.Divisor);
        Assert.All(result.Subcaucuses, s => Assert.Equal(new Rational(3, 2), s.Quotient));
        Assert.Equal(2, result.Given);
        Assert.Equal(1, result.PendingLot!.Seats);
    }

    [Fact]
    public void Equal_remainders_for_the_last_delegate_wait_for_a_lot_then_report_who_won_and_lost()
    {
        IReadOnlyList<(string, int)> count = [("Climate", 20), ("Peace", 20), ("Jobs", 20)];
        var pending = SubcaucusAllocator.Allocate(4, count);
        Assert.NotNull(pending.PendingLot);
        Assert.Equal(1, pending.PendingLot!.Seats);
        Assert.Equal(3, pending.Given);

        var drawn = SubcaucusAllocator.Allocate(4, count, SubcaucusLot.Drawn("Peace", "Jobs", "Climate"));
        Assert.Null(drawn.PendingLot);
        var lot = Assert.Single(drawn.Lots);
        Assert.Equal(["Peace"], lot.Won.ToArray());
        Assert.Equal(["Jobs", "Climate"], lot.Lost.ToArray());
        Assert.Equal(2, drawn.Subcaucuses.Single(s => s.Name == "Peace").Delegates);
    }

    [Fact]
    public void A_seed_ranks_the_subcaucuses_reproducibly_whatever_order_they_were_entered_in()
    {
        IReadOnlyList<(string, int)> count = [("Climate", 20), ("Peace", 20), ("Jobs", 20)];
        var a = SubcaucusAllocator.Allocate(4, count, SubcaucusLot.FromSeed(2026));
        var b = SubcaucusAllocator.Allocate(4, [.. count.Reverse()], SubcaucusLot.FromSeed(2026));
        Assert.Equal(a.Lots.Single().Won.ToArray(), b.Lots.Single().Won.ToArray());
        var winner = a.Lots.Single().Won.Single();
        Assert.Equal(count.Select(c => c.Item1).MaxBy(name => SubcaucusLot.RankOf(2026, name)), winner);
    }

    [Fact]
    public void When_no_subcaucus_is_viable_nobody_gets_a_delegate_and_the_result_says_so()
    {
        var result = SubcaucusAllocator.Allocate(10, [.. Enumerable.Range(1, 11).Select(i => ($"Group {i}", 1))]);
        Assert.True(result.NoneViable);
        Assert.Equal(2, result.ViabilityNumber);
        Assert.Equal(0, result.Given);
    }

    [Fact]
    public void Bad_counts_are_refused_naming_the_field()
    {
        Assert.Equal("delegates", Assert.Throws<TallyException>(() => SubcaucusAllocator.Allocate(0, [("A", 1)])).Field);
        Assert.Equal("subcaucuses[1].members", Assert.Throws<TallyException>(() => SubcaucusAllocator.Allocate(2, [("A", 1), ("B", -1)])).Field);
        Assert.Equal("subcaucuses[1].name", Assert.Throws<TallyException>(() => SubcaucusAllocator.Allocate(2, [("Red", 1), ("red", 2)])).Field);
        Assert.Equal("subcaucuses", Assert.Throws<TallyException>(() => SubcaucusAllocator.Allocate(2, [("A", 0)])).Field);
    }

    private static readonly Gen<(int Delegates, (string, int)[] Count)> Counts =
        Gen.Select(Gen.Int[1, 30], Gen.Int[0, 120].Array[1, 9])
            .Where((_, members) => members.Sum() > 0)
            .Select((d, members) => (d, members.Select((m, i) => ($"S{i}", m)).ToArray()));

    [Fact]
    public void Every_delegate_is_given_or_held_by_a_lot_each_viable_subcaucus_takes_its_whole_part_or_one_more()
    {
        Counts.Sample(c =>
        {
            var result = SubcaucusAllocator.Allocate(c.Delegates, c.Count, SubcaucusLot.FromSeed(7));
            if (result.NoneViable) return;
            Assert.Null(result.PendingLot);
            Assert.Equal(c.Delegates, result.Given);
            foreach (var s in result.Subcaucuses)
            {
                if (!s.Viable)
                {
                    Assert.Equal(0, s.Delegates);
                    Assert.True(s.Members < result.ViabilityNumber);
                    continue;
                }
                Assert.True(s.Delegates >= 1, $"{s.Name} is viable and has {s.Delegates}");
                Assert.InRange(s.Delegates, (int)s.Quotient.Floor(), (int)s.Quotient.Floor() + 1);
            }
        }, iter: 5_000);
    }

    [Fact]
    public void The_order_the_subcaucuses_are_entered_in_changes_nothing()
    {
        Gen.Select(Counts, Gen.Int).Sample((c, seed) =>
        {
            var random = new Random(seed);
            var shuffled = c.Count.OrderBy(_ => random.Next()).ToArray();
            var a = SubcaucusAllocator.Allocate(c.Delegates, c.Count, SubcaucusLot.FromSeed(11));
            var b = SubcaucusAllocator.Allocate(c.Delegates, shuffled, SubcaucusLot.FromSeed(11));
            Assert.Equal(a.Subcaucuses.ToDictionary(s => s.Name, s => s.Delegates), b.Subcaucuses.ToDictionary(s => s.Name, s => s.Delegates));
        }, iter: 2_000);
    }
}
