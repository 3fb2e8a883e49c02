using System.Text.Json;
using Caucus.Api.Demo;
using Caucus.Api.Elections;
using Caucus.Api.Reports;
using Caucus.Core.Model;
using Caucus.Core.Simulation;
using Caucus.Core.Tests.Simulation;

namespace Caucus.Api.Tests.Demo;

/// <summary>
/// The demo's script over a synthetic night (<see cref="SyntheticNight"/>, what <c>--demo</c> plays for a folder without
/// published results): the bodies say what each form asks for, and the server reads each back as the night's report.
/// </summary>
public sealed class SyntheticDemoPlanTests
{
    private static Election Shipped(string name) => ElectionSource.Load(ElectionSource.ShippedPath(name));

    /// <summary>The steps that carry the true report (typos and drafts carry a slip, by design).</summary>
    private static readonly DemoStepKind[] TrueSteps = [DemoStepKind.Report, DemoStepKind.SecondEntry, DemoStepKind.Correction, DemoStepKind.TypoCorrected];

    [Fact]
    public void A_folder_without_published_results_plays_the_synthetic_night_of_the_demo_seed()
    {
        var folder = ElectionSource.ShippedPath("mn-dfl-example");
        var election = ElectionSource.Load(folder);
        Assert.Null(DemoNight.PublishedResultsPath(folder, election));
        var (reports, night) = DemoNight.Reports(folder, election, 2020);
        Assert.True(SyntheticNight.Generate(election, 2020).Reports.SequenceEqual(reports));
        Assert.StartsWith("synthetic night (seed 2020", night, StringComparison.Ordinal);
    }

    [Fact]
    public void A_synthetic_Nevada_night_sends_its_early_vote_cards_and_each_body_reads_back_as_the_nights_report()
    {
        // The Nevada folder's geography and rules, played as if it had no published results.
        var election = Shipped("nevada-2020");
        var night = SyntheticNight.Generate(election, 2020);
        var plan = DemoPlan.Build(election, night.Reports, seed: 2020);
        var truth = night.Reports.ToDictionary(r => r.Precinct.Id, StringComparer.Ordinal);
        Assert.Equal(election.Precincts.Length, plan.Precincts);
        Assert.Contains(plan.Steps, s => s.Body.Contains("\"early\"", StringComparison.Ordinal));
        Assert.True(plan.Tosses > 0, "no card draw in the night: the toss steps are not exercised");
        foreach (var step in plan.Steps.Where(s => TrueSteps.Contains(s.Kind)))
        {
            var (parsed, errors) = ReportParser.Parse(step.Body, election.Candidates, election.RuleSet.Form);
            Assert.True(parsed is not null, $"{step.Precinct}: {string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(' ', e.Value)}"))}");
            Assert.Equal(truth[step.Precinct].Tally, parsed.Tally with { TieBreaks = [] });
        }
    }

    [Fact]
    public void An_open_group_night_sends_the_subcaucuses_the_captains_named_in_their_spellings()
    {
        var election = Shipped("mn-dfl-example");
        var plans = Enumerable.Range(1, 10).Select(seed => DemoPlan.Build(election, SyntheticNight.Generate(election, (ulong)seed).Reports, (ulong)seed)).ToList();
        var named = plans.SelectMany(p => p.Steps).Where(s => s.Kind == DemoStepKind.Report)
            .SelectMany(s => JsonDocument.Parse(s.Body).RootElement.GetProperty("final").EnumerateObject().Select(g => g.Name)).ToHashSet(StringComparer.Ordinal);
        Assert.Contains(named, n => OpenGroupNames.NewNames.Contains(n));
        Assert.Contains(named, n => !election.Candidates.Contains(n) && election.Candidates.Contains(n, StringComparer.OrdinalIgnoreCase));
        Assert.All(plans, p => Assert.Equal(election.Precincts.Length, p.Precincts));
    }

    [Fact]
    public void A_five_precinct_night_still_shows_a_typo_caught_by_double_entry_and_a_corrected_report()
    {
        var election = Shipped("mn-dfl-example");
        var night = SyntheticNight.Generate(election, 2020);
        var plan = DemoPlan.Build(election, night.Reports, seed: 2020);
        Assert.Equal((1, 1), (plan.Typos, plan.Corrections));
        var typo = plan.Steps.Single(s => s.Kind == DemoStepKind.Typo);
        Assert.Equal([DemoStepKind.Report, DemoStepKind.Typo, DemoStepKind.TypoCorrected],
            plan.Steps.Where(s => s.Precinct == typo.Precinct && s.Kind != DemoStepKind.Retry).Select(s => s.Kind));
        var draft = plan.Steps.Single(s => s.Kind == DemoStepKind.Draft);
        var corrected = plan.Steps.Where(s => s.Precinct == draft.Precinct && s.Kind != DemoStepKind.Retry).ToList();
        Assert.Equal([DemoStepKind.Draft, DemoStepKind.Correction], corrected.Select(s => s.Kind));
        Assert.True(corrected[1].At > corrected[0].At);
        Assert.Equal(2, corrected.Select(s => s.IdempotencyKey).Distinct().Count());
        Assert.NotEqual(corrected[0].Body, corrected[1].Body);
    }

    [Fact]
    public void A_one_round_night_sends_the_votes_once_as_the_final_count()
    {
        var dfl = Shipped("mn-dfl-example");
        var election = dfl.WithRuleSet(new OneRoundRuleSet());
        var night = SyntheticNight.Generate(election, 2024);
        var plan = DemoPlan.Build(election, night.Reports, seed: 2024);
        var truth = night.Reports.ToDictionary(r => r.Precinct.Id, StringComparer.Ordinal);
        foreach (var step in plan.Steps.Where(s => s.Kind == DemoStepKind.Report))
        {
            var body = JsonDocument.Parse(step.Body).RootElement;
            Assert.False(body.TryGetProperty("first", out _), step.Body);
            var report = truth[step.Precinct].Tally;
            Assert.Equal(report.Attendees, body.GetProperty("attendees").GetInt32());
            Assert.Equal(report.Final.Where(v => v.Value > 0), body.GetProperty("final").EnumerateObject().Select(g => KeyValuePair.Create(g.Name, g.Value.GetInt32())));
        }
    }
}
