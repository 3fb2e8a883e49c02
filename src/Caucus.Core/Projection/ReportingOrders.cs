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
    public const string SmallRuralFirst = "small rural first";

    /// <param name="randomOrders">How many uniformly random orders.</param>
    /// <param name="biasedRepeats">
    /// How many orders of each biased kind: each district first in that many random orders within and after it; the
    /// biggest counties first in that many orders (the first by county delegates exactly, the others with each county's
    /// size perturbed by a random factor of about ±25%, which reshuffles the counties near every cut); satellites last
    /// in that many random orders of the rest. A folder whose counties elect no county delegates (a secret ballot's) says
    /// nothing of a county's size, so it has no "big counties first" or "small rural first" order: they would be the
    /// counties in alphabetical order under another name.
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
        var sized = election.Counties.Any(c => c.CountyDelegates > 0);
        for (var r = 0; r < biasedRepeats && sized; r++)
        {
            var suffix = biasedRepeats == 1 ? "" : $" ({r + 1})";
            var rng = new Xoshiro256(seed, 2_000_003 + (ulong)r);
            var size = election.Counties.ToDictionary(c => c.Name, c => -c.CountyDelegates * (r == 0 ? 1 : Math.Exp(0.25 * rng.NextGaussian())), StringComparer.Ordinal);
            orders.Add(new(BigCountiesFirst, $"big counties first{suffix}", ByRank(election, p => size[p.County], seed, stream++, wholeCounties: true)));
        }
        for (var r = 0; r < biasedRepeats && sized; r++)
        {
            var suffix = biasedRepeats == 1 ? "" : $" ({r + 1})";
            orders.Add(new(SmallRuralFirst, $"small rural first{suffix}", DemoLike(election, seed, stream++)));
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

    /// <summary>
    /// The demo night's order (Caucus.Api's DemoPlan, drawn the same way with its own stream): 20 small precincts (D ≤ 3)
    /// of the smaller rural counties in the first tenth of the night, the rest of the counties in a wave peaking at 42%,
    /// the biggest tenth of the counties (by county delegates) in a later wave peaking at 70%, satellites last.
    /// </summary>
    private static ImmutableArray<Precinct> DemoLike(Election election, ulong seed, ulong stream)
    {
        var rng = new Xoshiro256(seed, stream + 3_000_017);
        var counties = election.Counties.Where(c => !c.IsSatelliteCounty).ToList();
        var big = counties.OrderByDescending(c => c.CountyDelegates).Take((counties.Count + 9) / 10).Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var ordered = election.Precincts.OrderBy(p => p.Id, StringComparer.Ordinal).ToList();
        var rural = ordered.Where(p => p.Kind == PrecinctKind.Precinct && !big.Contains(p.County) && p.Delegates <= 3).ToList();
        var small = rural.Where(p => election.CountyOf(p).CountyDelegates <= 60).ToArray();
        if (small.Length < 20) small = [.. rural];
        for (var i = small.Length - 1; i > 0; i--)
        {
            var j = rng.NextInt(i + 1);
            (small[i], small[j]) = (small[j], small[i]);
        }
        var early = small.Take(20).Select(p => p.Id).ToHashSet(StringComparer.Ordinal);
        var at = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var p in ordered)
        {
            at[p.Id] = p.Kind == PrecinctKind.Satellite ? 0.86 + 0.11 * rng.NextDouble()
                : early.Contains(p.Id) ? 0.01 + 0.09 * rng.NextDouble()
                : big.Contains(p.County) ? Triangular(ref rng, 0.35, 0.70, 0.92)
                : Triangular(ref rng, 0.10, 0.42, 0.75);
        }
        return [.. ordered.OrderBy(p => at[p.Id])];

        static double Triangular(ref Xoshiro256 rng, double low, double mode, double high)
        {
            var u = rng.NextDouble();
            var cut = (mode - low) / (high - low);
            return u < cut ? low + Math.Sqrt(u * (high - low) * (mode - low)) : high - Math.Sqrt((1 - u) * (high - low) * (high - mode));
        }
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
