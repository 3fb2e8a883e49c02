using System.Collections.Immutable;
using Caucus.Core.Model;

namespace Caucus.Core.Projection;

/// <summary>A named order in which the precincts of an election report (for backtests).</summary>
public sealed record ReportingOrder(string Kind, string Name, ImmutableArray<Precinct> Precincts)
{
    /// <summary>The first <paramref name="share"/> of the precincts (by count) in this order.</summary>
    public IEnumerable<Precinct> Reported(double share) => Precincts.Take((int)Math.Round(share * Precincts.Length));
}

/// <summary>
/// Random and region-biased reporting orders, seeded: random; one congressional district first; the biggest counties
/// first (by county delegates); satellites last. The biased ones are what breaks a naive projection.
/// </summary>
public static class ReportingOrders
{
    public const string Random = "random";
    public const string DistrictFirst = "one district first";
    public const string BigCountiesFirst = "big counties first";
    public const string SatellitesLast = "satellites last";

    /// <param name="randomOrders">How many uniformly random orders.</param>
    /// <param name="biasedRepeats">
    /// How many orders of each biased kind: each district first in that many random orders within and after it; the
    /// biggest counties first in that many orders (the first by county delegates exactly, the others with each county's
    /// size perturbed by a random factor of about ±25%, which reshuffles the counties near every cut); satellites last
    /// in that many random orders of the rest.
    /// </param>
    public static ImmutableArray<ReportingOrder> All(Election election, int randomOrders, ulong seed, int biasedRepeats = 1)
    {
        ArgumentNullException.ThrowIfNull(election);
        ArgumentOutOfRangeException.ThrowIfNegative(biasedRepeats);
        var orders = ImmutableArray.CreateBuilder<ReportingOrder>();
        var stream = 0UL;
        for (var i = 0; i < randomOrders; i++) orders.Add(new(Random, $"random {i + 1}", Shuffle(election.Precincts, seed, stream++)));
        for (var r = 0; r < biasedRepeats; r++)
        {
            var suffix = biasedRepeats == 1 ? "" : $" ({r + 1})";
            foreach (var district in InStateDistricts(election))
            {
                orders.Add(new(DistrictFirst, $"{district} first{suffix}", ByRank(election, p => election.CountyOf(p).District == district && p.Kind == PrecinctKind.Precinct ? 0 : 1, seed, stream++)));
            }
        }
        for (var r = 0; r < biasedRepeats; r++)
        {
            var suffix = biasedRepeats == 1 ? "" : $" ({r + 1})";
            var rng = new Xoshiro256(seed, 2_000_003 + (ulong)r);
            var size = election.Counties.ToDictionary(c => c.Name, c => -c.CountyDelegates * (r == 0 ? 1 : Math.Exp(0.25 * rng.NextGaussian())), StringComparer.Ordinal);
            orders.Add(new(BigCountiesFirst, $"big counties first{suffix}", ByRank(election, p => size[p.County], seed, stream++, wholeCounties: true)));
        }
        for (var r = 0; r < biasedRepeats; r++)
        {
            var suffix = biasedRepeats == 1 ? "" : $" ({r + 1})";
            orders.Add(new(SatellitesLast, $"satellites last{suffix}", ByRank(election, p => p.Kind == PrecinctKind.Satellite ? 1 : 0, seed, stream++)));
        }
        return orders.ToImmutable();
    }

    public static IEnumerable<string> InStateDistricts(Election election)
    {
        ArgumentNullException.ThrowIfNull(election);
        return election.Counties.Where(c => !c.IsSatelliteCounty).Select(c => c.District).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
    }

    /// <summary>Precincts by rank, shuffled within a rank (and, with <paramref name="wholeCounties"/>, counties kept together).</summary>
    private static ImmutableArray<Precinct> ByRank(Election election, Func<Precinct, double> rank, ulong seed, ulong stream, bool wholeCounties = false)
    {
        var shuffled = Shuffle(election.Precincts, seed, stream);
        var position = shuffled.Select((p, i) => (p, i)).ToDictionary(x => x.p.Id, x => x.i, StringComparer.Ordinal);
        return [.. shuffled.OrderBy(rank).ThenBy(p => wholeCounties ? p.County : "", StringComparer.Ordinal).ThenBy(p => position[p.Id])];
    }

    private static ImmutableArray<Precinct> Shuffle(ImmutableArray<Precinct> precincts, ulong seed, ulong stream)
    {
        var rng = new Xoshiro256(seed, stream + 1_000_003);
        var array = precincts.ToArray();
        for (var i = array.Length - 1; i > 0; i--)
        {
            var j = rng.NextInt(i + 1);
            (array[i], array[j]) = (array[j], array[i]);
        }
        return [.. array];
    }
}
