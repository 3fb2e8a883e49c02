using Caucus.Core.Counting;
using Caucus.Core.Rules.Iowa2020;
using Caucus.Core.Rules;
using CsCheck;
using Precinct = Caucus.Core.Model.Precinct;
using PrecinctKind = Caucus.Core.Model.PrecinctKind;
using static Caucus.Core.Counting.ReportSource;
using static Caucus.Core.Tests.Counting.TinyElection;

namespace Caucus.Core.Tests.Counting;

/// <summary>
/// Plausibility relative to the precinct: Iowa 2020's limit is 300 + 200 per county delegate, lowered to 300 + the
/// larger of its registered voters and three times its past turnout where the election folder gives them, and never
/// above 20,000.
/// </summary>
public class PlausibilityTests
{
    private static readonly PlausibilityLimits Iowa = Iowa2020RuleSet.Limits;

    private static Precinct EightDelegates(int? registered = null, int? pastTurnout = null) =>
        new("north/1nw", "North", "1NW", 8, PrecinctKind.Precinct, registered, pastTurnout);

    [Fact]
    public void An_eight_delegate_precinct_may_hold_1900_and_2500_is_held_out_of_every_total()
    {
        var tabulation = new Tabulation(Election, new CountingRules(DoubleEntry: false));
        tabulation.Apply(Report(NorthWest, Chair, 1, Tallies.Same(2500, ("Sanders", 1500), ("Warren", 1000)), seq: 1));

        Assert.False(tabulation.IsReported(NorthWest));
        Assert.Contains("at most 1,900 (300 + 200 per county delegate)", tabulation.ReportsOf(NorthWest).Latest[Chair].HoldReason, StringComparison.Ordinal);

        tabulation.Apply(Report(NorthWest, Chair, 2, Tallies.Same(1900, ("Sanders", 1000), ("Warren", 900)), seq: 2));
        Assert.True(tabulation.IsReported(NorthWest));
    }

    [Fact]
    public void The_election_rule_sets_limits_apply_unless_the_counting_rules_override_them()
    {
        var strict = new PlausibilityLimits(AttendeesPerDelegate: 4, Allowance: 0, PastTurnoutMultiple: 1, HardCeiling: 1000);
        Assert.Same(Election.RuleSet.Plausibility, CountingRules.Default.PlausibilityOf(Election));
        Assert.Same(strict, new CountingRules(Plausibility: strict).PlausibilityOf(Election));

        var tally = AdairNorthwest();
        var byRuleSet = new Tabulation(Election, new CountingRules(DoubleEntry: false));
        var overridden = new Tabulation(Election, new CountingRules(DoubleEntry: false, Plausibility: strict));
        byRuleSet.Apply(Report(NorthWest, Chair, 1, tally, seq: 1));
        overridden.Apply(Report(NorthWest, Chair, 1, tally, seq: 1));

        Assert.True(byRuleSet.IsReported(NorthWest));
        Assert.False(overridden.IsReported(NorthWest));
        Assert.StartsWith("40 people reported where this precinct (D = 8) could plausibly hold at most 32 (0 + 4 per county delegate)",
            overridden.ReportsOf(NorthWest).Latest[Chair].HoldReason, StringComparison.Ordinal);
    }

    [Theory]
    // Registered voters lower the limit to them + 300, and the reason names them.
    [InlineData(400, null, 700, "its registered voters + 300", "(D = 8, 400 registered)")]
    // Past turnout: three times it + 300.
    [InlineData(null, 150, 750, "3 × its past turnout + 300", "(D = 8, past turnout 150)")]
    // Both: the larger of the two figures.
    [InlineData(400, 200, 900, "3 × its past turnout + 300", "(D = 8, 400 registered, past turnout 200)")]
    [InlineData(1000, 200, 1300, "its registered voters + 300", "(D = 8, 1,000 registered, past turnout 200)")]
    // The folder's figures only ever lower the delegates' limit, never raise it.
    [InlineData(5000, null, 1900, "300 + 200 per county delegate", "(D = 8, 5,000 registered)")]
    [InlineData(null, 0, 300, "3 × its past turnout + 300", "(D = 8, past turnout 0)")]
    public void Where_the_folder_gives_registered_voters_or_past_turnout_the_limit_considers_them(
        int? registered, int? pastTurnout, int most, string basis, string figures)
    {
        var precinct = EightDelegates(registered, pastTurnout);

        Assert.Equal(new AttendanceLimit(most, basis), Iowa.MostAttendees(precinct));
        Assert.Null(Iowa.Implausible(precinct, Tallies.Same(most, ("Sanders", most))));
        var why = Iowa.Implausible(precinct, Tallies.Same(most + 1, ("Sanders", most + 1)));
        Assert.Equal($"{most + 1:N0} people reported where this precinct {figures} could plausibly hold at most {most:N0} ({basis}): " +
            "held out of every total until an admin confirms it.", why);
    }

    [Fact]
    public void No_precinct_may_hold_more_than_20000_whatever_its_delegates()
    {
        var huge = new Precinct("big/1", "Big", "1", 500, PrecinctKind.Precinct);
        Assert.Equal(new AttendanceLimit(20_000, "the most any precinct may hold"), Iowa.MostAttendees(huge));
        // A count given only in an alignment is held too: 2,147,483,647 first-alignment supporters in a 34-person room.
        Assert.NotNull(Iowa.Implausible(huge, Tallies.Of(34, ("Sanders", int.MaxValue, 34))));
    }

    private sealed record Case(int Delegates, int? Registered, int? PastTurnout, int Share)
    {
        public Precinct Precinct(int delegates) => new("p/1", "P", "1", delegates, PrecinctKind.Precinct, Registered, PastTurnout);

        public override string ToString() => $"D={Delegates} registered={Registered} past={PastTurnout} share={Share}%";
    }

    [Fact]
    public void The_limit_grows_with_D_is_never_below_the_largest_2020_ratio_times_D_and_holds_exactly_what_exceeds_it()
    {
        int byDelegates = 0, byFigures = 0, ceiling = 0;
        var figure = Gen.Int[0, 20_000].Nullable(0.5);
        Gen.Select(Gen.Int[0, 150], figure, Gen.Int[0, 5_000].Nullable(0.5), Gen.Int[0, 100], (d, r, p, s) => new Case(d, r, p, s)).Sample(c =>
        {
            var limit = Iowa.MostAttendees(c.Precinct(c.Delegates)).Most;
            Assert.True(Iowa.MostAttendees(c.Precinct(c.Delegates + 1)).Most >= limit);
            var bare = Iowa.MostAttendees(c.Precinct(c.Delegates) with { Registered = null, PastTurnout = null }).Most;
            var real = (long)PlausibilityGoldenTests.LargestRatio2020 * Math.Max(c.Delegates, 1);
            if (real > Iowa.HardCeiling) Interlocked.Increment(ref ceiling);
            else Assert.True(bare >= real, $"{bare} < {real}");
            if (limit < bare) Interlocked.Increment(ref byFigures);
            else Interlocked.Increment(ref byDelegates);

            // Any tally within the limit counts; one more person than the limit is held.
            var attendees = (int)(limit * c.Share / 100);
            var first = attendees / 2;
            Assert.Null(Iowa.Implausible(c.Precinct(c.Delegates), Tallies.Of(attendees, ("A", first, (int)limit - first), ("B", attendees - first, 0))));
            Assert.NotNull(Iowa.Implausible(c.Precinct(c.Delegates), Tallies.Same((int)limit + 1, ("A", 1))));
        });
        // The generator must reach the delegates' limit, the folder's lower one and the ceiling, or this test proves nothing.
        Assert.True(byDelegates > 10 && byFigures > 10 && ceiling > 10, $"delegates {byDelegates}, figures {byFigures}, ceiling {ceiling}");
    }
}
