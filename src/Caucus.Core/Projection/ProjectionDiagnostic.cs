using System.Collections.Immutable;
using Caucus.Core.Aggregation;
using Caucus.Core.Model;

namespace Caucus.Core.Projection;

/// <summary>One line of the unreported-precinct diagnostic: a size class, a candidate, simulated against true shares (points).</summary>
public sealed record DiagnosticRow(string SizeClass, string Candidate, int Precincts, double SimulatedAlignment, double TrueAlignment,
    double SimulatedDelegates, double TrueDelegates);

/// <summary>
/// Whether the simulation of the precincts still out is unbiased: in random orders at one reporting level, the mean
/// simulated share of final alignment and of SDEs (delegates × SD/CD; satellites by delegates × attendance / D) of the unreported
/// precincts against the truth for the same precincts, overall and by size class (D), averaged over the orders.
/// </summary>
public static class ProjectionDiagnostic
{
    private static readonly (string Name, int Upper)[] SizeClasses = [("D 0-2", 2), ("D 3-4", 4), ("D 5-7", 7), ("D 8-14", 14), ("D 15+", int.MaxValue)];

    public static ImmutableArray<DiagnosticRow> Run(Election election, IReadOnlyDictionary<string, Tally> final, int orders, double level, int draws, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(election);
        ArgumentNullException.ThrowIfNull(final);
        var counties = election.Counties.ToDictionary(c => c.Name, StringComparer.Ordinal);
        var byId = election.Precincts.ToDictionary(p => p.Id, StringComparer.Ordinal);
        // key (class, candidate) → sums over orders of shares in points
        var sums = new Dictionary<(string, string), double[]>();
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var order in ReportingOrders.All(election, orders, seed, 0).Where(o => o.Kind == ReportingOrders.Random))
        {
            var reported = order.Reported(level).Where(p => final.ContainsKey(p.Id)).ToDictionary(p => p.Id, p => final[p.Id], StringComparer.Ordinal);
            var (names, ids, simFinal, simAward) = Projector.SimulateOpen(election, reported, draws, seed);
            var k = names.Length;
            var classOf = ids.Select(id => byId[id].Kind == PrecinctKind.Satellite ? "satellites"
                : SizeClasses.First(c => byId[id].Delegates <= c.Upper).Name).ToArray();
            foreach (var cls in classOf.Distinct().Append("all in-state").Append("all"))
            {
                var members = Enumerable.Range(0, ids.Length).Where(i => cls == "all" || (cls == "all in-state" ? classOf[i] != "satellites" : classOf[i] == cls)).ToArray();
                var simA = new double[k];
                var trueA = new double[k];
                var simD = new double[k];
                var trueD = new double[k];
                foreach (var i in members)
                {
                    var precinct = byId[ids[i]];
                    var county = counties[precinct.County];
                    var weight = precinct.Kind == PrecinctKind.Satellite ? (precinct.Delegates == 0 ? 0 : (double)final[precinct.Id].Attendees / precinct.Delegates)
                        : county.CountyDelegates == 0 ? 1.0 : (double)county.StateDelegates / county.CountyDelegates;
                    var allocation = PrecinctResult.Compute(election, precinct, final[precinct.Id]).Allocation;
                    for (var c = 0; c < k; c++)
                    {
                        simA[c] += simFinal[i * k + c];
                        trueA[c] += final[precinct.Id].FinalOf(names[c]);
                        simD[c] += (precinct.Kind == PrecinctKind.Satellite ? 1 : weight) * simAward[i * k + c];
                        trueD[c] += weight * allocation.DelegatesOf(names[c]);
                    }
                }
                counts[cls] = members.Length;
                for (var c = 0; c < k; c++)
                {
                    var key = (cls, names[c]);
                    if (!sums.TryGetValue(key, out var row)) sums[key] = row = new double[4];
                    row[0] += 100 * Share(simA, c);
                    row[1] += 100 * Share(trueA, c);
                    row[2] += 100 * Share(simD, c);
                    row[3] += 100 * Share(trueD, c);
                }
            }
        }
        return [.. sums.Select(kv => new DiagnosticRow(kv.Key.Item1, kv.Key.Item2, counts[kv.Key.Item1],
            kv.Value[0] / orders, kv.Value[1] / orders, kv.Value[2] / orders, kv.Value[3] / orders))];

        static double Share(double[] values, int c)
        {
            var total = values.Sum();
            return total == 0 ? 0 : values[c] / total;
        }
    }
}
