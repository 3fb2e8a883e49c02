using System.Collections.Immutable;
using Caucus.Core.Definitions;
using Caucus.Core.Model;
using Caucus.Core.Projection;

namespace Caucus.Core.Tests.Projection;

/// <summary>A walking subcaucus's projection says which groups named on the night it does not project, and how much they hold.</summary>
public sealed class OpenGroupProjectionTests
{
    [Fact]
    public void Groups_named_on_the_night_are_said_not_projected_with_their_delegates_so_far()
    {
        var folder = ShippedElections.PathOf(AppContext.BaseDirectory, "mn-dfl-example");
        var election = ElectionDefinition.Load(file => File.Exists(Path.Combine(folder, file)) ? File.ReadAllText(Path.Combine(folder, file)) : null);
        var first = election.Precincts[0];
        var counts = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal,
            new Dictionary<string, int> { ["Climate Action"] = 30, ["Bike Lanes Now"] = 30 });
        var reported = new Dictionary<string, Tally> { [first.Id] = new(60, counts, counts) };

        var projection = Projector.Project(election, reported, new ProjectionOptions(Draws: 200, Seed: 7));

        var bikes = first.Delegates / 2;
        Assert.StartsWith($"Not projected: 1 group named on the night (Bike Lanes Now), {bikes} delegates counted so far; the projection covers the suggested groups only.", projection.Why);
        Assert.DoesNotContain(projection.Candidates, c => c.Name == "Bike Lanes Now");
    }
}
