using System.Collections.Concurrent;
using Caucus.Core.Allocation;
using Caucus.Core.Model;
using Caucus.Core.Rules.Nevada2020;
using Caucus.Core.Validation;
using Caucus.Core.Verification;
using CsCheck;

namespace Caucus.Core.Tests.Rules.Nevada2020;

/// <summary>Invariants of the Nevada rules over generated precincts; each test proves the generator reached its cases.</summary>
public class NevadaPropertyTests
{
    private static readonly Nevada2020RuleSet Rules = new();
    private static readonly string[] Names = ["Bennet", "Biden", "Buttigieg", "Klobuchar", "Sanders", "Steyer", "Warren"];

    /// <summary>D, then a first alignment (N is its total) and a final one no larger per group: people only leave or stay.</summary>
    internal static readonly Gen<(int Delegates, Tally Tally)> Precinct =
        from d in Gen.Frequency((3, Gen.Int[1, 3]), (5, Gen.Int[4, 12]), (1, Gen.Int[13, 60]))
        from k in Gen.Int[1, Names.Length]
        from first in Gen.Int[0, 40].Array[k]
        from kept in Gen.Int[0, 100].Array[k]
        let final = first.Select((f, i) => kept[i] >= 30 ? f : f * kept[i] / 30).ToArray()
        select (d, Tally.Create(first.Sum(),
            first.Select((f, i) => KeyValuePair.Create(Names[i], f)), final.Select((f, i) => KeyValuePair.Create(Names[i], f))));

    /// <summary>Any non-negative counts at all, final above N included.</summary>
    private static readonly Gen<(int Delegates, Tally Tally)> AnyTally =
        from d in Gen.Int[0, 200]
        from scale in Gen.OneOfConst(20, 3_000)
        from n in Gen.Int[0, scale * 2]
        from k in Gen.Int[0, Names.Length]
        from first in Gen.Int[0, scale].Array[k]
        from final in Gen.Int[0, scale].Array[k]
        select (d, Tally.Create(n, first.Select((f, i) => KeyValuePair.Create(Names[i], f)),
            final.Select((f, i) => KeyValuePair.Create(Names[i], f))));

    private static void Covered(ConcurrentDictionary<string, int> seen, params string[] cases)
    {
        var missing = cases.Where(c => !seen.ContainsKey(c)).ToArray();
        Assert.True(missing.Length == 0, $"The generator never reached: {string.Join(", ", missing)}; this test proves nothing for them.");
    }

    [Fact]
    public void Every_tally_gets_an_allocation_and_every_tie_outcome_settles_it()
    {
        var seen = new ConcurrentDictionary<string, int>();
        AnyTally.Sample(p =>
        {
            var a = Rules.Allocate(p.Delegates, p.Tally);
            seen.AddOrUpdate(a.HasWarning(WarningCode.DelegatesUnbalanced) ? "unbalanced" : a.Status.ToString(), 1, (_, n) => n + 1);
            if (a.Tie is { } tie)
            {
                foreach (var outcome in ConsistencyCheck.Outcomes(tie))
                    Assert.Equal(AllocationStatus.TieBroken, Rules.Allocate(p.Delegates, p.Tally.WithTieBreaks([outcome])).Status);
            }
        }, iter: 3_000);
        Covered(seen, "Decided", "PendingTieBreak", "unbalanced");
    }

    [Fact]
    public void Only_viable_groups_get_delegates_and_every_viable_group_gets_one()
    {
        var seen = new ConcurrentDictionary<string, int>();
        Precinct.Sample(p =>
        {
            var a = Rules.Allocate(p.Delegates, p.Tally);
            foreach (var g in a.Groups)
            {
                Assert.Equal(g.Viable, g.Final > 0 && g.Final >= a.ViabilityThreshold);
                if (!g.Viable) Assert.Equal(0, g.Delegates);
                else if (p.Delegates > 1) Assert.True(g.Delegates >= 1, $"{g.Group} is viable with no delegate");
            }
            if (a.Groups.Any(g => g is { Viable: false, Final: > 0 })) seen.TryAdd("non-viable group in final", 1);
        }, iter: 5_000);
        Covered(seen, "non-viable group in final");
    }

    /// <summary>
    /// The total is D, or more than D only when every group that holds a delegate holds just one (Principle 2: the
    /// excess is only-delegates no one may take), or less when no group is viable. Under every card-draw outcome.
    /// </summary>
    [Fact]
    public void A_precinct_awards_D_unless_only_delegates_force_more()
    {
        var seen = new ConcurrentDictionary<string, int>();
        Precinct.Sample(p =>
        {
            foreach (var a in Caucus.Core.Ranges.TossOutcomes.Enumerate(Rules, p.Delegates, p.Tally).Select(o => o.Allocation))
            {
                var viable = a.Groups.Count(g => g.Viable);
                if (viable == 0) { Assert.Equal(0, a.TotalDelegates); continue; }
                if (a.TotalDelegates > p.Delegates)
                {
                    Assert.All(a.Groups.Where(g => g.Delegates > 0), g => Assert.Equal(1, g.Delegates));
                    seen.TryAdd("more than D", 1);
                }
                else
                {
                    Assert.Equal(p.Delegates, a.TotalDelegates);
                    seen.TryAdd(a.Status.ToString(), 1);
                }
            }
        }, iter: 5_000);
        Covered(seen, "more than D", "Decided", "TieBroken");
    }

    /// <summary>
    /// Monotone within a precinct: a group with more final supporters never gets fewer delegates than one with fewer.
    /// The rules imply it (a larger R rounds no lower and is nearer its next whole number at the same count), except
    /// where the two are equal to four decimals, which is a card draw: those pairs are skipped.
    /// </summary>
    [Fact]
    public void A_larger_group_never_gets_fewer_delegates_than_a_smaller_one()
    {
        var seen = new ConcurrentDictionary<string, int>();
        Precinct.Sample(p =>
        {
            var a = Rules.Allocate(p.Delegates, p.Tally);
            if (a.IsProvisional) return;
            var viable = a.Groups.Where(g => g.Viable).ToList();
            foreach (var x in viable)
            foreach (var y in viable.Where(y => y.Final < x.Final))
            {
                Assert.True(x.Delegates >= y.Delegates, $"{x.Group} ({x.Final}) has {x.Delegates}, {y.Group} ({y.Final}) has {y.Delegates}, D = {p.Delegates}");
                seen.TryAdd(x.Delegates > y.Delegates ? "larger got more" : "larger got the same", 1);
            }
        }, iter: 5_000);
        Covered(seen, "larger got more", "larger got the same");
    }

    [Fact]
    public void The_order_of_the_groups_never_matters()
    {
        Precinct.Sample(p =>
        {
            var reversed = Tally.Create(p.Tally.Attendees, p.Tally.First.Reverse(), p.Tally.Final.Reverse());
            Assert.Equal(Rules.Allocate(p.Delegates, p.Tally), Rules.Allocate(p.Delegates, reversed));
        }, iter: 1_000);
    }
}
