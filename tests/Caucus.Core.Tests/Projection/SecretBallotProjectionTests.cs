using Caucus.Core.Definitions;
using Caucus.Core.Model;
using Caucus.Core.Projection;

namespace Caucus.Core.Tests.Projection;

/// <summary>The projection on a statewide headline: each draw's national delegates are the allocation of its drawn vote.</summary>
public class SecretBallotProjectionTests
{
    private static Election IowaGop() => ElectionDefinition.Load(name =>
    {
        var path = Path.Combine(AppContext.BaseDirectory, "elections", "iowa-gop-2024", name);
        return File.Exists(path) ? File.ReadAllText(path) : null;
    });

    [Fact]
    public void A_mid_night_projection_draws_whole_allocations_of_all_40_delegates_around_the_count()
    {
        var election = IowaGop();
        // Forty of the 99 units in, each voting Trump 50%, DeSantis 22%, Haley 19%, Ramaswamy 8%, Binkley and Hutchinson 0.5%.
        var reported = election.Precincts.Take(40).Select((p, i) => (p.Id, Tally: Tallies.Same(1_000 + 10 * i,
            ("Trump", 500 + 5 * i), ("DeSantis", 220 + 2 * i), ("Haley", 190 + 2 * i), ("Ramaswamy", 80 + i), ("Binkley", 5), ("Hutchinson", 5))))
            .ToDictionary(x => x.Id, x => x.Tally, StringComparer.Ordinal);
        var result = Projector.Project(election, reported, new ProjectionOptions(Draws: 200, Seed: 7, MaxDegreeOfParallelism: 1));

        Assert.Equal(40, result.TotalSde, precision: 6);
        Assert.Equal("Trump", result.SdeLeader);
        var trump = result.Candidates.Single(c => c.Name == "Trump");
        // On the count so far Trump's 50.0% of 40 is 20; the draws stay near it, within the 40.
        Assert.Equal(20, (int)trump.CurrentSde.Floor());
        Assert.InRange(trump.ProjectedSde, 15, 25);
        Assert.True(trump.SdeInterval90.Low >= 0 && trump.SdeInterval90.High <= 40);
        Assert.All(result.Candidates, c => Assert.False(double.IsNaN(c.ProjectedSde)));
    }
}
