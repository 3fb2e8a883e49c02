using System.Collections.Immutable;
using Caucus.Core.Counting;
using Caucus.Core.Model;
using CsCheck;
using static Caucus.Core.Counting.ReportSource;

namespace Caucus.Core.Tests.Counting;

/// <summary>
/// CountingRules(DoubleEntry: true): a hotline report counts only once a second operator (another credential)
/// enters the same numbers; a typo shows as a mismatch naming the field and never becomes a published number.
/// </summary>
public class DoubleEntryTests
{
    private static readonly CountingRules DoubleEntryOn = new(DoubleEntry: true);

    private static Tally Correct() => TinyElection.AdairNorthwestSettled();

    /// <summary>The operator heard 41 attendees and Warren 7 where the captain said 40 and 9.</summary>
    private static Tally Typo() => Correct() with { Attendees = 41, Final = Correct().Final.SetItem("Warren", 7) };

    private static SourceReport Hotline(int revision, string op, Tally tally) =>
        TinyElection.Report(TinyElection.NorthWest, ReportSource.Hotline, revision, tally, op);

    private static SourceReport Captain(int revision) =>
        TinyElection.Report(TinyElection.NorthWest, ReportSource.Captain, revision, Correct());

    [Fact]
    public void Double_entry_is_on_by_default()
    {
        Assert.True(CountingRules.Default.DoubleEntry);
    }

    [Fact]
    public void One_operators_entry_awaits_a_second_and_does_not_count()
    {
        var reports = TinyElection.Fold(DoubleEntryOn, [Hotline(1, "alice", Correct())]);
        Assert.Equal(DoubleEntryStatus.AwaitingSecondEntry, reports.DoubleEntry!.Status);
        Assert.Null(reports.DoubleEntry.Confirmed);
        Assert.Null(reports.Counted);
        Assert.False(reports.IsEmpty);
    }

    [Fact]
    public void While_the_hotline_awaits_a_second_entry_the_captains_report_counts()
    {
        var captain = Captain(1);
        var reports = TinyElection.Fold(DoubleEntryOn, [captain, Hotline(2, "alice", Correct())]);
        Assert.Equal(DoubleEntryStatus.AwaitingSecondEntry, reports.DoubleEntry!.Status);
        Assert.Same(captain, reports.Counted);
    }

    [Fact]
    public void The_same_operator_entering_twice_still_awaits_a_second_operator()
    {
        var reports = TinyElection.Fold(DoubleEntryOn, [Hotline(1, "alice", Correct()), Hotline(2, "alice", Correct())]);
        Assert.Equal(DoubleEntryStatus.AwaitingSecondEntry, reports.DoubleEntry!.Status);
        Assert.Null(reports.Counted);
        Assert.Single(reports.HotlineByOperator);
    }

    [Fact]
    public void A_second_operator_entering_the_same_numbers_confirms_and_the_hotline_counts()
    {
        var second = Hotline(3, "bob", Correct());
        var reports = TinyElection.Fold(DoubleEntryOn, [Captain(1), Hotline(2, "alice", Correct()), second]);
        Assert.Equal(DoubleEntryStatus.Confirmed, reports.DoubleEntry!.Status);
        Assert.Empty(reports.DoubleEntry.Differences);
        Assert.Same(second, reports.DoubleEntry.Confirmed);
        Assert.Same(second, reports.Counted);
    }

    [Fact]
    public void Entries_differing_only_in_zero_entries_confirm_each_other()
    {
        var padded = Correct() with { Final = Correct().Final.Add("Yang", 0) };
        var reports = TinyElection.Fold(DoubleEntryOn, [Hotline(1, "alice", Correct()), Hotline(2, "bob", padded)]);
        Assert.Equal(DoubleEntryStatus.Confirmed, reports.DoubleEntry!.Status);
    }

    [Fact]
    public void Entries_with_different_numbers_are_a_mismatch_naming_each_field_and_neither_counts()
    {
        var reports = TinyElection.Fold(DoubleEntryOn, [Hotline(1, "alice", Typo()), Hotline(2, "bob", Correct())]);
        Assert.Equal(DoubleEntryStatus.Mismatch, reports.DoubleEntry!.Status);
        // The newest entry's value first.
        Assert.Equal<string>(["attendees: 40 vs 41", "final.Warren: 9 vs 7"], reports.DoubleEntry.Differences);
        Assert.Null(reports.DoubleEntry.Confirmed);
        Assert.Null(reports.Counted);

        var captain = Captain(3);
        Assert.Same(captain, reports.With(captain).Counted);
    }

    [Fact]
    public void A_later_matching_entry_resolves_a_mismatch()
    {
        var mismatch = TinyElection.Fold(DoubleEntryOn, [Hotline(1, "alice", Typo()), Hotline(2, "bob", Correct())]);
        // Alice re-enters what she meant …
        var reentered = Hotline(3, "alice", Correct());
        var resolved = mismatch.With(reentered);
        Assert.Equal(DoubleEntryStatus.Confirmed, resolved.DoubleEntry!.Status);
        Assert.Same(reentered, resolved.Counted);
        // … or a third operator enters it.
        var third = Hotline(3, "carol", Correct());
        Assert.Same(third, mismatch.With(third).Counted);
    }

    [Fact]
    public void A_lone_entry_contradicting_confirmed_numbers_is_for_review_and_does_not_uncount_them()
    {
        var second = Hotline(2, "bob", Correct());
        var confirmed = TinyElection.Fold(DoubleEntryOn, [Hotline(1, "alice", Correct()), second]);
        var later = Hotline(3, "carol", Typo());
        var contradicted = confirmed.With(later);
        Assert.Equal(DoubleEntryStatus.LaterEntryDiffers, contradicted.DoubleEntry!.Status);
        Assert.Equal<string>(["attendees: 41 vs 40", "final.Warren: 7 vs 9"], contradicted.DoubleEntry.Differences);
        Assert.Same(second, contradicted.Counted);
        Assert.Same(later, contradicted.DoubleEntry.DifferingEntry);
        Assert.True(contradicted.DoubleEntry.Differs);
    }

    /// <summary>
    /// Issue 19, case 3, as written: two operators agree; a third enters other numbers; an admin's entry matches the
    /// third's; the third enters again. One credential must never un-count the precinct.
    /// </summary>
    [Fact]
    public void One_operator_cannot_uncount_a_precinct_however_often_it_enters()
    {
        var agreed = TinyElection.Fold(DoubleEntryOn, [Hotline(1, "alice", Correct()), Hotline(2, "bob", Correct())]);
        var hostile = agreed.With(Hotline(3, "mallory", Typo()));
        Assert.Equal(Correct().Attendees, hostile.Counted!.Result.Tally.Attendees);

        // Two operators (an admin's hotline entry is an operator's) agreeing on new numbers move the count …
        var admin = Hotline(4, "admin", Typo());
        var moved = hostile.With(admin);
        Assert.Equal(DoubleEntryStatus.Confirmed, moved.DoubleEntry!.Status);
        Assert.Same(admin, moved.Counted);

        // … and the same credential entering again cannot take them back out of the totals.
        var again = moved.With(Hotline(5, "mallory", Correct() with { Attendees = 99 }));
        Assert.Equal(DoubleEntryStatus.LaterEntryDiffers, again.DoubleEntry!.Status);
        Assert.Same(admin, again.Counted);
        var andAgain = again.With(Hotline(6, "mallory", Correct()));
        Assert.Equal(DoubleEntryStatus.LaterEntryDiffers, andAgain.DoubleEntry!.Status);
        Assert.Same(admin, andAgain.Counted);
    }

    [Fact]
    public void Two_operators_agreeing_on_new_numbers_replace_the_confirmed_ones()
    {
        var agreed = TinyElection.Fold(DoubleEntryOn, [Hotline(1, "alice", Correct()), Hotline(2, "bob", Correct())]);
        var carol = Hotline(3, "carol", Typo());
        var dave = Hotline(4, "dave", Typo());
        var replaced = agreed.With(carol).With(dave);
        Assert.Equal(DoubleEntryStatus.Confirmed, replaced.DoubleEntry!.Status);
        Assert.Same(dave, replaced.Counted);
    }

    [Fact]
    public void Double_entry_judges_the_same_whatever_order_the_entries_arrive_in()
    {
        SourceReport[] entries =
        [
            Hotline(1, "alice", Correct()), Hotline(2, "bob", Typo()), Hotline(3, "carol", Correct()),
            Hotline(4, "bob", Correct() with { Attendees = 77 }), Hotline(5, "dave", Correct() with { Attendees = 77 }), Hotline(6, "alice", Typo()),
        ];
        var expected = TinyElection.Fold(DoubleEntryOn, entries);
        Assert.Equal(DoubleEntryStatus.LaterEntryDiffers, expected.DoubleEntry!.Status);
        Assert.Equal(77, expected.Counted!.Result.Tally.Attendees);
        Gen.Shuffle(entries).Sample(order =>
        {
            var folded = TinyElection.Fold(DoubleEntryOn, order);
            Assert.Equal(expected.DoubleEntry.Status, folded.DoubleEntry!.Status);
            Assert.Equal<string>(expected.DoubleEntry.Differences, folded.DoubleEntry.Differences);
            Assert.Same(expected.DoubleEntry.DifferingEntry, folded.DoubleEntry.DifferingEntry);
            Assert.Same(expected.Counted, folded.Counted);
        });
    }

    [Fact]
    public void With_double_entry_off_a_single_hotline_entry_counts()
    {
        var entry = Hotline(2, "alice", Correct());
        var reports = TinyElection.Fold(new CountingRules(DoubleEntry: false), [Captain(1), entry]);
        Assert.Null(reports.DoubleEntry);
        Assert.Same(entry, reports.Counted);
    }

    [Fact]
    public void Judging_no_entries_is_refused()
    {
        Assert.Throws<ArgumentException>(() => DoubleEntry.Judge([]));
    }

    [Fact]
    public void Identical_entries_have_no_differences()
    {
        Assert.Empty(DoubleEntry.Differences(Correct(), Correct()));
    }

    [Fact]
    public void A_zero_count_and_an_absent_group_are_no_difference()
    {
        var padded = Correct() with
        {
            First = Correct().First.Add("Yang", 0),
            Final = Correct().Final.Add("Yang", 0),
            ReportedDelegates = Tallies.Delegates(("Yang", 0)),
        };
        Assert.Empty(DoubleEntry.Differences(Correct() with { ReportedDelegates = Tallies.Delegates() }, padded));
        Assert.Empty(DoubleEntry.Differences(padded, Correct() with { ReportedDelegates = Tallies.Delegates() }));
    }

    [Fact]
    public void No_reported_delegates_and_an_empty_list_of_them_read_back_the_same()
    {
        // An operator cannot hear the difference between "none reported" and "nothing reported".
        Assert.Empty(DoubleEntry.Differences(Correct() with { ReportedDelegates = null }, Correct() with { ReportedDelegates = ImmutableSortedDictionary<string, int>.Empty }));
    }

    [Fact]
    public void Differences_name_each_field_in_reading_order_with_the_first_entrys_value_first()
    {
        var a = Tallies.Of(40, ("Biden", 6, 6), ("Warren", 9, 9)) with { ReportedDelegates = Tallies.Delegates(("Warren", 2)) };
        var b = Tallies.Of(41, ("Biden", 5, 6), ("Warren", 9, 7), ("Yang", 1, 0)) with { ReportedDelegates = Tallies.Delegates(("Warren", 1)) };
        Assert.Equal<string>(
            ["attendees: 40 vs 41", "first.Biden: 6 vs 5", "first.Yang: 0 vs 1", "final.Warren: 9 vs 7", "reportedDelegates.Warren: 2 vs 1"],
            DoubleEntry.Differences(a, b));
    }

    [Fact]
    public void A_different_tie_break_is_named_as_a_difference()
    {
        var buttigieg = TinyElection.AdairNorthwest().WithTieBreaks([TieBreak.Of(["Buttigieg", "Klobuchar"], ["Buttigieg"])]);
        Assert.Equal<string>(["tieBreaks: Klobuchar won among Buttigieg/Klobuchar vs Buttigieg won among Buttigieg/Klobuchar"],
            DoubleEntry.Differences(Correct(), buttigieg));
        Assert.Equal<string>(["tieBreaks: none vs Klobuchar won among Buttigieg/Klobuchar"],
            DoubleEntry.Differences(TinyElection.AdairNorthwest(), Correct()));
    }
}
