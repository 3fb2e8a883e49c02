using Caucus.Api.Demo;
using Caucus.Api.Elections;
using Caucus.Core.Model;
using Caucus.Core.Projection;

namespace Caucus.Api.Tests.Demo;

/// <summary>The replayed night's script, checked without running it: what the newcomer will see happen, and in what order.</summary>
public sealed class DemoPlanTests
{
    private static readonly Lazy<(Election Election, IReadOnlyList<PublishedReport> Reports, DemoPlan Plan)> Night = new(() =>
    {
        var election = ElectionSource.Load(ElectionSource.DefaultPath);
        var reports = PublishedReports.Reports(election, File.ReadAllText(DemoNight.PublishedResultsPath(ElectionSource.DefaultPath, election)!));
        return (election, reports, DemoPlan.Build(election, reports, seed: 2020));
    });

    [Fact]
    public void Every_precinct_and_satellite_reports_once_with_the_published_numbers_and_satellites_come_last()
    {
        var (election, reports, plan) = Night.Value;
        Assert.Equal(election.Precincts.Length, reports.Count);
        var firsts = plan.Steps.GroupBy(s => s.Precinct).ToDictionary(g => g.Key, g => g.First());
        Assert.Equal(election.Precincts.Select(p => p.Id).Order(), firsts.Keys.Order());
        Assert.All(firsts.Values, s => Assert.Contains(s.Kind, (DemoStepKind[])[DemoStepKind.Report, DemoStepKind.Draft]));
        Assert.All(plan.Steps, s => Assert.InRange(s.At, TimeSpan.Zero, DemoPlan.NightLength + TimeSpan.FromMinutes(15)));

        var satellites = election.Precincts.Where(p => p.Kind == PrecinctKind.Satellite).Select(p => firsts[p.Id].At).ToList();
        var inState = election.Precincts.Where(p => p.Kind == PrecinctKind.Precinct).Select(p => firsts[p.Id].At).Order().ToList();
        Assert.True(satellites.Min() > inState[(int)(inState.Count * 0.95)], "satellites report after 95% of the precincts");
        Assert.InRange(inState.Count(t => t < DemoPlan.NightLength * 0.10), 10, 40);
        // The numbers counted in the end are the published ones: each precinct's last non-retry step carries them.
        var lastBodies = plan.Steps.Where(s => s.Kind != DemoStepKind.Retry).GroupBy(s => s.Precinct).ToDictionary(g => g.Key, g => g.Last().Body);
        Assert.All(reports.Where(r => r.TieOutcome is null && r.Tally.ReportedDelegates is { Count: > 0 }),
            r => Assert.Contains("\"reportedDelegates\"", lastBodies[r.Precinct.Id], StringComparison.Ordinal));
    }

    /// <summary>
    /// A rate limit refuses a credential that sends more than its burst faster than the bucket refills. No credential of
    /// the demo sends more than its burst in the whole night, so no replay speed (18, 60, 300 or any other) can be
    /// refused: a precinct's own credential (report, correction, retry, toss) stays inside the precinct limit, and the
    /// hotline has enough operator pairs that each operator stays inside half of the hotline limit.
    /// </summary>
    [Fact]
    public void No_demo_credential_sends_more_in_the_whole_night_than_its_limit_allows_at_once_so_no_speed_is_refused()
    {
        var (_, _, plan) = Night.Value;
        var limits = new Caucus.Api.Infrastructure.LimitOptions();
        var busiestPrecinct = plan.Steps.Where(s => s.Sender == DemoSender.Precinct).GroupBy(s => s.Precinct).Max(g => g.Count());
        Assert.InRange(busiestPrecinct, 2, limits.PrecinctReportsPerMinute);
        var busiestOperator = new[] { DemoSender.FirstOperator, DemoSender.SecondOperator }.Max(o => plan.Steps.Count(s => s.Sender == o));
        Assert.True(busiestOperator > limits.HotlineReportsPerMinute, "the night must be busier than one pair may be, or this test proves nothing");
        var pairs = plan.OperatorPairs(limits.HotlineReportsPerMinute);
        Assert.InRange(Math.Ceiling(busiestOperator / (double)pairs), 1, limits.HotlineReportsPerMinute / 2);
    }

    [Fact]
    public void The_channels_and_mishaps_come_in_the_shares_asked_for()
    {
        var (_, reports, plan) = Night.Value;
        Assert.Equal(plan.Precincts, plan.Hotline + plan.Captains + plan.Official);
        Assert.InRange(plan.Hotline / (double)plan.Precincts, 0.25, 0.33);
        Assert.InRange(plan.Captains / (double)plan.Precincts, 0.55, 0.66);
        Assert.InRange(plan.Typos, 3, 25);
        Assert.InRange(plan.Corrections, 20, 70);
        Assert.InRange(plan.Retries / (double)plan.Steps.Length, 0.03, 0.07);
        Assert.Equal(reports.Count(r => r.TieOutcome is not null), plan.Tosses);
        Assert.Equal(plan.Tosses, plan.Steps.Count(s => s.Kind == DemoStepKind.Toss));

        // A second hotline entry comes from the other operator, after the first; a typo is entered again by the one who made it.
        foreach (var precinct in plan.Steps.Where(s => s.Kind == DemoStepKind.Typo).Select(s => s.Precinct))
        {
            var steps = plan.Steps.Where(s => s.Precinct == precinct && s.Kind != DemoStepKind.Retry).ToList();
            Assert.Equal([DemoStepKind.Report, DemoStepKind.Typo, DemoStepKind.TypoCorrected], steps.Select(s => s.Kind));
            Assert.Equal([DemoSender.FirstOperator, DemoSender.SecondOperator, DemoSender.SecondOperator], steps.Select(s => s.Sender));
            Assert.Equal(steps[0].Body, steps[2].Body.Replace(",\"note\":\"entered again after the read-back\"", "", StringComparison.Ordinal));
            Assert.NotEqual(steps[0].Body, steps[1].Body);
        }
    }

    [Fact]
    public void A_retry_repeats_an_earlier_request_exactly_and_the_same_seed_gives_the_same_night()
    {
        var (election, reports, plan) = Night.Value;
        var originals = plan.Steps.Where(s => s.Kind != DemoStepKind.Retry).ToDictionary(s => s.IdempotencyKey);
        Assert.All(plan.Steps.Where(s => s.Kind == DemoStepKind.Retry), retry =>
        {
            var original = originals[retry.IdempotencyKey];
            Assert.True(retry.At > original.At);
            Assert.Equal((original.Body, original.Sender, original.Precinct), (retry.Body, retry.Sender, retry.Precinct));
        });

        // (ImmutableArray's own Equals compares array references: compare the steps.)
        Assert.Equal(plan.Steps.ToArray(), DemoPlan.Build(election, reports.Reverse(), seed: 2020).Steps.ToArray());
        Assert.NotEqual(plan.Steps.Select(s => s.Precinct), DemoPlan.Build(election, reports, seed: 7).Steps.Select(s => s.Precinct));
    }

    [Fact]
    public void Demo_switches_become_settings_and_leave_the_rest_of_the_command_line_alone()
    {
        Assert.Equal(["--Caucus:Demo:Enabled=true", "--urls", "http://127.0.0.1:5077", "--Caucus:Demo:Speed=60"],
            DemoExtensions.TranslateSwitches(["--demo", "--urls", "http://127.0.0.1:5077", "--demo-speed", "60"]));
        Assert.Equal(["--Caucus:Demo:Speed=2.5"], DemoExtensions.TranslateSwitches(["--demo-speed=2.5"]));
    }
}
