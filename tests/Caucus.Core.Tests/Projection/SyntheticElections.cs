using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Caucus.Core.Definitions;
using Caucus.Core.Model;
using Caucus.Core.Projection;
using Caucus.Core.Rules.Iowa2020;
using Caucus.Core.Rules;
using Caucus.Core.Simulation;

namespace Caucus.Core.Tests.Projection;

/// <summary>
/// A synthetic election as the files of its election folder, the election loaded from them, and every precinct's true
/// report. <see cref="Region"/> is the district with the regional effect (the one that reports first in the tests).
/// </summary>
internal sealed record SyntheticElection(ImmutableDictionary<string, string> Files, Election Election, ImmutableDictionary<string, Tally> Final,
    string Region);

/// <summary>
/// Synthetic elections for the projection: 48 counties of varied size in four districts (CD1 rural, the others with
/// towns), precincts with D, a true share per county that moves with the county's size, a clear region-by-candidate
/// interaction (in CD1 Avery is stronger by about six points and Blake weaker by about four: what a naive projection
/// misses when CD1 reports first), county and precinct noise, realignment by the rules, and two satellite counties.
/// Written as election.json, counties.csv and precincts.csv and loaded with <see cref="ElectionDefinition.Load"/>, as
/// the service loads Caucus:ElectionPath. Seeded, so a test sees the same election every run.
/// </summary>
internal static class SyntheticElections
{
    public static readonly ImmutableArray<string> Candidates = ["Avery", "Blake", "Casey", "Drew", "Emery"];

    // Base log shares; how each candidate moves with county size (log precincts, towns +); the CD1 effect.
    private static readonly double[] BaseShare = [0.9, 0.8, 0.5, 0.3, -1.5];
    private static readonly double[] SizeSlope = [-0.15, 0.2, 0.05, 0.1, 0];
    private static readonly double[] RegionShift = [0.25, -0.2, 0.05, -0.1, 0];

    public static SyntheticElection Create(ulong seed) => Create(seed, 0.12, 0.35, 0);

    /// <param name="countySd">The spread of county effects (log share).</param>
    /// <param name="precinctSd">The spread of a precinct's log shares about its county's.</param>
    /// <param name="townSd">
    /// Misspecification: each county's precincts split into two towns (by parity) whose effects (this spread, opposite
    /// signs, one per candidate) the model does not have: precincts of a county are then not exchangeable.
    /// </param>
    public static SyntheticElection Create(ulong seed, double countySd, double precinctSd, double townSd)
    {
        var rng = new Xoshiro256(seed, 77);
        var rules = new Iowa2020RuleSet();
        var counties = new StringBuilder("county,district,countyDelegates,stateDelegates\n");
        var precincts = new StringBuilder("id,county,name,delegates,kind\n");
        var final = ImmutableDictionary.CreateBuilder<string, Tally>(StringComparer.Ordinal);
        string[] districts = ["CD1", "CD2", "CD3", "CD4"];
        for (var ci = 0; ci < 48; ci++)
        {
            var district = districts[ci % 4];
            var region = district == "CD1";
            // CD1: small rural counties; the others have a few big ones too.
            var precinctCount = region ? 4 + rng.NextInt(6) : (ci % 5 == 0 ? 18 + rng.NextInt(14) : 3 + rng.NextInt(8));
            var name = $"County {ci:00}";
            var size = Math.Log(precinctCount);
            var countyEffect = BaseShare.Select((b, c) => b + SizeSlope[c] * (size - 2) + (region ? RegionShift[c] : 0) + countySd * rng.NextGaussian()).ToArray();
            var town = BaseShare.Select(_ => townSd * rng.NextGaussian()).ToArray();
            var countyDelegates = 0;
            for (var p = 0; p < precinctCount; p++)
            {
                var d = 1 + rng.NextInt(10);
                countyDelegates += d;
                var id = $"c{ci:00}/p{p:00}";
                precincts.Append(CultureInfo.InvariantCulture, $"{id},{name},P{p:00},{d},precinct\n");
                final[id] = Report(ref rng, rules, d, (int)Math.Max(1, d * 14 * Math.Exp(0.3 * rng.NextGaussian())),
                    [.. countyEffect.Select((e, c) => e + (p % 2 == 0 ? town[c] : -town[c]))], precinctSd);
            }
            counties.Append(CultureInfo.InvariantCulture, $"{name},{district},{countyDelegates},{Math.Max(1, countyDelegates / 6)}\n");
        }
        foreach (var (name, district) in new[] { ("CD1 Satellite", "CD1"), ("Out of State Satellite", "OOS") })
        {
            var countyDelegates = 0;
            for (var s = 0; s < 6; s++)
            {
                var d = 1 + rng.NextInt(4);
                countyDelegates += d;
                var id = $"{district.ToLowerInvariant()}-sat/s{s}";
                precincts.Append(CultureInfo.InvariantCulture, $"{id},{name},S{s},{d},satellite\n");
                final[id] = Report(ref rng, rules, d, 5 + rng.NextInt(60), [.. BaseShare.Select((b, c) => b + SizeSlope[c])], 0.5);
            }
            counties.Append(CultureInfo.InvariantCulture, $"{name},{district},{countyDelegates},3\n");
        }
        var election = $$"""
            {
              "id": "synthetic-{{seed}}",
              "name": "Synthetic {{seed}}",
              "ruleSet": "iowa-2020",
              "satelliteWeighting": "attendance",
              "candidates": [{{string.Join(", ", Candidates.Select(c => $"\"{c}\""))}}]
            }
            """;
        var files = ImmutableDictionary.CreateRange(StringComparer.Ordinal, new Dictionary<string, string>
        {
            [ElectionDefinition.ElectionFile] = election,
            [ElectionDefinition.CountiesFile] = counties.ToString(),
            [ElectionDefinition.PrecinctsFile] = precincts.ToString(),
        });
        return new SyntheticElection(files, ElectionDefinition.Load(name => files.GetValueOrDefault(name)), final.ToImmutable(), "CD1");
    }

    /// <summary>
    /// First alignment from the county's shares with precinct noise; non-viable groups join the viable ones or leave:
    /// the synthetic night's model (<see cref="Alignments"/>), so the demo's nights and these elections realign alike.
    /// </summary>
    private static Tally Report(ref Xoshiro256 rng, Iowa2020RuleSet rules, int d, int attendees, double[] logShare, double noise)
    {
        var weights = new double[logShare.Length];
        for (var c = 0; c < weights.Length; c++) weights[c] = Math.Exp(logShare[c] + noise * rng.NextGaussian());
        var first = Alignments.Split(attendees, weights);
        var final = Alignments.Realign(ref rng, first, rules.ViabilityThreshold(d, first.Sum()));
        return Tally.Create(first.Sum(), Candidates.Select((n, i) => KeyValuePair.Create(n, first[i])), Candidates.Select((n, i) => KeyValuePair.Create(n, final[i])));
    }
}
