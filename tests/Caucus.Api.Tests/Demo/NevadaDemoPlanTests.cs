using Caucus.Api.Demo;
using Caucus.Api.Elections;
using Caucus.Api.Reports;
using Caucus.Core.Model;
using Caucus.Core.Projection;

namespace Caucus.Api.Tests.Demo;

/// <summary>The Nevada night's script: the same plan as Iowa's over another election, with no satellites and card draws for ties.</summary>
public sealed class NevadaDemoPlanTests
{
    private static readonly Lazy<(Election Election, IReadOnlyList<PublishedReport> Reports, DemoPlan Plan)> Night = new(() =>
    {
        var folder = ElectionSource.ShippedPath("nevada-2020");
        var election = ElectionSource.Load(folder);
        var reports = PublishedReports.Reports(election, File.ReadAllText(DemoNight.PublishedResultsPath(folder, election)!));
        return (election, reports, DemoPlan.Build(election, reports, seed: 2020));
    });

    [Fact]
    public void Every_precinct_that_held_a_caucus_reports_once_and_the_others_never()
    {
        var (election, reports, plan) = Night.Value;
        Assert.Equal("nevada-2020", election.Id);
        var held = reports.Where(r => r.Held).Select(r => r.Precinct.Id).Order().ToList();
        var notHeld = reports.Where(r => !r.Held).Select(r => r.Precinct.Id).ToHashSet();
        // The verifier's count of Nevada's empty rows (README, "verify"): 449 held no caucus.
        Assert.Equal(449, notHeld.Count);
        Assert.Equal(held.Count, plan.Precincts);
        Assert.Equal(1648, plan.Precincts);
        Assert.Equal(held, plan.Steps.Select(s => s.Precinct).Distinct().Order());
        Assert.DoesNotContain(plan.Steps, s => notHeld.Contains(s.Precinct));
        Assert.Equal(0, plan.Satellites);
        Assert.All(plan.Steps, s => Assert.InRange(s.At, TimeSpan.Zero, DemoPlan.NightLength + TimeSpan.FromMinutes(15)));

        // The night moves from the start: small precincts first, the rural counties' wave, then Clark and Washoe.
        var firsts = plan.Steps.GroupBy(s => s.Precinct).Select(g => (Precinct: g.Key, g.First().At)).ToList();
        Assert.InRange(firsts.Count(f => f.At < DemoPlan.NightLength * 0.10), 10, 40);
        var rural = firsts.Where(f => !f.Precinct.StartsWith("clark/", StringComparison.Ordinal) && !f.Precinct.StartsWith("washoe/", StringComparison.Ordinal)).ToList();
        Assert.True(rural.Count > 100 && rural.Count(f => f.At < DemoPlan.NightLength * 0.5) > rural.Count / 2,
            $"{rural.Count(f => f.At < DemoPlan.NightLength * 0.5)} of {rural.Count} rural precincts report in the first half of the night");
        Assert.All(firsts.Where(f => f.Precinct.StartsWith("clark/", StringComparison.Ordinal)), f => Assert.True(f.At > DemoPlan.NightLength * 0.3, f.Precinct));
    }

    [Fact]
    public void Each_tie_the_published_delegates_settle_is_reported_pending_then_settled_by_its_own_credential_with_the_cards_drawn()
    {
        var (election, reports, plan) = Night.Value;
        var settled = reports.Where(r => r.Held && r.TieOutcome is not null).ToList();
        Assert.NotEmpty(settled);
        Assert.Equal(settled.Count, plan.Tosses);
        foreach (var report in settled)
        {
            var steps = plan.Steps.Where(s => s.Precinct == report.Precinct.Id && s.Kind != DemoStepKind.Retry).ToList();
            Assert.Equal([DemoStepKind.Report, DemoStepKind.Toss], steps.Select(s => s.Kind));
            Assert.DoesNotContain("tieBreaks", steps[0].Body, StringComparison.Ordinal);
            // Nevada's chair records the cards drawn; read as the server reads them, they give the published outcome.
            Assert.DoesNotContain("\"winners\"", steps[1].Body, StringComparison.Ordinal);
            var (parsed, errors) = ReportParser.Parse(steps[1].Body, election.Candidates, election.RuleSet.Form);
            Assert.True(parsed is not null, string.Join("; ", errors.Keys));
            var recorded = Assert.Single(parsed.Tally.TieBreaksOrEmpty);
            Assert.True(recorded.IsRanking);
            var outcome = report.TieOutcome!;
            Assert.Equal(outcome.Winners.Order(StringComparer.Ordinal),
                recorded.Ranking.Take(outcome.Winners.Length).Order(StringComparer.Ordinal));
            Assert.NotEqual(DemoSender.FirstOperator, steps[0].Sender);
        }
    }

    [Fact]
    public void The_hotline_has_enough_operator_pairs_that_none_sends_more_in_the_night_than_half_its_per_minute_limit()
    {
        var (_, _, plan) = Night.Value;
        var busiest = Math.Max(plan.Steps.Count(s => s.Sender == DemoSender.FirstOperator), plan.Steps.Count(s => s.Sender == DemoSender.SecondOperator));
        Assert.True(busiest > 120, "the night must be busier than one pair may be, or this test proves nothing");
        var pairs = plan.OperatorPairs(hotlineReportsPerMinute: 120);
        Assert.InRange(busiest / (double)pairs, 1, 60);
        Assert.True(busiest / (double)(pairs - 1) > 60, $"{pairs} pairs is more than the limit needs");
        Assert.Equal(1, plan.OperatorPairs(hotlineReportsPerMinute: 1_000_000));
    }
}
