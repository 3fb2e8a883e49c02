using Caucus.Core.Definitions;
using Caucus.Core.Model;
using Caucus.Core.Rules;
using Caucus.Core.Simulation;
using CsCheck;

namespace Caucus.Core.Tests.Simulation;

/// <summary>
/// <see cref="SyntheticNight"/> over the shipped folders (Iowa 2020's two alignments and satellites, Nevada 2020's early
/// vote and card draws, the DFL example's open subcaucuses with registered voters) and a one-round form: every report is
/// one the rule set accepts, the same seed gives the same night, and each form gets the report it asks for.
/// </summary>
public class SyntheticNightTests
{
    private static readonly Lazy<Election> Iowa = new(() => Shipped("iowa-2020"));
    private static readonly Lazy<Election> Nevada = new(() => Shipped("nevada-2020"));
    private static readonly Lazy<Election> Dfl = new(() => Shipped("mn-dfl-example"));

    private static Election Shipped(string name)
    {
        var folder = ShippedElections.PathOf(AppContext.BaseDirectory, name);
        return ElectionDefinition.Load(file => File.Exists(Path.Combine(folder, file)) ? File.ReadAllText(Path.Combine(folder, file)) : null);
    }

    /// <summary>The DFL example's precincts counted once, by the stand-in one-round rule set.</summary>
    private static Election OneRound => Dfl.Value.WithRuleSet(new OneRoundRuleSet());

    public static TheoryData<string> Folders => ["iowa-2020", "nevada-2020", "mn-dfl-example", "one-round"];

    private static Election Folder(string name) => name switch
    {
        "iowa-2020" => Iowa.Value,
        "nevada-2020" => Nevada.Value,
        "mn-dfl-example" => Dfl.Value,
        _ => OneRound,
    };

    [Theory]
    [MemberData(nameof(Folders))]
    public void Every_generated_report_is_accepted_by_the_rule_set_and_the_same_seed_gives_the_same_night(string folder)
    {
        var election = Folder(folder);
        var rules = election.RuleSet;
        // The big folders cost a second a night: fewer seeds there, many on the small ones.
        Gen.ULong.Sample(seed =>
        {
            var night = SyntheticNight.Generate(election, seed);
            Assert.Equal(election.Precincts.Length, night.Reports.Length);
            foreach (var report in night.Reports)
            {
                var tally = report.TieOutcome is { } o ? report.Tally.WithTieBreaks([o]) : report.Tally;
                var d = report.Precinct.Delegates;
                var allocation = rules.Allocate(d, rules.Count(d, tally).Tally);
                if (report.TieOutcome is { } outcome) Assert.Equal(outcome, allocation.AppliedTieBreak);
                Assert.Null(rules.Plausibility.Implausible(report.Precinct, rules.Count(d, tally).Tally));
            }
            var again = SyntheticNight.Generate(election, seed);
            // ImmutableArray's own equality is the same array; the night's is the same reports in order.
            Assert.True(night.Reports.SequenceEqual(again.Reports), $"seed {seed} gave two nights");
            Assert.Equal((night.Region, night.LeaningGroup), (again.Region, again.LeaningGroup));
        }, iter: election.Precincts.Length > 100 ? 3 : 200);
    }

    [Fact]
    public void An_Iowa_night_has_two_alignments_that_realign_satellites_and_a_game_of_chance_whose_outcome_settles_it()
    {
        var night = SyntheticNight.Generate(Iowa.Value, 2020);
        var rules = Iowa.Value.RuleSet;
        Assert.All(night.Reports, r => Assert.Equal(r.Tally.Attendees, r.Tally.FirstTotal));
        // Realignment: somewhere a group is in the first alignment and not the final.
        Assert.Contains(night.Reports, r => r.Tally.Groups.Any(g => r.Tally.FirstOf(g) > 0 && r.Tally.FinalOf(g) == 0));
        Assert.Contains(night.Reports, r => r.Precinct.Kind == PrecinctKind.Satellite);
        var tossed = night.Reports.Where(r => r.TieOutcome is not null).ToList();
        Assert.NotEmpty(tossed);
        Assert.All(tossed, r =>
        {
            Assert.True(rules.Allocate(r.Precinct.Delegates, r.Tally).IsProvisional, $"{r.Precinct.Id}: a toss recorded where nothing was left to chance");
            var settled = rules.Allocate(r.Precinct.Delegates, r.Tally.WithTieBreaks([r.TieOutcome!]));
            Assert.Equal(r.TieOutcome, settled.AppliedTieBreak);
        });
    }

    [Fact]
    public void The_leaning_region_gives_its_group_a_larger_share_than_the_rest_of_the_state()
    {
        var election = Iowa.Value;
        var night = SyntheticNight.Generate(election, 7);
        Assert.Contains(night.Region, election.Districts);
        double Share(bool inRegion)
        {
            var reports = night.Reports.Where(r => r.Precinct.Kind == PrecinctKind.Precinct && (election.CountyOf(r.Precinct).District == night.Region) == inRegion).ToList();
            return (double)reports.Sum(r => r.Tally.FirstOf(night.LeaningGroup)) / reports.Sum(r => r.Tally.FirstTotal);
        }
        // RegionalLean (0.4 in log share) is several points for any group of some size; county noise is 0.12.
        Assert.True(Share(inRegion: true) > Share(inRegion: false) + 0.03, $"{night.LeaningGroup} in {night.Region}: {Share(true):P1} against {Share(false):P1} elsewhere");
    }

    [Fact]
    public void A_Nevada_night_has_early_vote_cards_within_the_forms_choices()
    {
        var night = SyntheticNight.Generate(Nevada.Value, 2020);
        var form = Nevada.Value.RuleSet.Form.EarlyVote!;
        Assert.True(night.Reports.Count(r => r.Tally.HasEarlyVote) > night.Reports.Length / 2);
        Assert.All(night.Reports.SelectMany(r => r.Tally.EarlyOrEmpty), e =>
        {
            Assert.InRange(e.Choices.Length, form.FewestChoices, form.MostChoices);
            Assert.Equal(e.Choices.Length, e.Choices.Distinct(StringComparer.Ordinal).Count());
        });
        // Card draws where ties arise, recorded as winners the demo turns into cards.
        Assert.Contains(night.Reports, r => r.TieOutcome is not null);
    }

    [Fact]
    public void An_open_group_night_names_new_subcaucuses_and_second_spellings_and_stays_within_the_registered_voters()
    {
        var election = Dfl.Value;
        var nights = Enumerable.Range(1, 20).Select(s => SyntheticNight.Generate(election, (ulong)s)).ToList();
        var names = nights.SelectMany(n => n.Reports).SelectMany(r => r.Tally.Groups).ToHashSet(StringComparer.Ordinal);
        Assert.Contains(names, n => OpenGroupNames.NewNames.Contains(n));
        Assert.Contains("climate action", names);
        Assert.Contains("Climate Action Subcaucus", names);
        Assert.All(nights, n => Assert.Equal(n.Reports.SelectMany(r => r.Tally.Groups).Where(g => !election.Candidates.Contains(g)).Distinct().Order(StringComparer.Ordinal), n.NewGroups));
        Assert.All(nights.SelectMany(n => n.Reports), r => Assert.InRange(r.Tally.Attendees, 1, r.Precinct.Registered!.Value));
        // Kept to the suggested names when asked (the backtest scores the candidates).
        Assert.All(SyntheticNight.Generate(election, 3, openGroups: false).Reports, r => Assert.Subset(election.Candidates.ToHashSet(), r.Tally.Groups.ToHashSet()));
    }

    [Fact]
    public void A_one_round_night_reports_the_votes_once_with_a_few_blank_ballots()
    {
        var night = SyntheticNight.Generate(OneRound, 2024);
        Assert.All(night.Reports, r =>
        {
            Assert.True(Tally.SameCounts(r.Tally.First, r.Tally.Final));
            Assert.InRange(r.Tally.FinalTotal, 0, r.Tally.Attendees);
        });
        var nights = Enumerable.Range(1, 10).SelectMany(s => SyntheticNight.Generate(OneRound, (ulong)s).Reports);
        Assert.Contains(nights, r => r.Tally.FinalTotal < r.Tally.Attendees);
    }
}
