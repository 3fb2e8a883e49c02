using Caucus.Core.Projection;

namespace Caucus.Core.Tests.Projection;

/// <summary>The cross-validated spread calibration (Calibration): what it measures on elections whose truth is known.</summary>
public class CalibrationTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static Calibration.Result AtHalf(SyntheticElection s)
    {
        var rng = new Xoshiro256(11, 9);
        var order = s.Election.Precincts.OrderBy(_ => rng.NextDouble()).ToList();
        var reported = order.Take(order.Count / 2).ToDictionary(p => p.Id, p => s.Final[p.Id], StringComparer.Ordinal);
        return Calibration.Run(s.Election, reported, 2020);
    }

    [Fact]
    public void The_factor_stays_bounded_on_the_models_own_kind_of_election_and_is_clearly_above_that_when_county_effects_are_wider_than_the_model_estimates()
    {
        // The synthetic election of the other tests: log shares = level + size slope + district (region) + county
        // effect (sd 0.12) + precinct noise (0.35), realigned by the rules: the model's own assumptions.
        var own = AtHalf(SyntheticElections.Create(11));
        // County effects of sd 0.4: the model's moment estimate of the county spread comes out at 0.2–0.35 (its
        // sampling-noise correction takes too much), so its held-out counties miss by more than it says.
        var wide = AtHalf(SyntheticElections.Create(11, countySd: 0.4, precinctSd: 0.35, townSd: 0));
        foreach (var (name, r) in new[] { ("own", own), ("wide county effects", wide) })
        {
            output.WriteLine($"{name}: factor {r.Factor:0.00}, mean z² {r.MeanSquareZ:0.00}, mean z {r.MeanZ:+0.00;-0.00}, {r.Scores} scores; " +
                string.Join(", ", r.MeanSquareZByCandidate.Select(kv => $"{kv.Key} {kv.Value:0.00}")));
        }
        Assert.True(own.Scores >= 100, $"{own.Scores} scores");
        Assert.Equal(0, own.MeanZ, 0.2);
        // Not 1: measured 1.39 here (1.2–1.4 over seeds and levels), the donor simulation is narrower than the share model on its own election
        // (README, "Projection backtest", still short). The bound is what keeps the calibration honest about that.
        Assert.InRange(own.Factor, 1.0, 1.45);
        Assert.True(wide.Factor > 1.5 && wide.Factor > own.Factor + 0.2, $"wide {wide.Factor:0.00}, own {own.Factor:0.00}");
    }

    [Fact]
    public void The_calibration_is_deterministic_and_needs_enough_counties()
    {
        var s = SyntheticElections.Create(12);
        var (one, two) = (AtHalf(s), AtHalf(s));
        Assert.Equal((one.Factor, one.MeanSquareZ, one.MeanZ, one.Scores), (two.Factor, two.MeanSquareZ, two.MeanZ, two.Scores));
        var few = s.Election.Precincts.Where(p => p.County is "County 00" or "County 01").ToDictionary(p => p.Id, p => s.Final[p.Id], StringComparer.Ordinal);
        var none = Calibration.Run(s.Election, few, 2020);
        Assert.Equal(1, none.Factor);
        Assert.Equal(0, none.Scores);
    }

    [Fact]
    public void On_synthetic_elections_whose_truth_is_known_the_intervals_hold_and_the_win_probability_beats_a_coin_toss()
    {
        // Six elections, each at a quarter of its precincts in a random order: 90% intervals of the candidates with 5%
        // or more of the final SDEs, and the Brier score Σ (p − won)² of the win probability against 0.5 for a coin toss.
        int covered = 0, scored = 0;
        double brier = 0;
        for (var seed = 21UL; seed < 27; seed++)
        {
            var s = SyntheticElections.Create(seed);
            var aggregate = new Caucus.Core.Aggregation.ResultsAggregate(s.Election);
            foreach (var p in s.Election.Precincts) aggregate.Apply(Caucus.Core.Aggregation.PrecinctResult.Compute(s.Election, p, s.Final[p.Id]));
            var final = aggregate.Statewide().Candidates.ToDictionary(c => c.Name, c => (double)c.Sde.Numerator / (double)c.Sde.Denominator);
            var total = final.Values.Sum();
            var winner = final.MaxBy(kv => kv.Value).Key;
            var rng = new Xoshiro256(seed, 5);
            var order = s.Election.Precincts.OrderBy(_ => rng.NextDouble()).ToList();
            var reported = order.Take(order.Count / 4).ToDictionary(p => p.Id, p => s.Final[p.Id], StringComparer.Ordinal);
            var projection = Projector.Project(s.Election, reported, new ProjectionOptions(200, 2020));
            foreach (var c in projection.Candidates.Where(c => final[c.Name] >= 0.05 * total))
            {
                scored++;
                if (c.SdeInterval90.Contains(final[c.Name])) covered++;
            }
            brier += projection.Candidates.Sum(c => Math.Pow(c.ProbabilityFirst - (c.Name == winner ? 1 : 0), 2));
        }
        output.WriteLine($"covered {covered} of {scored}; mean Brier {brier / 6:0.000}");
        Assert.True(covered >= 0.85 * scored, $"covered {covered} of {scored}");
        Assert.True(brier / 6 < 0.5, $"mean Brier {brier / 6:0.000}");
    }
}
