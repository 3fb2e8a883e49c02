using Caucus.Core.Aggregation;
using Caucus.Core.Counting;
using CsCheck;
using static Caucus.Core.Counting.ReportSource;
using static Caucus.Core.Tests.Counting.TinyElection;

namespace Caucus.Core.Tests.Counting;

/// <summary>
/// The tabulation: totals are a function of the set of revisions applied, the version is the highest commit seq
/// applied, and the status and certification rules follow from them.
/// </summary>
public class TabulationTests
{
    private static readonly CountingRules SingleEntry = new(DoubleEntry: false);

    private static Tabulation Apply(CountingRules rules, params SourceReport[] reports)
    {
        var tabulation = new Tabulation(Election, rules);
        foreach (var r in reports) Assert.True(tabulation.Apply(r));
        return tabulation;
    }

    /// <summary>Every precinct reported by its chair at seqs 1–3; 1NW with its toss recorded.</summary>
    private static Tabulation CompleteAndSettled() => Apply(SingleEntry,
        Report(NorthWest, Chair, 1, AdairNorthwestSettled(), seq: 1),
        Report(NorthTwo, Chair, 1, NorthTwoTally(), seq: 2),
        Report(South, Chair, 1, SouthTally(), seq: 3));

    [Fact]
    public void Applying_the_same_seq_twice_changes_nothing()
    {
        var report = Report(South, Chair, 1, SouthTally(), seq: 7);
        var tabulation = new Tabulation(Election, SingleEntry);
        Assert.True(tabulation.Apply(report));
        var before = Fingerprint(tabulation.Aggregate.Statewide());
        Assert.False(tabulation.Apply(report));
        // A seq names one change, whatever it claims to be.
        Assert.False(tabulation.Apply(report with { Revision = 2, Result = Result(South, SouthTally().WithAttendees(31)) }));
        Assert.False(tabulation.Certify(7));
        tabulation.Skip(7);
        Assert.Equal(before, Fingerprint(tabulation.Aggregate.Statewide()));
        Assert.Equal(7, tabulation.Version);
        Assert.Null(tabulation.CertifiedSeq);
        Assert.Same(report, tabulation.ReportsOf(South).Counted);
    }

    [Fact]
    public void The_version_is_the_highest_seq_applied_whether_revision_certification_or_skipped_revision()
    {
        var tabulation = new Tabulation(Election, SingleEntry);
        Assert.Equal(0, tabulation.Version);
        tabulation.Apply(Report(South, Chair, 2, SouthTally(), seq: 5));
        Assert.Equal(5, tabulation.Version);
        tabulation.Apply(Report(NorthTwo, Chair, 1, NorthTwoTally(), seq: 3));
        Assert.Equal(5, tabulation.Version);
        Assert.Equal(5, tabulation.LastChangeSeq);

        Assert.True(tabulation.Certify(7));
        Assert.Equal(7, tabulation.Version);
        Assert.Equal(5, tabulation.LastChangeSeq);

        tabulation.Skip(9);
        Assert.Equal(9, tabulation.Version);
        Assert.Equal(9, tabulation.LastChangeSeq);
        Assert.True(tabulation.HasApplied(9));
        Assert.False(tabulation.HasApplied(8));

        // An older revision of a source changes nothing but the version.
        var statewide = Fingerprint(tabulation.Aggregate.Statewide());
        Assert.False(tabulation.Apply(Report(South, Chair, 1, SouthTally().WithAttendees(31), seq: 10)));
        Assert.Equal(10, tabulation.Version);
        Assert.Equal(statewide, Fingerprint(tabulation.Aggregate.Statewide()));
    }

    [Fact]
    public void A_rehearsal_shows_test_whatever_else_holds_and_its_certificate_never_certifies_the_night()
    {
        var rehearsal = new Tabulation(Election, new CountingRules(TestMode: true));
        rehearsal.Certify(4, madeInTestMode: true);
        Assert.Equal(ResultsStatus.Test, rehearsal.Status(rehearsal.Aggregate.Statewide()));

        var night = CompleteAndSettled();
        night.Certify(4, madeInTestMode: true);
        Assert.NotEqual(ResultsStatus.Certified, night.Status(night.Aggregate.Statewide()));
        Assert.False(night.IsCertified);
        night.Certify(5);
        Assert.Equal(ResultsStatus.Certified, night.Status(night.Aggregate.Statewide()));
    }

    [Fact]
    public void Complete_results_are_certified_after_a_certification_and_unofficial_again_after_a_later_revision()
    {
        var tabulation = CompleteAndSettled();
        ResultsStatus Status() => tabulation.Status(tabulation.Aggregate.Statewide());
        Assert.Equal(ResultsStatus.UnofficialComplete, Status());
        tabulation.Certify(4);
        Assert.Equal(ResultsStatus.Certified, Status());
        tabulation.Apply(Report(South, Official, 2, SouthTally(), seq: 5));
        Assert.Equal(ResultsStatus.UnofficialComplete, Status());
        tabulation.Certify(6);
        Assert.Equal(ResultsStatus.Certified, Status());
    }

    [Fact]
    public void Partial_results_fall_back_to_unofficial_partial_after_a_revision_following_the_certification()
    {
        var tabulation = Apply(SingleEntry, Report(South, Chair, 1, SouthTally(), seq: 1));
        ResultsStatus Status() => tabulation.Status(tabulation.Aggregate.Statewide());
        Assert.Equal(ResultsStatus.UnofficialPartial, Status());
        tabulation.Certify(2);
        Assert.Equal(ResultsStatus.Certified, Status());
        tabulation.Apply(Report(NorthTwo, Chair, 1, NorthTwoTally(), seq: 3));
        Assert.Equal(ResultsStatus.UnofficialPartial, Status());
    }

    [Fact]
    public void A_certification_covers_revisions_committed_before_it_even_when_they_are_applied_after_it()
    {
        var tabulation = new Tabulation(Election, SingleEntry);
        tabulation.Apply(Report(South, Chair, 1, SouthTally(), seq: 1));
        tabulation.Certify(4);
        tabulation.Apply(Report(NorthTwo, Chair, 1, NorthTwoTally(), seq: 3));
        Assert.Equal(ResultsStatus.Certified, tabulation.Status(tabulation.Aggregate.Statewide()));
        // A certification committed before the latest revision does not certify it.
        var later = Apply(SingleEntry, Report(South, Chair, 1, SouthTally(), seq: 5));
        later.Certify(4);
        Assert.Equal(ResultsStatus.UnofficialPartial, later.Status(later.Aggregate.Statewide()));
    }

    [Fact]
    public void Certification_is_refused_while_precincts_have_not_reported()
    {
        var nothing = new Tabulation(Election).CheckCertification();
        Assert.False(nothing.Eligible);
        Assert.Contains("3 precincts have not reported", nothing.Reason, StringComparison.Ordinal);

        var one = Apply(SingleEntry, Report(South, Chair, 1, SouthTally())).CheckCertification();
        Assert.False(one.Eligible);
        Assert.Contains("2 precincts have not reported", one.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Certification_is_refused_while_a_hotline_entry_awaits_its_second_operator()
    {
        var tabulation = Apply(CountingRules.Default,
            Report(NorthWest, Chair, 1, AdairNorthwestSettled(), seq: 1),
            Report(NorthTwo, Chair, 1, NorthTwoTally(), seq: 2),
            Report(South, Hotline, 1, SouthTally(), "alice", seq: 3));
        Assert.False(tabulation.IsReported(South));
        Assert.False(tabulation.CheckCertification().Eligible);

        Assert.True(tabulation.Apply(Report(South, Hotline, 2, SouthTally(), "bob", seq: 4)));
        Assert.True(tabulation.IsReported(South));
        Assert.True(tabulation.CheckCertification().Eligible);
    }

    [Fact]
    public void Certification_is_refused_while_every_precinct_has_reported_but_a_toss_is_pending()
    {
        var tabulation = Apply(SingleEntry,
            Report(NorthWest, Chair, 1, AdairNorthwest(), seq: 1),
            Report(NorthTwo, Chair, 1, NorthTwoTally(), seq: 2),
            Report(South, Chair, 1, SouthTally(), seq: 3));
        var check = tabulation.CheckCertification();
        Assert.False(check.Eligible);
        Assert.Contains("0 precincts have not reported and 1 ties await", check.Reason, StringComparison.Ordinal);

        // The chair records Klobuchar's win: complete and settled.
        tabulation.Apply(Report(NorthWest, Chair, 2, AdairNorthwestSettled(), seq: 4));
        Assert.Equal(new CertificationCheck(true, null), tabulation.CheckCertification());
    }

    [Fact]
    public void Certification_is_allowed_once_every_precinct_has_reported_and_no_toss_is_pending()
    {
        var tabulation = CompleteAndSettled();
        Assert.Equal(new CertificationCheck(true, null), tabulation.CheckCertification());
        Assert.Equal(ResultsStatus.UnofficialComplete, tabulation.Status(tabulation.Aggregate.Statewide()));
    }

    [Fact]
    public void A_later_differing_hotline_entry_keeps_a_confirmed_precinct_in_the_totals_and_is_flagged_until_resolved()
    {
        var typo = SouthTally().WithAttendees(31);
        var tabulation = Apply(CountingRules.Default,
            Report(South, Hotline, 1, SouthTally(), "alice", seq: 1),
            Report(South, Hotline, 2, SouthTally(), "bob", seq: 2));
        Assert.True(tabulation.IsReported(South));
        Assert.True(tabulation.Apply(Report(South, Hotline, 3, typo, "carol", seq: 3)));
        Assert.True(tabulation.IsReported(South));
        Assert.Equal(1, tabulation.DoubleEntryMismatches);
        Assert.Equal(1, tabulation.Aggregate.Statewide().Reporting);
        Assert.Equal(30, tabulation.Aggregate.Find(South)!.Tally.Attendees);
        Assert.Contains(ReviewQueue.Build(tabulation), i => i.Reason == ReviewReason.HotlineEntryDiffers && i.RevisionSeq == 3);
        Assert.True(tabulation.Apply(Report(South, Hotline, 4, SouthTally(), "carol", seq: 4)));
        Assert.True(tabulation.IsReported(South));
        Assert.Equal(0, tabulation.DoubleEntryMismatches);
    }

    // ---- Order independence ----

    /// <summary>Three versions of each precinct's numbers: equal-but-for-zero-entries, different, and (1NW) a pending toss.</summary>
    private static readonly Dictionary<string, PrecinctResult[]> Pool = new(StringComparer.Ordinal)
    {
        [NorthWest] = [Result(NorthWest, AdairNorthwest()), Result(NorthWest, AdairNorthwestSettled()),
            Result(NorthWest, AdairNorthwestSettled() with { Final = AdairNorthwestSettled().Final.SetItem("Warren", 7) })],
        [NorthTwo] = [Result(NorthTwo, NorthTwoTally()), Result(NorthTwo, NorthTwoTally() with { Final = NorthTwoTally().Final.Add("Warren", 0) }),
            Result(NorthTwo, Tallies.Same(20, ("Biden", 12), ("Sanders", 8)))],
        [South] = [Result(South, SouthTally()), Result(South, Tallies.Same(30, ("Sanders", 12), ("Warren", 18))),
            Result(South, SouthTally().WithAttendees(31))],
    };

    /// <summary>One committed change: a revision, a certification, or a superseded revision skipped at start-up.</summary>
    private sealed record Change(long Seq, SourceReport? Report, bool Certification)
    {
        public void ApplyTo(Tabulation t)
        {
            if (Report is not null) t.Apply(Report);
            else if (Certification) t.Certify(Seq);
            else t.Skip(Seq);
        }

        public override string ToString() =>
            Report is { } r ? $"{Seq}:{r.Precinct}/{r.Source}#{r.Revision}/{r.Actor}/v{Array.IndexOf(Pool[r.Precinct.Value], r.Result)}"
            : Certification ? $"{Seq}:certify" : $"{Seq}:skip";
    }

    private sealed record History(bool DoubleEntry, Change[] Changes, int[] OrderA, int[] OrderB)
    {
        public IEnumerable<Change> InOrder(int[] keys) => Changes.Select((c, i) => (c, k: keys[i])).OrderBy(x => x.k).ThenBy(x => x.c.Seq).Select(x => x.c);

        public override string ToString() => $"doubleEntry={DoubleEntry} [{string.Join(" ", Changes.Select(c => c.ToString()))}] " +
            $"A=[{string.Join(" ", InOrder(OrderA).Select(c => c.Seq))}] B=[{string.Join(" ", InOrder(OrderB).Select(c => c.Seq))}]";
    }

    private static readonly Gen<History> Histories =
        Gen.Select(Gen.Int[0, 11], Gen.Int[0, 2], Gen.Enum<ReportSource>(), Gen.Int[0, 2], Gen.Int[0, 2]).Array[1, 14]
            .SelectMany(steps => Gen.Select(Gen.Bool, Gen.Int.Array[steps.Length], Gen.Int.Array[steps.Length], (doubleEntry, a, b) =>
            {
                var revisions = new Dictionary<string, int>(StringComparer.Ordinal);
                var changes = steps.Select((s, i) =>
                {
                    var (kind, precinct, source, op, variant) = s;
                    long seq = i + 1;
                    if (kind == 0) return new Change(seq, null, Certification: true);
                    if (kind == 1) return new Change(seq, null, Certification: false);
                    var id = PrecinctIds[precinct];
                    // Revision numbers grow per precinct in commit order.
                    var revision = revisions[id] = revisions.GetValueOrDefault(id) + 1;
                    return new Change(seq, TinyElection.Report(source, revision, Pool[id][variant], source == Hotline ? $"operator-{op}" : "", seq), false);
                }).ToArray();
                return new History(doubleEntry, changes, a, b);
            }));

    /// <summary>Everything a results document shows about the tabulation, as one line.</summary>
    private static string Snapshot(Tabulation t)
    {
        var statewide = t.Aggregate.Statewide();
        return $"v{t.Version} rev{t.LastChangeSeq} cert{t.CertifiedSeq} {t.Status(statewide)} {t.CheckCertification()} " +
            $"disagree={t.SourceDisagreements} mismatch={t.DoubleEntryMismatches} | {Fingerprint(statewide)} | " +
            string.Join(" | ", Election.Counties.Select(c => Fingerprint(t.Aggregate.County(c.Name)!)));
    }

    [Fact]
    public void The_same_revisions_and_certifications_in_any_order_give_the_same_totals_version_and_counted_reports()
    {
        int uncounted = 0, lateArrivalIgnored = 0, certified = 0, notCertified = 0, complete = 0;
        Histories.Sample(h =>
        {
            var rules = new CountingRules(h.DoubleEntry);
            Tabulation a = new(Election, rules), b = new(Election, rules), twice = new(Election, rules);
            foreach (var c in h.InOrder(h.OrderA)) c.ApplyTo(a);
            foreach (var c in h.InOrder(h.OrderB))
            {
                c.ApplyTo(b);
                c.ApplyTo(twice);
                c.ApplyTo(twice);
            }
            Assert.Equal(Snapshot(a), Snapshot(b));
            Assert.Equal(Snapshot(a), Snapshot(twice));

            // The version is the highest seq applied; the status rule sees the latest revision and certification.
            Assert.Equal(h.Changes.Max(c => c.Seq), a.Version);
            Assert.Equal(h.Changes.Where(c => !c.Certification).Select(c => c.Seq).DefaultIfEmpty(0).Max(), a.LastChangeSeq);
            Assert.Equal(h.Changes.Where(c => c.Certification).Select(c => (long?)c.Seq).Max(), a.CertifiedSeq);

            foreach (var id in PrecinctIds)
            {
                var reports = h.Changes.Where(c => c.Report?.Precinct.Value == id).Select(c => c.Report!).ToArray();
                var expected = TinyElection.Fold(rules, reports).Counted;
                Assert.Same(expected, a.ReportsOf(id).Counted);
                Assert.Same(expected, b.ReportsOf(id).Counted);
                Assert.Same(expected?.Result, a.Aggregate.Find(id));
                Assert.Same(expected?.Result, b.Aggregate.Find(id));

                if (reports.Length > 0 && expected is null) Interlocked.Increment(ref uncounted);
                var lastArrival = h.InOrder(h.OrderA).LastOrDefault(c => c.Report?.Precinct.Value == id)?.Report;
                if (expected is not null && !ReferenceEquals(lastArrival, expected)) Interlocked.Increment(ref lateArrivalIgnored);
            }
            var status = a.Status(a.Aggregate.Statewide());
            Interlocked.Increment(ref status == ResultsStatus.Certified ? ref certified : ref notCertified);
            if (a.Aggregate.Statewide().Reporting == Election.Precincts.Length) Interlocked.Increment(ref complete);
        }, iter: 600);
        // The generator must reach both sides, or this test proves nothing.
        Assert.True(uncounted > 0, "no precinct with stored reports and nothing counted");
        Assert.True(lateArrivalIgnored > 0, "no precinct whose last-arriving report did not count");
        Assert.True(certified > 0 && notCertified > 0, $"certified {certified}, not {notCertified}");
        Assert.True(complete > 0, "the statewide results were never complete");
    }
}
