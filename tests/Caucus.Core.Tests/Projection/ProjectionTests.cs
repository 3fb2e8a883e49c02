using System.Collections.Immutable;
using Caucus.Core.Aggregation;
using Caucus.Core.Arithmetic;
using Caucus.Core.Model;
using Caucus.Core.Projection;
using Caucus.Core.Rules.Iowa2020;
using Caucus.Core.Rules;

namespace Caucus.Core.Tests.Projection;

/// <summary>DESIGN.md "Projection" on synthetic elections and worked cases.</summary>
public class ProjectionTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static double ToDouble(Rational r) => (double)r.Numerator / (double)r.Denominator;

    /// <summary>The synthetic election's final SDEs per candidate, counted exactly by the aggregate.</summary>
    private static Dictionary<string, double> FinalSdes(SyntheticElection s, Func<Precinct, bool>? which = null)
    {
        var aggregate = new ResultsAggregate(s.Election);
        foreach (var p in s.Election.Precincts.Where(which ?? (_ => true))) aggregate.Apply(PrecinctResult.Compute(s.Election, p, s.Final[p.Id]));
        return aggregate.Statewide().Candidates.ToDictionary(c => c.Name, c => ToDouble(c.Sde));
    }

    /// <summary>The region's precincts first (in a seeded random order), then the rest (in a seeded random order).</summary>
    private static List<Precinct> RegionFirst(SyntheticElection s)
    {
        var rng = new Xoshiro256(5, 5);
        return [.. s.Election.Precincts.Select(p => (p, key: (s.Election.CountyOf(p).District == s.Region && p.Kind == PrecinctKind.Precinct ? 0 : 1) * 10.0 + rng.NextDouble()))
            .OrderBy(x => x.key).Select(x => x.p)];
    }

    [Fact]
    public void The_synthetic_election_comes_from_an_election_folder_and_its_region_differs_clearly()
    {
        var s = SyntheticElections.Create(11);
        Assert.Equal(["counties.csv", "election.json", "precincts.csv"], s.Files.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(s.Election.Precincts.Length, s.Final.Count);
        Assert.Equal(2, s.Election.Counties.Count(c => c.IsSatelliteCounty));
        // Region against the rest, by share of SDEs: Avery several points stronger in the region, Blake weaker.
        var final = FinalSdes(s, p => s.Election.CountyOf(p).District == s.Region && p.Kind == PrecinctKind.Precinct);
        var rest = FinalSdes(s, p => !(s.Election.CountyOf(p).District == s.Region && p.Kind == PrecinctKind.Precinct));
        double Share(Dictionary<string, double> sdes, string n) => sdes[n] / sdes.Values.Sum();
        Assert.True(Share(final, "Avery") - Share(rest, "Avery") > 0.04, $"Avery {Share(final, "Avery"):P1} in the region, {Share(rest, "Avery"):P1} elsewhere");
        Assert.True(Share(rest, "Blake") - Share(final, "Blake") > 0.04, $"Blake {Share(final, "Blake"):P1} in the region, {Share(rest, "Blake"):P1} elsewhere");
    }

    [Fact]
    public void With_one_region_reporting_first_the_projection_beats_the_naive_one_holds_the_final_and_favours_the_winner()
    {
        var s = SyntheticElections.Create(11);
        var final = FinalSdes(s);
        var total = final.Values.Sum();
        var top3 = final.OrderByDescending(kv => kv.Value).Take(3).Select(kv => kv.Key).ToList();
        var winner = top3[0];
        var order = RegionFirst(s);
        var misses = new List<string>();
        foreach (var level in new[] { 0.3, 0.6 })
        {
            var reported = order.Take((int)(level * order.Count)).ToDictionary(p => p.Id, p => s.Final[p.Id], StringComparer.Ordinal);
            var projection = Projector.Project(s.Election, reported, new ProjectionOptions(600, 42));
            var current = projection.Candidates.Sum(c => ToDouble(c.CurrentSde));
            var projectedError = s.Election.Candidates.Average(n => Math.Abs(projection.ProjectedSdeShare(n) - final[n] / total));
            var naiveError = s.Election.Candidates.Average(n => Math.Abs(ToDouble(projection[n].CurrentSde) / current - final[n] / total));
            output.WriteLine($"{level:P0}: projection error {100 * projectedError:0.00} points, naive {100 * naiveError:0.00}; " +
                string.Join(", ", top3.Select(n => $"{n} final {final[n]:0.0} projected {projection[n].ProjectedSde:0.0} in {projection[n].SdeInterval90.Low:0.0}–{projection[n].SdeInterval90.High:0.0}")));
            Assert.True(projectedError < naiveError, $"{level:P0}: projection {100 * projectedError:0.00} points, naive {100 * naiveError:0.00}");
            Assert.True(projectedError <= 0.015, $"{level:P0}: projection error {100 * projectedError:0.00} points, naive {100 * naiveError:0.00}");
            misses.AddRange(top3.Where(n => !projection[n].SdeInterval90.Contains(final[n])).Select(n => $"{n} at {level:P0}: " +
                $"final {final[n]:0.0} outside {projection[n].SdeInterval90.Low:0.0}–{projection[n].SdeInterval90.High:0.0}"));
            if (level == 0.6)
            {
                Assert.Equal(winner, projection.SdeLeader);
                Assert.True(projection[winner].ProbabilityFirst > 0.5, $"P({winner} first) = {projection[winner].ProbabilityFirst}");
            }
        }
        Assert.True(misses.Count <= 1, string.Join("; ", misses));
    }

    private static string Fingerprint(ProjectionResult r) =>
        string.Join(" ", r.Candidates.Select(c => $"{c.Name}:{c.CurrentSde}/{c.ProjectedSde:R}/{c.SdeInterval90}/{c.ProbabilityFirst:R}/{c.ProjectedFinalAlignment:R}/{c.FinalAlignmentInterval90}"))
        + $" {r.SdeLeader} {r.PopularVoteLeader} {r.ProbabilityLeadersDiffer:R} {r.Reporting}";

    [Fact]
    public void The_same_reports_and_seed_give_the_same_projection_whatever_the_threads_and_another_seed_another_one()
    {
        var s = SyntheticElections.Create(3);
        var reported = s.Election.Precincts.Where((_, i) => i % 3 == 0).ToDictionary(p => p.Id, p => s.Final[p.Id], StringComparer.Ordinal);
        var one = Projector.Project(s.Election, reported, new ProjectionOptions(300, 9, MaxDegreeOfParallelism: 1));
        var many = Projector.Project(s.Election, reported, new ProjectionOptions(300, 9, MaxDegreeOfParallelism: 4));
        var again = Projector.Project(s.Election, reported, new ProjectionOptions(300, 9));
        var other = Projector.Project(s.Election, reported, new ProjectionOptions(300, 10));
        Assert.Equal(Fingerprint(one), Fingerprint(many));
        Assert.Equal(Fingerprint(one), Fingerprint(again));
        Assert.NotEqual(Fingerprint(one), Fingerprint(other));
    }

    [Fact]
    public void The_projection_does_not_depend_on_the_order_the_reports_came_in()
    {
        var s = SyntheticElections.Create(4);
        var subset = s.Election.Precincts.Where((_, i) => i % 2 == 1).ToList();
        var forward = new Dictionary<string, Tally>(StringComparer.Ordinal);
        foreach (var p in subset) forward[p.Id] = s.Final[p.Id];
        // A different insertion order (and a correction in between, as a live aggregate would see it).
        var backward = new Dictionary<string, Tally>(StringComparer.Ordinal);
        foreach (var p in Enumerable.Reverse(subset)) backward[p.Id] = Tallies.Same(1, ("Avery", 1));
        foreach (var p in subset.OrderBy(p => p.Name, StringComparer.Ordinal)) backward[p.Id] = s.Final[p.Id];
        Assert.Equal(Fingerprint(Projector.Project(s.Election, forward, new ProjectionOptions(200, 1))),
            Fingerprint(Projector.Project(s.Election, backward, new ProjectionOptions(200, 1))));
    }

    [Fact]
    public void With_everything_reported_and_nothing_pending_the_projection_is_the_count()
    {
        var s = SyntheticElections.Create(5);
        var aggregate = new ResultsAggregate(s.Election);
        foreach (var p in s.Election.Precincts) aggregate.Apply(PrecinctResult.Compute(s.Election, p, s.Final[p.Id]));
        var pending = aggregate.Results.Values.Where(r => r.Allocation.IsProvisional).Select(r => r.Precinct.Id).ToHashSet();
        // Settle every pending toss with its provisional outcome so that nothing is left to chance.
        var reports = s.Final.ToDictionary(kv => kv.Key, kv => pending.Contains(kv.Key)
            ? kv.Value.WithTieBreaks([Caucus.Core.Verification.ConsistencyCheck.Outcomes(aggregate.Find(kv.Key)!.Allocation.Tie!).First()])
            : kv.Value, StringComparer.Ordinal);
        var projection = Projector.Project(s.Election, reports, new ProjectionOptions(50, 1));
        Assert.Equal(1.0, projection.Reporting.PrecinctShare);
        foreach (var c in projection.Candidates)
        {
            Assert.Equal(ToDouble(c.CurrentSde), c.ProjectedSde, 9);
            Assert.Equal(c.SdeInterval90.Low, c.SdeInterval90.High, 9);
            Assert.Equal(c.CurrentFinalAlignment, c.ProjectedFinalAlignment, 9);
        }
    }

    [Fact]
    public void A_pending_toss_in_a_reported_precinct_is_drawn_fairly()
    {
        // RULES.md example 1 alone: Adair 1NW ADAIR, Buttigieg and Klobuchar toss for a delegate (1 or 2 of D = 8; SD/CD = 4/8).
        var county = new County("Adair", "CD3", 8, 4, false);
        var precinct = new Precinct("adair/1nw-adair", "Adair", "1NW ADAIR", 8, PrecinctKind.Precinct);
        var election = new Election("adair", "Adair", new Iowa2020RuleSet(), ["Biden", "Buttigieg", "Klobuchar", "Sanders", "Warren"], [county], [precinct]);
        var tally = Tallies.Same(40, ("Biden", 6), ("Buttigieg", 8), ("Klobuchar", 8), ("Sanders", 9), ("Warren", 9));
        var projection = Projector.Project(election, new Dictionary<string, Tally> { [precinct.Id] = tally }, new ProjectionOptions(4_000, 7));
        foreach (var name in new[] { "Buttigieg", "Klobuchar" })
        {
            // One delegate is 0.5 SDE: the mean of a fair toss is 0.75 (binomial sd of the mean 0.004).
            Assert.InRange(projection[name].ProjectedSde, 0.73, 0.77);
            Assert.Equal(new Interval(0.5, 1.0), projection[name].SdeInterval90);
        }
        Assert.Equal(1.0, projection["Sanders"].ProjectedSde, 9);
    }
}
