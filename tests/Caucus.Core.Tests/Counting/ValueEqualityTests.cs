using System.Collections.Immutable;
using Caucus.Core.Allocation;
using Caucus.Core.Model;
using Caucus.Core.Rules.Iowa2020;
using Caucus.Core.Rules;
using Caucus.Core.Validation;
using Caucus.Core.Verification;
using CsCheck;

namespace Caucus.Core.Tests.Counting;

/// <summary>
/// Tally and PrecinctAllocation are values: reflexive, symmetric, hash-consistent, with == and != agreeing,
/// and groups with nothing in them do not count ({"Biden":0} is {}).
/// </summary>
public class ValueEqualityTests
{
    private static readonly Iowa2020RuleSet Rules = new();

    private static Tally Create(int attendees, (string, int)[] first, (string, int)[] final,
        (string, int)[]? reported = null, TieBreak[]? tieBreaks = null) =>
        Tally.Create(attendees, first.Select(Pair), final.Select(Pair), reported?.Select(Pair), tieBreaks);

    private static KeyValuePair<string, int> Pair((string Group, int Count) x) => KeyValuePair.Create(x.Group, x.Count);

    private static readonly TieBreak KlobucharWins = TieBreak.Of(["Buttigieg", "Klobuchar"], ["Klobuchar"]);

    /// <summary>A tally with every part set: attendance, both alignments, reported delegates and a tie-break.</summary>
    private static Tally Full() =>
        Create(20, [("Biden", 12), ("Sanders", 8)], [("Biden", 12), ("Sanders", 8)], [("Biden", 2), ("Sanders", 2)], [KlobucharWins]);

    [Fact]
    public void A_zero_entry_and_an_absent_group_are_the_same_count_in_every_part_of_a_tally()
    {
        EqualityAssert.Equal(Create(10, [("Biden", 0), ("Sanders", 10)], [("Sanders", 10)]),
            Create(10, [("Sanders", 10)], [("Biden", 0), ("Sanders", 10), ("Warren", 0)]));
        EqualityAssert.Equal(Create(10, [], [], [("Biden", 0)]), Create(10, [], [], []));
        EqualityAssert.Equal(Create(10, [("Biden", 0)], []), Create(10, [], []));
    }

    [Fact]
    public void A_tally_without_tie_breaks_equals_one_with_an_empty_list_of_them()
    {
        var unset = new Tally(10, ImmutableSortedDictionary<string, int>.Empty, ImmutableSortedDictionary<string, int>.Empty);
        Assert.True(unset.TieBreaks.IsDefault);
        EqualityAssert.Equal(unset, Create(10, [], [], tieBreaks: []));
    }

    [Fact]
    public void Two_tallies_built_from_the_same_numbers_are_equal()
    {
        EqualityAssert.Equal(Full(), Full());
        EqualityAssert.Equal(TinyElection.AdairNorthwestSettled(), TinyElection.AdairNorthwestSettled());
    }

    [Theory]
    [InlineData("attendees")]
    [InlineData("a first-alignment count")]
    [InlineData("a final-alignment count")]
    [InlineData("a group present only in first alignment instead of only in final")]
    [InlineData("a zero entry made one")]
    [InlineData("reported delegates")]
    [InlineData("reported delegates absent instead of empty")]
    [InlineData("reported delegates absent")]
    [InlineData("the tie-break winner")]
    [InlineData("the tie-break absent")]
    [InlineData("a second tie-break")]
    public void Tallies_that_differ_in_one_part_are_unequal(string part)
    {
        var (a, b) = part switch
        {
            "attendees" => (Full(), Full().WithAttendees(21)),
            "a first-alignment count" => (Full(), Full() with { First = Full().First.SetItem("Sanders", 7) }),
            "a final-alignment count" => (Full(), Full() with { Final = Full().Final.SetItem("Sanders", 7) }),
            "a group present only in first alignment instead of only in final" => (Create(20, [("Yang", 1)], []), Create(20, [], [("Yang", 1)])),
            "a zero entry made one" => (Create(20, [], [("Warren", 0)]), Create(20, [], [("Warren", 1)])),
            "reported delegates" => (Full(), Full() with { ReportedDelegates = Tallies.Delegates(("Biden", 3), ("Sanders", 1)) }),
            // "Reported none" is not "reported nothing".
            "reported delegates absent instead of empty" =>
                (Full() with { ReportedDelegates = null }, Full() with { ReportedDelegates = ImmutableSortedDictionary<string, int>.Empty }),
            "reported delegates absent" => (Full(), Full() with { ReportedDelegates = null }),
            "the tie-break winner" => (Full(), Full().WithTieBreaks([TieBreak.Of(["Buttigieg", "Klobuchar"], ["Buttigieg"])])),
            "the tie-break absent" => (Full(), Full().WithTieBreaks([])),
            "a second tie-break" => (Full(), Full().WithTieBreaks([KlobucharWins, TieBreak.Of(["Sanders", "Warren"], ["Warren"])])),
            _ => throw new ArgumentOutOfRangeException(nameof(part)),
        };
        EqualityAssert.Unequal(a, b);
    }

    [Fact]
    public void Allocating_a_tally_with_empty_groups_gives_an_allocation_equal_to_one_without_them()
    {
        var withEmpty = TinyElection.AdairNorthwest() is var t ? t with { First = t.First.Add("Yang", 0), Final = t.Final.Add("Yang", 0) } : null!;
        var plain = Rules.Allocate(8, TinyElection.AdairNorthwest());
        var padded = Rules.Allocate(8, withEmpty);
        Assert.NotEqual(plain.Groups.Length, padded.Groups.Length);
        EqualityAssert.Equal(plain, padded);
    }

    [Fact]
    public void Allocating_the_same_tally_twice_gives_equal_allocations()
    {
        var once = Rules.Allocate(8, TinyElection.AdairNorthwestSettled());
        var twice = Rules.Allocate(8, TinyElection.AdairNorthwestSettled());
        Assert.NotSame(once, twice);
        EqualityAssert.Equal(once, twice);
    }

    [Fact]
    public void Allocations_differing_only_in_the_outcome_of_a_toss_or_whether_it_is_recorded_are_unequal()
    {
        var pending = Rules.Allocate(8, TinyElection.AdairNorthwest());
        var klobuchar = Rules.Allocate(8, TinyElection.AdairNorthwestSettled());
        var buttigieg = Rules.Allocate(8, TinyElection.AdairNorthwest().WithTieBreaks([TieBreak.Of(["Buttigieg", "Klobuchar"], ["Buttigieg"])]));
        EqualityAssert.Unequal(pending, klobuchar);
        EqualityAssert.Unequal(pending, buttigieg);
        EqualityAssert.Unequal(klobuchar, buttigieg);
    }

    [Theory]
    [InlineData("delegates")]
    [InlineData("attendees")]
    [InlineData("viability threshold")]
    [InlineData("a delegate moved between groups")]
    [InlineData("a group with members but no delegate dropped")]
    [InlineData("status")]
    [InlineData("tie")]
    [InlineData("applied tie-break")]
    [InlineData("warnings")]
    public void Allocations_that_differ_in_one_part_are_unequal(string part)
    {
        // Adair 1NW with Klobuchar's toss, plus a Yang supporter in first alignment who left (a group with a member, no delegate).
        var tally = TinyElection.AdairNorthwestSettled();
        var a = Rules.Allocate(8, tally with { First = tally.First.Add("Yang", 1) });
        Assert.Contains(a.Groups, g => g is { Group: "Yang", First: 1, Delegates: 0 });
        Assert.Equal(AllocationStatus.TieBroken, a.Status);
        Assert.NotNull(a.Tie);
        var b = part switch
        {
            "delegates" => a with { Delegates = 9 },
            "attendees" => a with { Attendees = 41 },
            "viability threshold" => a with { ViabilityThreshold = a.ViabilityThreshold + 1 },
            "a delegate moved between groups" => a with
            {
                Groups = [.. a.Groups.Select(g => g.Group switch
                {
                    "Biden" => g with { Delegates = g.Delegates + 1 },
                    "Buttigieg" => g with { Delegates = g.Delegates - 1 },
                    _ => g,
                })],
            },
            "a group with members but no delegate dropped" => a with { Groups = [.. a.Groups.Where(g => g.Group != "Yang")] },
            "status" => a with { Status = AllocationStatus.Decided },
            "tie" => a with { Tie = null },
            "applied tie-break" => a with { AppliedTieBreak = null },
            "warnings" => a with { Warnings = a.Warnings.Add(new ReportWarning(WarningCode.NoAttendees, "test")) },
            _ => throw new ArgumentOutOfRangeException(nameof(part)),
        };
        EqualityAssert.Unequal(a, b);
    }

    private sealed record EqualityCase(GeneratedPrecinct Precinct, Tally Tally, int Mutation, int Group, int PadA, int PadB)
    {
        public override string ToString() => $"{Precinct} tally={Describe(Tally)} mutation={Mutation} group={Group} pad={PadA:x}/{PadB:x}";
    }

    private static string Describe(Tally t) =>
        $"A={t.Attendees} first=[{string.Join(",", t.First)}] final=[{string.Join(",", t.Final)}] " +
        $"reported={(t.ReportedDelegates is null ? "null" : $"[{string.Join(",", t.ReportedDelegates)}]")} ties={t.TieBreaksOrEmpty.Length}";

    /// <summary>A well-formed precinct's tally, sometimes with the delegates reported and a pending toss recorded.</summary>
    private static readonly Gen<EqualityCase> Cases =
        Gen.Select(PrecinctGenerators.Precinct, Gen.Bool, Gen.Bool, Gen.Int[0, 4], Gen.Int[0, 7], Gen.Int[0, 255], Gen.Int[0, 255],
            (p, report, settle, mutation, group, padA, padB) =>
            {
                var tally = p.ToTally();
                var allocation = Rules.Allocate(p.Delegates, tally);
                if (settle && allocation.Tie is { } tie) tally = tally.WithTieBreaks([ConsistencyCheck.Outcomes(tie).Last()]);
                if (report) tally = tally with { ReportedDelegates = allocation.DelegatesByGroup };
                return new EqualityCase(p, tally, mutation, group, padA, padB);
            });

    /// <summary>Zero entries for the groups in <paramref name="mask"/> wherever they are absent (first, final and reported delegates).</summary>
    private static Tally Pad(Tally t, int mask)
    {
        var names = PrecinctGenerators.Names.Where((_, i) => (mask & (1 << i)) != 0).ToArray();
        ImmutableSortedDictionary<string, int> With(ImmutableSortedDictionary<string, int> d) =>
            names.Aggregate(d, (x, n) => x.ContainsKey(n) ? x : x.Add(n, 0));
        return t with { First = With(t.First), Final = With(t.Final), ReportedDelegates = t.ReportedDelegates is { } r ? With(r) : null };
    }

    private static Tally Strip(Tally t)
    {
        static ImmutableSortedDictionary<string, int> Without(ImmutableSortedDictionary<string, int> d) => d.RemoveRange(d.Where(x => x.Value == 0).Select(x => x.Key));
        return t with { First = Without(t.First), Final = Without(t.Final), ReportedDelegates = t.ReportedDelegates is { } r ? Without(r) : null };
    }

    private static Tally Mutate(Tally t, int mutation, string group) => mutation switch
    {
        0 => t,
        1 => t.WithAttendees(t.Attendees + 1),
        2 => t with { First = t.First.SetItem(group, t.FirstOf(group) + 1) },
        3 => t with { Final = t.Final.SetItem(group, t.FinalOf(group) + 1) },
        _ => t with { ReportedDelegates = t.ReportedDelegates is null ? ImmutableSortedDictionary<string, int>.Empty : null },
    };

    [Fact]
    public void Adding_zero_entries_to_a_tally_never_changes_its_equality_its_hash_or_its_allocation()
    {
        int same = 0, different = 0, padded = 0, stripped = 0, settled = 0, reported = 0;
        Cases.Sample(c =>
        {
            var d = c.Precinct.Delegates;
            var other = Mutate(c.Tally, c.Mutation, PrecinctGenerators.Names[c.Group]);
            Tally a = Pad(c.Tally, c.PadA), b = Pad(other, c.PadB), bare = Strip(c.Tally);
            if (a.First.Count + a.Final.Count > c.Tally.First.Count + c.Tally.Final.Count) Interlocked.Increment(ref padded);
            if (bare.First.Count + bare.Final.Count < c.Tally.First.Count + c.Tally.Final.Count) Interlocked.Increment(ref stripped);
            if (!c.Tally.TieBreaksOrEmpty.IsEmpty) Interlocked.Increment(ref settled);
            if (c.Tally.ReportedDelegates is not null) Interlocked.Increment(ref reported);

            EqualityAssert.Equal(c.Tally, a);
            EqualityAssert.Equal(bare, a);
            var allocation = Rules.Allocate(d, c.Tally);
            EqualityAssert.Equal(allocation, Rules.Allocate(d, c.Tally));
            EqualityAssert.Equal(allocation, Rules.Allocate(d, a));
            EqualityAssert.Equal(allocation, Rules.Allocate(d, bare));

            if (c.Mutation == 0)
            {
                Interlocked.Increment(ref same);
                EqualityAssert.Equal(a, b);
                EqualityAssert.Equal(Rules.Allocate(d, a), Rules.Allocate(d, b));
            }
            else
            {
                Interlocked.Increment(ref different);
                EqualityAssert.Unequal(a, b);
                // Attendance and the alignments are part of an allocation; reported delegates only through its warnings.
                if (c.Mutation <= 3) EqualityAssert.Unequal(Rules.Allocate(d, a), Rules.Allocate(d, b));
            }
        }, iter: 1_000);
        // The generator must reach both sides, or this test proves nothing.
        Assert.True(same > 0 && different > 0, $"equal pairs {same}, unequal pairs {different}");
        Assert.True(padded > 0 && stripped > 0, $"padded {padded}, had zero entries to strip {stripped}");
        Assert.True(settled > 0 && reported > 0, $"with a recorded toss {settled}, with reported delegates {reported}");
    }
}
