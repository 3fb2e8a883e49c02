using Caucus.Core.Aggregation;
using Caucus.Core.Allocation;
using Caucus.Core.Arithmetic;
using Caucus.Core.Model;
using Caucus.Core.Ranges;
using Caucus.Core.Rules.Iowa2020;
using Caucus.Core.Rules;
using CsCheck;

namespace Caucus.Core.Tests.Ranges;

/// <summary>The "ranges under pending tosses": exact bounds next to every provisional SDE figure.</summary>
public class SdeRangeTests
{
    // RULES.md worked example 1: Adair (CD 51, SD 4), 1NW ADAIR, D = 8, A = 40. Raw 1.2, 1.6, 1.6, 1.8, 1.8 round to
    // 9 delegates; Buttigieg and Klobuchar tie at .6 for the one to give back. The loser has 1 delegate = 4/51 = 0.0784 SDE,
    // the winner 2 = 8/51 = 0.1569.
    private static Tally AdairNorthwest() =>
        Tallies.Same(40, ("Biden", 6), ("Buttigieg", 8), ("Klobuchar", 8), ("Sanders", 9), ("Warren", 9));

    [Fact]
    public void Adair_1NW_without_its_toss_gives_Buttigieg_and_Klobuchar_the_range_0_0784_to_0_1569_everywhere_it_shows()
    {
        var election = IowaElection.Shipped;
        var aggregate = new ResultsAggregate(election);
        var result = PrecinctResult.Compute(election, election.FindPrecinct("adair/1nw-adair")!, AdairNorthwest());
        aggregate.Apply(result);

        var precinct = aggregate.PrecinctSdeRanges(result);
        foreach (var totals in new[] { aggregate.Statewide(), aggregate.County("Adair")! })
        {
            Assert.Equal(1, totals.PendingTieBreaks);
            foreach (var name in new[] { "Buttigieg", "Klobuchar" })
            {
                var c = totals.Candidates.Single(c => c.Name == name);
                Assert.Equal("0.0784", c.SdeLow.ToDecimalString(4));
                Assert.Equal("0.1569", c.SdeHigh.ToDecimalString(4));
                Assert.Equal("0.0784 – 0.1569", precinct[name].Display);
            }
            var sanders = totals.Candidates.Single(c => c.Name == "Sanders");
            Assert.True(sanders.SdeRange.IsExact);
            Assert.Equal("0.1569", sanders.SdeRange.Display);
        }
        // Provisionally the alphabetically first group wins the toss (README): Buttigieg keeps 2.
        Assert.Equal(new Rational(8, 51), aggregate.Statewide().Candidates.Single(c => c.Name == "Buttigieg").Sde);
    }

    [Fact]
    public void Adair_1NW_shows_both_outcomes_of_its_toss_on_its_page()
    {
        var election = IowaElection.Shipped;
        var aggregate = new ResultsAggregate(election);
        var result = PrecinctResult.Compute(election, election.FindPrecinct("adair/1nw-adair")!, AdairNorthwest());
        var outcomes = aggregate.PrecinctOutcomes(result);
        Assert.Equal(2, outcomes.Length);
        Assert.All(outcomes, o => Assert.Equal(AllocationStatus.TieBroken, o.Allocation.Status));
        Assert.Equal(["Buttigieg", "Klobuchar"], outcomes.Select(o => o.TieBreaks.Single().Winners.Single()).Order());
        var klobucharWins = outcomes.Single(o => o.TieBreaks.Single().Winners.Single() == "Klobuchar");
        Assert.Equal("0.0784", klobucharWins.Sdes["Buttigieg"].ToDecimalString(4));
        Assert.Equal("0.1569", klobucharWins.Sdes["Klobuchar"].ToDecimalString(4));
    }

    [Fact]
    public void Adair_1NW_with_its_toss_recorded_collapses_every_range_to_its_value()
    {
        var election = IowaElection.Shipped;
        var aggregate = new ResultsAggregate(election);
        var tally = AdairNorthwest().WithTieBreaks([TieBreak.Of(["Buttigieg", "Klobuchar"], ["Klobuchar"])]);
        var result = PrecinctResult.Compute(election, election.FindPrecinct("adair/1nw-adair")!, tally);
        aggregate.Apply(result);
        foreach (var c in aggregate.Statewide().Candidates.Concat(aggregate.County("Adair")!.Candidates))
        {
            Assert.Equal(c.Sde, c.SdeLow);
            Assert.Equal(c.Sde, c.SdeHigh);
        }
        Assert.Equal("0.1569", aggregate.Statewide().Candidates.Single(c => c.Name == "Klobuchar").SdeRange.Display);
        Assert.All(aggregate.PrecinctSdeRanges(result).Values, r => Assert.True(r.IsExact));
        Assert.Single(aggregate.PrecinctOutcomes(result));
    }

    private sealed record World(Election Election, GeneratedPrecinct[] Reports)
    {
        public override string ToString() => string.Join(" | ", Election.Precincts.Select((p, i) => $"{p.Id}: {Reports[i]}"));
    }

    /// <summary>A county and a satellite county with few, small precincts: small attendances make ties common.</summary>
    private static readonly Gen<World> Worlds =
        Gen.Select(Gen.Int[1, 12].Array[1, 4], Gen.Int[1, 12].Array[1, 3], Gen.Int[1, 30], Gen.Int[1, 10]).SelectMany(t =>
        {
            var (north, sat, sdNorth, sdSat) = t;
            var precincts = north.Select((d, i) => new Precinct($"north/{i}", "North", $"N{i}", d, PrecinctKind.Precinct))
                .Concat(sat.Select((d, i) => new Precinct($"sat/{i}", "Sat", $"T{i}", d, PrecinctKind.Satellite))).ToArray();
            var election = new Election("synthetic", "Synthetic", new Iowa2020RuleSet(), PrecinctGenerators.Names,
                [new County("North", "CD1", north.Sum(), sdNorth, false), new County("Sat", "CD1", sat.Sum(), sdSat, true)], precincts);
            var smallShape = PrecinctGenerators.Shape.Where(s => s.Attendees <= 40);
            return smallShape.Array[precincts.Length].Select(shapes =>
                new World(election, [.. precincts.Select((p, i) => PrecinctGenerators.Realign(p.Delegates, shapes[i]))]));
        });

    [Fact]
    public void Statewide_and_county_ranges_are_the_exact_lowest_and_highest_over_every_combination_of_outcomes()
    {
        var pendingSeen = 0;
        Worlds.Sample(w =>
        {
            var rules = w.Election.RuleSet;
            var aggregate = new ResultsAggregate(w.Election);
            var results = w.Election.Precincts.Select((p, i) => PrecinctResult.Compute(w.Election, p, w.Reports[i].ToTally())).ToArray();
            foreach (var r in results) aggregate.Apply(r);
            var perPrecinct = results.Select(r => TossOutcomes.Enumerate(rules, r.Precinct.Delegates, r.Tally)).ToArray();
            if (perPrecinct.Any(o => o.Length > 1)) Interlocked.Increment(ref pendingSeen);

            // Brute force: every combination of every precinct's outcomes, totalled by a fresh aggregate.
            var statewide = aggregate.Statewide();
            var lows = statewide.Candidates.Select(_ => (Rational?)null).ToArray();
            var highs = statewide.Candidates.Select(_ => (Rational?)null).ToArray();
            foreach (var combination in Combinations(perPrecinct))
            {
                var settled = new ResultsAggregate(w.Election);
                for (var i = 0; i < results.Length; i++)
                {
                    settled.Apply(PrecinctResult.Compute(w.Election, results[i].Precinct, results[i].Tally.WithTieBreaks(combination[i].TieBreaks)));
                }
                var totals = settled.Statewide();
                Assert.Equal(0, totals.PendingTieBreaks);
                for (var c = 0; c < totals.Candidates.Length; c++)
                {
                    var sde = totals.Candidates[c].Sde;
                    if (lows[c] is null || sde < lows[c]) lows[c] = sde;
                    if (highs[c] is null || sde > highs[c]) highs[c] = sde;
                }
            }
            for (var c = 0; c < statewide.Candidates.Length; c++)
            {
                Assert.Equal(lows[c], statewide.Candidates[c].SdeLow);
                Assert.Equal(highs[c], statewide.Candidates[c].SdeHigh);
            }
        }, iter: 1_000, threads: 1);
        Assert.True(pendingSeen > 50, $"only {pendingSeen} worlds had a pending toss: the test proves little");
    }

    [Fact]
    public void Low_is_at_most_the_provisional_value_and_high_at_least_and_all_three_agree_when_nothing_is_pending()
    {
        int pending = 0, settled = 0;
        Worlds.Sample(w =>
        {
            var aggregate = new ResultsAggregate(w.Election);
            var results = w.Election.Precincts.Select((p, i) => PrecinctResult.Compute(w.Election, p, w.Reports[i].ToTally())).ToArray();
            foreach (var r in results) aggregate.Apply(r);
            var anyPending = results.Any(r => r.Allocation.IsProvisional);
            Interlocked.Increment(ref anyPending ? ref pending : ref settled);
            var totals = new[] { aggregate.Statewide(), aggregate.Statewide(SatelliteWeighting.Delegates) }
                .Concat(w.Election.Counties.Select(c => aggregate.County(c.Name)!));
            foreach (var c in totals.SelectMany(t => t.Candidates))
            {
                Assert.True(c.SdeLow <= c.Sde && c.Sde <= c.SdeHigh, $"{c.Name}: {c.SdeLow} ≤ {c.Sde} ≤ {c.SdeHigh}");
                if (!anyPending) Assert.True(c.SdeRange.IsExact && c.SdeLow == c.Sde);
            }
            foreach (var r in results)
            {
                foreach (var (group, range) in aggregate.PrecinctSdeRanges(r))
                {
                    Assert.True(range.Low <= range.Value && range.Value <= range.High);
                    if (!r.Allocation.IsProvisional) Assert.True(range.IsExact);
                }
            }
        }, iter: 2_000);
        Assert.True(pending > 0 && settled > 0, $"pending {pending}, settled {settled}: the generator must reach both");
    }

    [Fact]
    public void Ranges_do_not_depend_on_the_order_reports_arrive_in_or_on_corrections_in_between()
    {
        Gen.Select(Worlds, Gen.Int.Array[12]).Sample((w, keys) =>
        {
            var results = w.Election.Precincts.Select((p, i) => PrecinctResult.Compute(w.Election, p, w.Reports[i].ToTally())).ToArray();
            var inOrder = new ResultsAggregate(w.Election);
            foreach (var r in results) inOrder.Apply(r);
            var shuffled = new ResultsAggregate(w.Election);
            // A settled draft first, then the report itself: the draft's range must be taken out exactly.
            foreach (var r in results.Select((r, i) => (r, keys[i % keys.Length] ^ i)).OrderBy(x => x.Item2).Select(x => x.r))
            {
                shuffled.Apply(PrecinctResult.Compute(w.Election, r.Precinct, Tallies.Same(1, ("Biden", 1))));
                shuffled.Apply(r);
            }
            Assert.Equal(Ranges(inOrder.Statewide()), Ranges(shuffled.Statewide()));
            foreach (var c in w.Election.Counties) Assert.Equal(Ranges(inOrder.County(c.Name)!), Ranges(shuffled.County(c.Name)!));
            foreach (var p in w.Election.Precincts) shuffled.Remove(p.Id);
            Assert.All(shuffled.Statewide().Candidates, c => Assert.True(c.SdeLow.IsZero && c.SdeHigh.IsZero));
        }, iter: 500);

        static string Ranges(ResultsTotals t) => string.Join(" ", t.Candidates.Select(c => $"{c.Name}:{c.SdeLow}/{c.Sde}/{c.SdeHigh}"));
    }

    private static IEnumerable<TossOutcome[]> Combinations(IReadOnlyList<System.Collections.Immutable.ImmutableArray<TossOutcome>> perPrecinct)
    {
        IEnumerable<TossOutcome[]> all = [[]];
        foreach (var outcomes in perPrecinct)
        {
            all = all.SelectMany(prefix => outcomes.Select(o => (TossOutcome[])[.. prefix, o]));
        }
        return all;
    }
}
