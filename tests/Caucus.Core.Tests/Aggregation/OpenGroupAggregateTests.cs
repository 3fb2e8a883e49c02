using Caucus.Core.Aggregation;
using Caucus.Core.Model;
using Caucus.Core.Rules.WalkingSubcaucus;
using CsCheck;

namespace Caucus.Core.Tests.Aggregation;

/// <summary>
/// Where groups are open (a walking subcaucus), the totals carry every group a counted report names, names that differ
/// only by case and spacing are one group shown in the spelling most precincts use, and headquarters' merges of
/// spellings regroup the totals without touching any precinct's own result.
/// </summary>
public class OpenGroupAggregateTests
{
    private static readonly Precinct[] Precincts =
        [.. Enumerable.Range(0, 6).Select(i => new Precinct($"hennepin/p-{i}", "Hennepin", $"P-{i}", 4 + i, PrecinctKind.Precinct))];

    private static readonly Election Minnesota = new("mn", "Made-up SD", new WalkingSubcaucusRuleSet(), ["Climate Action", "Peace"],
        [new County("Hennepin", "SD 99", Precincts.Sum(p => p.Delegates), Precincts.Sum(p => p.Delegates), false)], Precincts);

    private static PrecinctResult Result(int precinct, params (string Name, int Members)[] final)
    {
        var counts = final.Select(f => KeyValuePair.Create(f.Name, f.Members)).ToList();
        return PrecinctResult.Compute(Minnesota, Precincts[precinct], Tally.Create(final.Sum(f => f.Members), counts, counts));
    }

    private static CandidateTotals Group(ResultsTotals totals, string name) => totals.Candidates.Single(c => c.Name == name);

    [Fact]
    public void A_group_named_on_the_night_is_in_the_totals_beside_the_suggested_names()
    {
        var aggregate = new ResultsAggregate(Minnesota);
        aggregate.Apply(Result(0, ("Tenants United", 12), ("Climate Action", 8)));
        var totals = aggregate.Statewide();
        Assert.Equal(["Climate Action", "Peace", "Tenants United"], totals.Candidates.Select(c => c.Name).Order(StringComparer.Ordinal));
        Assert.Equal(12, Group(totals, "Tenants United").FinalAlignment);
        Assert.Equal(4, Group(totals, "Tenants United").CountyDelegates + Group(totals, "Climate Action").CountyDelegates);
    }

    [Fact]
    public void Spellings_differing_by_case_and_spacing_are_one_group_shown_as_most_precincts_spell_it()
    {
        var aggregate = new ResultsAggregate(Minnesota);
        aggregate.Apply(Result(0, ("tenants united", 10)));
        aggregate.Apply(Result(1, ("Tenants United", 10)));
        aggregate.Apply(Result(2, ("Tenants United", 10)));
        var tenants = Assert.Single(aggregate.Statewide().Candidates, c => c.Name.Equals("Tenants United", StringComparison.OrdinalIgnoreCase));
        Assert.Equal("Tenants United", tenants.Name);
        Assert.Equal(30, tenants.FinalAlignment);
        // The precincts' own results keep the spelling their captains gave.
        Assert.Equal(4, aggregate.Find("hennepin/p-0")!.Allocation.DelegatesOf("tenants united"));
    }

    [Fact]
    public void A_merge_adds_one_spelling_under_another_and_an_unmerge_undoes_it()
    {
        var aggregate = new ResultsAggregate(Minnesota);
        aggregate.Apply(Result(0, ("Climate Action", 10)));
        aggregate.Apply(Result(1, ("Climate Action Now", 10)));
        aggregate.Regroup(aggregate.Merges.Merge("Climate Action Now", "Climate Action")!);
        var merged = aggregate.Statewide();
        Assert.Equal(20, Group(merged, "Climate Action").FinalAlignment);
        Assert.DoesNotContain(merged.Candidates, c => c.Name == "Climate Action Now");
        // A later report of the merged spelling adds up under it too.
        aggregate.Apply(Result(2, ("climate action now", 6)));
        Assert.Equal(26, Group(aggregate.Statewide(), "Climate Action").FinalAlignment);

        aggregate.Regroup(aggregate.Merges.Unmerge("Climate Action Now")!);
        Assert.Equal(10, Group(aggregate.Statewide(), "Climate Action").FinalAlignment);
        Assert.Equal(16, aggregate.Statewide().Candidates.Single(c => c.Name.StartsWith("Climate Action N", StringComparison.OrdinalIgnoreCase)).FinalAlignment);
    }

    [Fact]
    public void A_merge_that_would_make_a_cycle_or_merge_a_group_into_itself_is_refused()
    {
        var merges = GroupMerges.None.Merge("A", "B")!;
        Assert.Null(merges.Merge("B", "A"));
        Assert.Null(merges.Merge("a ", "b"));
        Assert.Null(GroupMerges.None.Merge("Peace", " peace"));
        Assert.Null(GroupMerges.None.Unmerge("Peace"));
        // Replayed in commit order, an action that no longer applies changes nothing.
        var replayed = GroupMerges.Replay([("A", "B"), ("B", "A"), ("C", "B"), ("C", null)]);
        Assert.Equal("B", replayed.Resolve("A"));
        Assert.Equal("C", replayed.Resolve("C"));
    }

    private static readonly string[] Spellings = ["Red", "red", " RED ", "Blue", "Blue  Wave", "blue wave", "Green", "Peace"];

    private static readonly Gen<(int Members, int Spelling)[][]> Nights =
        Gen.Select(Gen.Int[1, 30], Gen.Int[0, Spellings.Length - 1]).Array[1, 4].Array[Precincts.Length];

    // The law: each group's total is the sum, over precincts, of what the precinct's own result gives every spelling the
    // group holds (after the merges), whatever the order reports and merges arrive in.
    [Fact]
    public void Each_groups_total_is_the_sum_of_its_spellings_in_every_precinct_whatever_the_order()
    {
        Gen.Select(Nights, Gen.Bool, Gen.Int[0, 1000]).Sample((night, merge, seed) =>
        {
            var results = night.Select((groups, i) => Result(i, [.. groups
                .GroupBy(g => GroupName.Key(Spellings[g.Spelling])).Select(g => (Spellings[g.First().Spelling], g.Sum(x => x.Members)))]))
                .ToList();
            var merges = merge ? GroupMerges.None.Merge("Blue Wave", "Blue")! : GroupMerges.None;
            var aggregate = new ResultsAggregate(Minnesota);
            var order = results.OrderBy(r => (r.Precinct.Id.GetHashCode(StringComparison.Ordinal) ^ seed) & 0xff).ToList();
            for (var i = 0; i < order.Count; i++)
            {
                if (merge && i == order.Count / 2) aggregate.Regroup(merges);
                aggregate.Apply(order[i]);
            }
            if (merge && order.Count < 2) aggregate.Regroup(merges);
            // The first result was counted when fewer columns stood: removing and counting it again must subtract what it added.
            aggregate.Remove(order[0].Precinct.Id);
            aggregate.Apply(order[^1]);
            aggregate.Apply(order[0]);

            var expected = results.SelectMany(r => r.Allocation.Groups.Select(g => (Key: merges.Resolve(GroupName.Key(g.Group)), g.Delegates, Final: r.Tally.FinalOf(g.Group))))
                .GroupBy(x => x.Key).ToDictionary(g => g.Key, g => (Delegates: g.Sum(x => x.Delegates), Final: g.Sum(x => x.Final)));
            var totals = aggregate.Statewide().Candidates.Where(c => c.FinalAlignment > 0)
                .ToDictionary(c => merges.Resolve(GroupName.Key(c.Name)), c => (Delegates: (int)c.CountyDelegates, Final: (int)c.FinalAlignment));
            Assert.Equal(expected.OrderBy(e => e.Key, StringComparer.Ordinal), totals.OrderBy(e => e.Key, StringComparer.Ordinal));
        });
    }
}
