using Caucus.Core.Aggregation;
using Caucus.Core.Arithmetic;
using Caucus.Core.Model;
using Caucus.Core.Rules.Iowa2020;
using Caucus.Core.Rules;
using CsCheck;

namespace Caucus.Core.Tests;

/// <summary>RULES.md "State delegate equivalents" and "Satellite caucuses": exact sums, any order.</summary>
public class AggregateTests
{
    private sealed record World(Election Election, GeneratedPrecinct[] Reports, GeneratedPrecinct[] Drafts)
    {
        public override string ToString() => string.Join(" | ", Election.Precincts.Select((p, i) => $"{p.Id}: {Reports[i]}"));
    }

    /// <summary>Two counties and a satellite county with random D and SD, and two reports per precinct (a draft and its correction).</summary>
    private static readonly Gen<World> Worlds =
        Gen.Select(Gen.Int[0, 40].Array[1, 5], Gen.Int[0, 40].Array[1, 5], Gen.Int[1, 40].Array[1, 4], Gen.Int[1, 60].Array[3])
            .SelectMany(t =>
            {
                var (north, south, sat, sds) = t;
                var precincts = north.Select((d, i) => new Precinct($"north/{i}", "North", $"N{i}", d, PrecinctKind.Precinct))
                    .Concat(south.Select((d, i) => new Precinct($"south/{i}", "South", $"S{i}", d, PrecinctKind.Precinct)))
                    .Concat(sat.Select((d, i) => new Precinct($"sat/{i}", "Sat", $"T{i}", d, PrecinctKind.Satellite)))
                    .ToArray();
                County Make(string name, int[] ds, int sd, bool satellite) => new(name, "CD1", ds.Sum(), ds.Sum() == 0 ? 0 : sd, satellite);
                var election = new Election("synthetic", "Synthetic", new Iowa2020RuleSet(), PrecinctGenerators.Names,
                    [Make("North", north, sds[0], false), Make("South", south, sds[1], false), Make("Sat", sat, sds[2], true)], precincts);
                return Gen.Select(PrecinctGenerators.Shape.Array[precincts.Length], PrecinctGenerators.Shape.Array[precincts.Length],
                    (final, draft) => new World(election,
                        [.. precincts.Select((p, i) => PrecinctGenerators.Realign(p.Delegates, final[i]))],
                        [.. precincts.Select((p, i) => PrecinctGenerators.Realign(p.Delegates, draft[i]))]));
            });

    private static PrecinctResult Result(Election election, Precinct precinct, GeneratedPrecinct report) =>
        PrecinctResult.Compute(election, precinct, report.ToTally());

    private static Rational SdeTotal(ResultsTotals totals) => Rational.Sum(totals.Candidates.Select(c => c.Sde));

    private static string Fingerprint(ResultsTotals t) =>
        $"{t.Reporting}/{t.Total} inc={t.Inconsistent} pend={t.PendingTieBreaks} sat={t.SatellitesProvisional} " +
        string.Join(" ", t.Candidates.Select(c => $"{c.Name}:{c.FirstAlignment}/{c.FinalAlignment}/{c.CountyDelegates}/{c.Sde}"));

    [Fact]
    public void A_county_whose_every_precinct_reports_has_SDEs_summing_to_its_state_delegates()
    {
        Worlds.Sample(w =>
        {
            var aggregate = new ResultsAggregate(w.Election);
            var results = w.Election.Precincts.Select((p, i) => Result(w.Election, p, w.Reports[i])).ToArray();
            foreach (var r in results) aggregate.Apply(r);
            foreach (var county in w.Election.Counties)
            {
                var totals = aggregate.County(county.Name)!;
                // The county total is the exact sum of its precincts' SDEs …
                var precinctSum = Rational.Sum(results.Where(r => r.Precinct.County == county.Name)
                    .SelectMany(r => aggregate.PrecinctSdes(r).Values));
                Assert.Equal(precinctSum, SdeTotal(totals));
                // … and, every precinct having awarded its D, that is the county's SD.
                var short_ = results.Where(r => r.Precinct.County == county.Name && r.Allocation.TotalDelegates != r.Precinct.Delegates)
                    .Select(r => $"{r.Precinct.Id} awarded {r.Allocation.TotalDelegates} of {r.Precinct.Delegates}");
                Assert.True(SdeTotal(totals) == county.StateDelegates,
                    $"{county.Name}: SDEs {SdeTotal(totals)} against SD {county.StateDelegates}; {string.Join("; ", short_)}");
            }
        }, iter: 2_000);
    }

    [Fact]
    public void An_in_state_county_falls_short_of_its_state_delegates_while_a_precinct_electing_delegates_is_missing()
    {
        Worlds.Sample(w =>
        {
            var missing = w.Election.Precincts.FirstOrDefault(p => p.Kind == PrecinctKind.Precinct && p.Delegates > 0);
            if (missing is null) return;
            var aggregate = new ResultsAggregate(w.Election);
            foreach (var (p, i) in w.Election.Precincts.Select((p, i) => (p, i)).Where(x => x.p != missing))
            {
                aggregate.Apply(Result(w.Election, p, w.Reports[i]));
            }
            var county = w.Election.CountyOf(missing);
            Assert.True(SdeTotal(aggregate.County(county.Name)!) < county.StateDelegates);
        }, iter: 1_000);
    }

    [Fact]
    public void Totals_do_not_depend_on_the_order_reports_arrive_in()
    {
        Gen.Select(Worlds, Gen.Int.Array[20]).Sample((w, keys) =>
        {
            var results = w.Election.Precincts.Select((p, i) => Result(w.Election, p, w.Reports[i])).ToArray();
            var inOrder = new ResultsAggregate(w.Election);
            foreach (var r in results) inOrder.Apply(r);
            var shuffled = new ResultsAggregate(w.Election);
            foreach (var r in results.Select((r, i) => (r, keys[i % keys.Length] ^ i)).OrderBy(x => x.Item2).Select(x => x.r)) shuffled.Apply(r);
            Assert.Equal(Fingerprint(inOrder.Statewide()), Fingerprint(shuffled.Statewide()));
            Assert.Equal(Fingerprint(inOrder.Statewide(SatelliteWeighting.Delegates)), Fingerprint(shuffled.Statewide(SatelliteWeighting.Delegates)));
            foreach (var c in w.Election.Counties)
            {
                Assert.Equal(Fingerprint(inOrder.County(c.Name)!), Fingerprint(shuffled.County(c.Name)!));
            }
        }, iter: 1_000);
    }

    [Fact]
    public void A_corrected_report_replaces_the_one_before_it()
    {
        Gen.Select(Worlds, Gen.Bool.Array[20]).Sample((w, draftFirst) =>
        {
            var finalOnly = new ResultsAggregate(w.Election);
            foreach (var (p, i) in w.Election.Precincts.Select((p, i) => (p, i))) finalOnly.Apply(Result(w.Election, p, w.Reports[i]));

            var corrected = new ResultsAggregate(w.Election);
            var precincts = w.Election.Precincts;
            for (var i = 0; i < precincts.Length; i++)
            {
                if (draftFirst[i % draftFirst.Length]) corrected.Apply(Result(w.Election, precincts[i], w.Drafts[i]));
            }
            for (var i = precincts.Length - 1; i >= 0; i--) corrected.Apply(Result(w.Election, precincts[i], w.Reports[i]));

            Assert.Equal(precincts.Length, corrected.Reporting);
            Assert.Equal(Fingerprint(finalOnly.Statewide()), Fingerprint(corrected.Statewide()));
            Assert.Equal(Fingerprint(finalOnly.Statewide(SatelliteWeighting.Delegates)), Fingerprint(corrected.Statewide(SatelliteWeighting.Delegates)));

            // Removing every report leaves nothing behind.
            foreach (var p in precincts) Assert.True(corrected.Remove(p.Id));
            var empty = corrected.Statewide();
            Assert.Equal(0, empty.Reporting);
            Assert.All(empty.Candidates, c => Assert.True(c.Sde.IsZero && c.FirstAlignment == 0 && c.CountyDelegates == 0));
        }, iter: 1_000);
    }

    [Fact]
    public void Satellites_are_provisional_until_their_whole_group_reports()
    {
        Worlds.Where(x => x.Election.PrecinctsIn("Sat").Length >= 2).Sample(w =>
        {
            var aggregate = new ResultsAggregate(w.Election);
            var sats = w.Election.Precincts.Select((p, i) => (p, i)).Where(x => x.p.Kind == PrecinctKind.Satellite).ToArray();
            aggregate.Apply(Result(w.Election, sats[0].p, w.Reports[sats[0].i]));
            Assert.True(aggregate.Statewide().SatellitesProvisional);
            foreach (var (p, i) in sats.Skip(1)) aggregate.Apply(Result(w.Election, p, w.Reports[i]));
            Assert.False(aggregate.Statewide().SatellitesProvisional);
        }, iter: 200);
    }

    [Fact]
    public void Every_Iowa_county_sums_to_its_state_delegates_once_all_its_precincts_report()
    {
        var election = IowaElection.Shipped;
        var precincts = election.Precincts;
        PrecinctGenerators.Shape.Array[precincts.Length].Sample(shapes =>
        {
            var aggregate = new ResultsAggregate(election);
            for (var i = 0; i < precincts.Length; i++)
            {
                aggregate.Apply(PrecinctResult.Compute(election, precincts[i], PrecinctGenerators.Realign(precincts[i].Delegates, shapes[i]).ToTally()));
            }
            Assert.False(aggregate.Statewide().SatellitesProvisional);
            foreach (var county in election.Counties)
            {
                var short_ = aggregate.Results.Values.Where(r => r.Precinct.County == county.Name && r.Allocation.TotalDelegates != r.Precinct.Delegates)
                    .Select(r => $"{r.Precinct.Id} awarded {r.Allocation.TotalDelegates} of {r.Precinct.Delegates}");
                Assert.True(SdeTotal(aggregate.County(county.Name)!) == county.StateDelegates,
                    $"{county.Name}: SDEs {SdeTotal(aggregate.County(county.Name)!)} against SD {county.StateDelegates}; {string.Join("; ", short_)}");
            }
            Assert.Equal(Rational.FromInteger(election.Counties.Sum(c => c.StateDelegates)), SdeTotal(aggregate.Statewide()));
        }, iter: 10, threads: 1, print: _ => "(1,765 generated reports)");
    }

    [Fact]
    public void The_adair_county_worked_example_adds_up_to_exact_fractions()
    {
        // Adair: CD 51, SD 4. 1NW ADAIR with Klobuchar winning the toss gives Biden 1, Buttigieg 1, Klobuchar 2,
        // Sanders 2, Warren 2 → 8 delegates = 32/51 SDE (the published precinct weight 0.6274…).
        var election = IowaElection.Shipped;
        var aggregate = new ResultsAggregate(election);
        var tally = Tallies.Same(40, ("Biden", 6), ("Buttigieg", 8), ("Klobuchar", 8), ("Sanders", 9), ("Warren", 9))
            .WithTieBreaks([TieBreak.Of(["Buttigieg", "Klobuchar"], ["Klobuchar"])]);
        aggregate.Apply(PrecinctResult.Compute(election, election.FindPrecinct("adair/1nw-adair")!, tally));
        var adair = aggregate.County("Adair")!;
        Assert.Equal(1, adair.Reporting);
        Assert.Equal(new Rational(32, 51), SdeTotal(adair));
        Assert.Equal("0.1569", adair.Candidates.Single(c => c.Name == "Klobuchar").SdeDisplay);
        Assert.Equal(8, adair.Candidates.Single(c => c.Name == "Klobuchar").FirstAlignment);
    }
}
