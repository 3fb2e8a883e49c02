using System.Collections.Immutable;
using Caucus.Core.Model;
using Caucus.Core.Projection;
using Caucus.Core.Rules;

namespace Caucus.Core.Tests.Projection;

/// <summary>A synthetic election and every precinct's true report.</summary>
internal sealed record SyntheticElection(Election Election, ImmutableDictionary<string, Tally> Final, ImmutableArray<string> RuralDistricts);

/// <summary>
/// Synthetic elections for the projection: counties of varied size in four districts (two rural, two with the big
/// towns), precincts with D, a true share per county that moves with the county's size and its district (the regional
/// variation a naive projection misses), precinct noise, realignment by the rules, and two satellite counties.
/// Seeded, so a test sees the same election every run.
/// </summary>
internal static class SyntheticElections
{
    public static readonly ImmutableArray<string> Candidates = ["Avery", "Blake", "Casey", "Drew", "Emery"];

    public static SyntheticElection Create(ulong seed)
    {
        var rng = new Xoshiro256(seed, 77);
        var counties = new List<County>();
        var precincts = new List<Precinct>();
        var final = ImmutableDictionary.CreateBuilder<string, Tally>(StringComparer.Ordinal);
        var rules = new Iowa2020RuleSet();
        string[] districts = ["CD1", "CD2", "CD3", "CD4"];
        // Base log shares and how each candidate moves with county size (urban +) and in the rural districts.
        double[] baseShare = [0.9, 0.8, 0.5, 0.3, -1.5];
        double[] sizeSlope = [-0.15, 0.2, 0.05, 0.1, 0];
        double[] ruralShift = [0.06, -0.05, 0.03, -0.03, 0];
        for (var ci = 0; ci < 40; ci++)
        {
            var district = districts[ci % 4];
            var rural = district is "CD1" or "CD2";
            // Rural districts: small counties; the others a few big ones too.
            var precinctCount = rural ? 3 + rng.NextInt(6) : (ci % 5 == 0 ? 20 + rng.NextInt(15) : 3 + rng.NextInt(8));
            var name = $"County {ci:00}";
            var size = Math.Log(precinctCount);
            var countyEffect = baseShare.Select((b, c) => b + sizeSlope[c] * (size - 2) + (rural ? ruralShift[c] : 0) + 0.12 * rng.NextGaussian()).ToArray();
            var countyDelegates = 0;
            for (var p = 0; p < precinctCount; p++)
            {
                var d = 1 + rng.NextInt(10);
                countyDelegates += d;
                var precinct = new Precinct($"c{ci:00}/p{p:00}", name, $"P{p:00}", d, PrecinctKind.Precinct);
                precincts.Add(precinct);
                final[precinct.Id] = Report(ref rng, rules, d, (int)Math.Max(1, d * 14 * Math.Exp(0.3 * rng.NextGaussian())), countyEffect, 0.35);
            }
            counties.Add(new County(name, district, countyDelegates, Math.Max(1, countyDelegates / 6), false));
        }
        foreach (var (name, district) in new[] { ("CD1 Satellite", "CD1"), ("Out of State Satellite", "OOS") })
        {
            var countyDelegates = 0;
            for (var s = 0; s < 6; s++)
            {
                var d = 1 + rng.NextInt(4);
                countyDelegates += d;
                var satellite = new Precinct($"{district.ToLowerInvariant()}-sat/s{s}", name, $"S{s}", d, PrecinctKind.Satellite);
                precincts.Add(satellite);
                final[satellite.Id] = Report(ref rng, rules, d, 5 + rng.NextInt(60), [.. baseShare.Select((b, c) => b + sizeSlope[c])], 0.5);
            }
            counties.Add(new County(name, district, countyDelegates, 3, true));
        }
        var election = new Election("synthetic", "Synthetic", rules, Candidates, counties, precincts);
        return new SyntheticElection(election, final.ToImmutable(), ["CD1", "CD2"]);
    }

    /// <summary>First alignment from the county's shares with precinct noise; non-viable groups join the viable ones or leave.</summary>
    private static Tally Report(ref Xoshiro256 rng, Iowa2020RuleSet rules, int d, int attendees, double[] logShare, double noise)
    {
        var weights = new double[logShare.Length];
        for (var c = 0; c < weights.Length; c++) weights[c] = Math.Exp(logShare[c] + noise * rng.NextGaussian());
        var total = weights.Sum();
        var first = weights.Select(w => (int)Math.Round(attendees * w / total)).ToArray();
        var a = first.Sum();
        if (a == 0)
        {
            first[0] = 1;
            a = 1;
        }
        var threshold = rules.ViabilityThreshold(d, a);
        var final = first.Select(n => n > 0 && n >= threshold ? n : 0).ToArray();
        var largest = Array.IndexOf(first, first.Max());
        if (final.Sum() == 0) final[largest] = a;
        else
        {
            for (var c = 0; c < first.Length; c++)
            {
                if (final[c] > 0 || first[c] == 0) continue;
                // Most of a non-viable group's members join a viable group (the first viable in a random rotation).
                var start = rng.NextInt(first.Length);
                for (var j = 0; j < first.Length; j++)
                {
                    var target = (start + j) % first.Length;
                    if (final[target] == 0) continue;
                    final[target] += first[c] * 9 / 10;
                    break;
                }
            }
        }
        return Tally.Create(a, Candidates.Select((n, i) => KeyValuePair.Create(n, first[i])), Candidates.Select((n, i) => KeyValuePair.Create(n, final[i])));
    }
}
