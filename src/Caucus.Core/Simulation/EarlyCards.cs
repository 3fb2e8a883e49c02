using System.Collections.Immutable;
using Caucus.Core.Model;
using Caucus.Core.Projection;
using Caucus.Core.Rules;

namespace Caucus.Core.Simulation;

/// <summary>
/// A synthetic precinct's early vote (<see cref="EarlyVoteForm"/>: Nevada's ranked preference cards): each card ranks
/// between the form's fewest and most choices, each choice drawn by the precinct's group weights among the groups not
/// yet ranked, so a card's ranking follows the same preferences as the people in the room.
/// </summary>
public static class EarlyCards
{
    public static ImmutableArray<EarlyRanking> Draw(ref Xoshiro256 rng, int cards, EarlyVoteForm form, IReadOnlyList<string> groups, ReadOnlySpan<double> weights)
    {
        ArgumentNullException.ThrowIfNull(form);
        ArgumentNullException.ThrowIfNull(groups);
        var fewest = Math.Min(form.FewestChoices, groups.Count);
        var most = Math.Min(form.MostChoices, groups.Count);
        var counts = new Dictionary<string, (ImmutableArray<string> Choices, int Count)>(StringComparer.Ordinal);
        var left = new double[weights.Length];
        for (var card = 0; card < cards; card++)
        {
            weights.CopyTo(left);
            var length = fewest + rng.NextInt(most - fewest + 1);
            var choices = ImmutableArray.CreateBuilder<string>(length);
            for (var k = 0; k < length; k++)
            {
                var pick = Pick(ref rng, left);
                choices.Add(groups[pick]);
                left[pick] = 0;
            }
            var key = string.Join('\u001f', choices);
            counts[key] = counts.TryGetValue(key, out var seen) ? (seen.Choices, seen.Count + 1) : (choices.ToImmutable(), 1);
        }
        // Ordered by ranking, so the same cards give the same report whatever order they were drawn in.
        return [.. counts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => new EarlyRanking(c.Value.Choices, c.Value.Count))];
    }

    private static int Pick(ref Xoshiro256 rng, double[] weights)
    {
        var u = rng.NextDouble() * weights.Sum();
        for (var i = 0; i < weights.Length; i++)
        {
            if (weights[i] <= 0) continue;
            u -= weights[i];
            if (u < 0) return i;
        }
        return Array.FindLastIndex(weights, w => w > 0);
    }
}
