using Caucus.Core.Rules.Iowa2020;
using Caucus.Core.Rules;
using Caucus.Core.Validation;
using CsCheck;

namespace Caucus.Core.Tests;

/// <summary>RULES.md "Viability threshold".</summary>
public class ViabilityThresholdTests
{
    private static readonly Iowa2020RuleSet Rules = new();

    [Theory]
    [InlineData(1, 40, 0)]     // D = 1: no threshold
    [InlineData(1, 1, 0)]
    [InlineData(2, 10, 3)]     // 25% of 10 = 2.5 → 3
    [InlineData(2, 12, 3)]     // exactly 3
    [InlineData(2, 13, 4)]     // 3.25 → 4
    [InlineData(2, 1, 1)]
    [InlineData(3, 12, 2)]     // 12/6 = 2
    [InlineData(3, 13, 3)]     // 2.17 → 3
    [InlineData(3, 1, 1)]
    [InlineData(4, 40, 6)]     // 15% of 40 = 6
    [InlineData(8, 40, 6)]     // Adair 1NW ADAIR
    [InlineData(10, 34, 6)]    // Adair 4SE ORIENT: 5.1 → 6
    [InlineData(5, 100, 15)]
    [InlineData(5, 101, 16)]   // 15.15 → 16
    [InlineData(5, 667, 101)]  // 100.05 → 101 (the A/6.67 calculator says 100)
    [InlineData(40, 20, 3)]
    [InlineData(4, 1, 1)]
    [InlineData(4, 0, 0)]
    [InlineData(4, int.MaxValue, 322_122_548)] // 322,122,547.05 → …548
    [InlineData(2, int.MaxValue, 536_870_912)] // 536,870,911.75 → …912
    [InlineData(3, int.MaxValue, 357_913_942)] // 357,913,941.17 → …942
    public void Threshold_is_the_share_of_attendance_rounded_up(int delegates, int attendees, int expected) =>
        Assert.Equal(expected, Rules.ViabilityThreshold(delegates, attendees));

    [Fact]
    public void Threshold_is_the_smallest_whole_number_of_people_at_least_the_share()
    {
        Gen.Select(Gen.Int[2, 60], Gen.Int[0, int.MaxValue]).Sample((d, a) =>
        {
            // share = p/q of A: D = 2 → 1/4, D = 3 → 1/6, D ≥ 4 → 15/100.
            var (p, q) = d switch { 2 => (1L, 4L), 3 => (1L, 6L), _ => (15L, 100L) };
            long t = Rules.ViabilityThreshold(d, a);
            Assert.True(t * q >= p * a, $"{t} is below the share of {a}");
            Assert.True(t == 0 || (t - 1) * q < p * a, $"{t - 1} would already reach the share of {a}");
        }, iter: 20_000);
    }

    [Fact]
    public void A_667_person_caucus_needs_101_for_viability()
    {
        var allocation = Rules.Allocate(5, Tallies.Same(667, ("Biden", 100), ("Sanders", 101), ("Warren", 466)));
        Assert.Equal(101, allocation.ViabilityThreshold);
        Assert.False(allocation.Groups.Single(g => g.Group == "Biden").Viable);
        Assert.True(allocation.Groups.Single(g => g.Group == "Sanders").Viable);
        Assert.Equal(0, allocation.DelegatesOf("Biden"));
    }

    [Fact]
    public void Negative_inputs_are_refused_by_name()
    {
        Assert.Equal("attendees", Assert.Throws<TallyException>(() => Rules.ViabilityThreshold(4, -1)).Field);
        Assert.Equal("delegates", Assert.Throws<TallyException>(() => Rules.ViabilityThreshold(-1, 10)).Field);
    }
}
