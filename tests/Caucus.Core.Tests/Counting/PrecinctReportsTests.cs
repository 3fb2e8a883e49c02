using Caucus.Core.Aggregation;
using Caucus.Core.Counting;
using Caucus.Core.Model;
using CsCheck;
using static Caucus.Core.Counting.ReportSource;

namespace Caucus.Core.Tests.Counting;

/// <summary>
/// Which report counts: "the most authoritative source's latest revision (official > chair > hotline > captain)",
/// whatever order the revisions arrive in.
/// </summary>
public class PrecinctReportsTests
{
    private static readonly CountingRules SingleEntry = new(DoubleEntry: false);

    private static readonly PrecinctResult Settled = TinyElection.Result(TinyElection.NorthWest, TinyElection.AdairNorthwestSettled());

    /// <summary>The same numbers as <see cref="Settled"/> with empty groups written out.</summary>
    private static readonly PrecinctResult SettledWithEmptyGroups = TinyElection.Result(TinyElection.NorthWest,
        TinyElection.AdairNorthwestSettled() is var t ? t with { First = t.First.Add("Yang", 0), Final = t.Final.Add("Yang", 0) } : null!);

    /// <summary>Other numbers: Warren 7 in final alignment instead of 9.</summary>
    private static readonly PrecinctResult WarrenSeven = TinyElection.Result(TinyElection.NorthWest,
        TinyElection.AdairNorthwestSettled() is var u ? u with { Final = u.Final.SetItem("Warren", 7) } : null!);

    private static readonly PrecinctResult[] Variants = [Settled, SettledWithEmptyGroups, WarrenSeven];

    [Fact]
    public void Official_outranks_chair_outranks_hotline_outranks_captain_whichever_arrives_first()
    {
        SourceReport captain = TinyElection.Report(Captain, 1, Settled),
            hotline = TinyElection.Report(Hotline, 2, Settled), chair = TinyElection.Report(Chair, 3, Settled),
            official = TinyElection.Report(Official, 4, Settled);
        Assert.Same(official, TinyElection.Fold(SingleEntry, [official, chair, hotline, captain]).Counted);
        Assert.Same(official, TinyElection.Fold(SingleEntry, [captain, hotline, chair, official]).Counted);
        Assert.Same(chair, TinyElection.Fold(SingleEntry, [chair, hotline, captain]).Counted);
        Assert.Same(hotline, TinyElection.Fold(SingleEntry, [captain, hotline]).Counted);
        Assert.Same(captain, TinyElection.Fold(SingleEntry, [captain]).Counted);
        Assert.Null(PrecinctReports.Empty(SingleEntry).Counted);
    }

    [Fact]
    public void A_lower_source_revising_after_a_higher_one_is_kept_and_shown_but_does_not_count()
    {
        var chair = TinyElection.Report(Chair, 1, Settled);
        var captain = TinyElection.Report(Captain, 2, WarrenSeven);
        var reports = TinyElection.Fold(SingleEntry, [chair, captain]);
        Assert.Same(chair, reports.Counted);
        Assert.Same(captain, reports.Latest[Captain]);
        Assert.Equal(2, reports.LatestRevision);
    }

    [Fact]
    public void An_older_revision_of_a_source_arriving_after_a_newer_one_is_ignored()
    {
        var newer = TinyElection.Report(Chair, 3, Settled);
        var older = TinyElection.Report(Chair, 2, WarrenSeven);
        var reports = TinyElection.Fold(SingleEntry, [newer]);
        Assert.Same(reports, reports.With(older));
        Assert.Same(newer, reports.With(older).Counted);
        // In arrival order the older one is replaced.
        Assert.Same(newer, TinyElection.Fold(SingleEntry, [older, newer]).Counted);
    }

    [Fact]
    public void Sources_disagree_when_their_numbers_differ()
    {
        var reports = TinyElection.Fold(SingleEntry, [TinyElection.Report(Captain, 1, WarrenSeven), TinyElection.Report(Chair, 2, Settled)]);
        Assert.True(reports.SourcesDisagree);
    }

    [Fact]
    public void Sources_do_not_disagree_when_only_zero_entries_differ()
    {
        var reports = TinyElection.Fold(SingleEntry, [TinyElection.Report(Captain, 1, SettledWithEmptyGroups), TinyElection.Report(Chair, 2, Settled)]);
        Assert.False(reports.SourcesDisagree);
        Assert.True(PrecinctReports.SameNumbers(Settled, SettledWithEmptyGroups));
        Assert.False(PrecinctReports.SameNumbers(Settled, WarrenSeven));
    }

    [Fact]
    public void One_source_alone_never_disagrees_even_with_its_own_earlier_revision()
    {
        var reports = TinyElection.Fold(SingleEntry, [TinyElection.Report(Chair, 1, WarrenSeven), TinyElection.Report(Chair, 2, Settled)]);
        Assert.False(reports.SourcesDisagree);
    }

    private sealed record Arrival(ReportSource Source, int Operator, int Variant);

    private sealed record ReportSet(bool DoubleEntry, SourceReport[] Reports)
    {
        public override string ToString() =>
            $"doubleEntry={DoubleEntry} " + string.Join(" ", Reports.Select(r => $"{r.Source}#{r.Revision}/{r.Actor}/variant {Array.IndexOf(Variants, r.Result)}"));
    }

    private static readonly Gen<ReportSet> ReportSets =
        Gen.Select(Gen.Bool, Gen.Select(Gen.Enum<ReportSource>(), Gen.Int[0, 2], Gen.Int[0, 2], (s, o, v) => new Arrival(s, o, v)).Array[1, 5],
            (doubleEntry, arrivals) => new ReportSet(doubleEntry, [.. arrivals.Select((a, i) =>
                TinyElection.Report(a.Source, i + 1, Variants[a.Variant], a.Source == Hotline ? $"operator-{a.Operator}" : ""))]));

    /// <summary>
    /// The rule restated: each source's latest revision, the first present in order of authority; the hotline only
    /// once two operators have agreed, and then the numbers of the latest agreement (an entry matching another
    /// operator's latest entry made after the previous agreement), counted as the newest entry with those numbers.
    /// </summary>
    private static SourceReport? ExpectedCounted(SourceReport[] reports, bool doubleEntry)
    {
        foreach (var source in new[] { Official, Chair, Hotline, Captain })
        {
            var latest = reports.Where(r => r.Source == source).MaxBy(r => r.Revision);
            if (latest is null) continue;
            if (source != Hotline || !doubleEntry) return latest;
            Tally? agreed = null;
            var agreedAt = 0;
            var hotline = reports.Where(r => r.Source == Hotline).OrderBy(r => r.Revision).ToList();
            for (var i = 0; i < hotline.Count; i++)
            {
                var entry = hotline[i];
                if (agreed is not null && entry.Result.Tally.Equals(agreed)) continue;
                var othersLatest = hotline.Take(i).Where(r => r.Actor != entry.Actor).GroupBy(r => r.Actor).Select(g => g.MaxBy(r => r.Revision)!);
                if (othersLatest.Any(o => o.Revision > agreedAt && o.Result.Tally.Equals(entry.Result.Tally)))
                {
                    agreed = entry.Result.Tally;
                    agreedAt = entry.Revision;
                }
            }
            if (agreed is not null) return hotline.Last(r => r.Result.Tally.Equals(agreed));
        }
        return null;
    }

    private static bool ExpectedDisagreement(SourceReport[] reports) =>
        reports.GroupBy(r => r.Source).Select(g => g.MaxBy(r => r.Revision)!.Result.Tally).Distinct().Count() > 1;

    private static IEnumerable<T[]> Permutations<T>(T[] items)
    {
        if (items.Length <= 1)
        {
            yield return items;
            yield break;
        }
        for (var i = 0; i < items.Length; i++)
        {
            foreach (var rest in Permutations([.. items[..i], .. items[(i + 1)..]])) yield return [items[i], .. rest];
        }
    }

    [Fact]
    public void The_counted_report_is_the_same_for_every_order_of_arrival()
    {
        var counted = new int[5];
        int disagree = 0, agree = 0, confirmed = 0, mismatch = 0, awaiting = 0;
        ReportSets.Sample(set =>
        {
            var (doubleEntry, reports) = (set.DoubleEntry, set.Reports);
            var rules = new CountingRules(doubleEntry);
            var expected = ExpectedCounted(reports, doubleEntry);
            var expectedDisagreement = ExpectedDisagreement(reports);
            var reference = TinyElection.Fold(rules, reports);
            foreach (var order in Permutations(reports))
            {
                var folded = TinyElection.Fold(rules, order);
                Assert.Same(expected, folded.Counted);
                // What the aggregate counts is the counted report's result: the same object in every order.
                Assert.Same(expected?.Result, folded.Counted?.Result);
                Assert.Equal(expectedDisagreement, folded.SourcesDisagree);
                Assert.Equal(reports.Length, folded.LatestRevision);
                Assert.Equal(reference.DoubleEntry?.Status, folded.DoubleEntry?.Status);
                Assert.Equal<string>(reference.DoubleEntry?.Differences ?? [], folded.DoubleEntry?.Differences ?? []);
                Assert.Same(reference.DoubleEntry?.Confirmed, folded.DoubleEntry?.Confirmed);
            }
            Interlocked.Increment(ref counted[expected is null ? 0 : 1 + (int)expected.Source]);
            Interlocked.Increment(ref expectedDisagreement ? ref disagree : ref agree);
            switch (reference.DoubleEntry?.Status)
            {
                case DoubleEntryStatus.Confirmed or DoubleEntryStatus.LaterEntryDiffers: Interlocked.Increment(ref confirmed); break;
                case DoubleEntryStatus.Mismatch: Interlocked.Increment(ref mismatch); break;
                case DoubleEntryStatus.AwaitingSecondEntry: Interlocked.Increment(ref awaiting); break;
            }
        }, iter: 400);
        // The generator must reach every outcome, or this test proves nothing.
        Assert.True(counted.All(n => n > 0), $"counted nothing/captain/hotline/chair/official: {string.Join("/", counted)}");
        Assert.True(disagree > 0 && agree > 0, $"disagreeing {disagree}, agreeing {agree}");
        Assert.True(confirmed > 0 && mismatch > 0 && awaiting > 0, $"confirmed {confirmed}, mismatch {mismatch}, awaiting {awaiting}");
    }
}
