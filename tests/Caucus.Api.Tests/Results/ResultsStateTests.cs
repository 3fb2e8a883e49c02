using Caucus.Api.Elections;
using Caucus.Api.Results;
using Caucus.Api.Storage;
using Caucus.Core.Counting;
using Microsoft.Extensions.Configuration;

namespace Caucus.Api.Tests.Results;

/// <summary>The in-memory results: start-up rebuild, source precedence and idempotent application by seq.</summary>
public sealed class ResultsStateTests
{
    private static readonly Caucus.Core.Model.Election Iowa = ElectionSource.Load(new ConfigurationBuilder().Build());

    private static StoredRevision Revision(long seq, string precinct, int revision, string source, int sanders, int warren) =>
        new(seq, precinct, revision, source, "test", DateTimeOffset.UnixEpoch, null, "",
            $$"""{"attendees":{{sanders + warren}},"first":{"Sanders":{{sanders}},"Warren":{{warren}}},"final":{"Sanders":{{sanders}},"Warren":{{warren}}},"source":"{{source}}"}""");

    [Fact]
    public void A_rebuild_counts_the_most_authoritative_sources_latest_revision_and_skips_superseded_ones()
    {
        var state = new ResultsState(Iowa, TimeProvider.System, test: false);
        state.ApplyStored(
        [
            Revision(1, "adair/1nw-adair", 1, "captain", 6, 4),
            Revision(2, "adair/1nw-adair", 2, "official", 7, 3),
            Revision(3, "adair/1nw-adair", 3, "captain", 5, 5),
            // A superseded body that no longer parses proves superseded revisions are not re-read.
            Revision(4, "adams/adams-1", 1, "captain", 1, 1) with { RawBody = "not json" },
            Revision(5, "adams/adams-1", 2, "captain", 8, 2),
        ]);

        var adair = state.View("adair/1nw-adair")!;
        Assert.Equal(ReportSource.Official, adair.Reports.Counted!.Source);
        Assert.Equal(2, adair.Reports.Counted.Revision);
        Assert.Equal(3, adair.Reports.LatestRevision);
        Assert.True(adair.SourcesDisagree);
        Assert.Equal(2, state.View("adams/adams-1")!.Reports.Counted!.Revision);
        Assert.Equal(2, state.Current.Statewide.Precincts.Reporting);
        Assert.Equal(5, state.Version);
    }

    [Fact]
    public void Applying_the_same_revisions_again_changes_nothing()
    {
        var state = new ResultsState(Iowa, TimeProvider.System, test: false);
        List<StoredRevision> revisions = [Revision(1, "adair/1nw-adair", 1, "captain", 6, 4), Revision(2, "adams/adams-1", 1, "chair", 8, 2)];
        state.ApplyStored(revisions);
        var before = state.Current;
        state.ApplyStored(revisions);
        foreach (var r in revisions) state.Apply(state.Compute(r));
        Assert.Same(before, state.Current);
    }

    [Fact]
    public void A_higher_source_wins_whatever_the_order_revisions_arrive_in()
    {
        var forward = new ResultsState(Iowa, TimeProvider.System, test: false);
        var backward = new ResultsState(Iowa, TimeProvider.System, test: false);
        List<StoredRevision> revisions = [Revision(1, "adair/1nw-adair", 1, "official", 6, 4), Revision(2, "adair/1nw-adair", 2, "hotline", 9, 1)];
        foreach (var r in revisions) forward.Apply(forward.Compute(r));
        foreach (var r in Enumerable.Reverse(revisions)) backward.Apply(backward.Compute(r));
        Assert.Equal(ReportSource.Official, forward.View("adair/1nw-adair")!.Reports.Counted!.Source);
        Assert.Equal(ReportSource.Official, backward.View("adair/1nw-adair")!.Reports.Counted!.Source);
        Assert.Equal(System.Text.Encoding.UTF8.GetString(forward.Current.StatewideJson).Split("\"asOf\"")[0],
            System.Text.Encoding.UTF8.GetString(backward.Current.StatewideJson).Split("\"asOf\"")[0]);
        Assert.Equal(forward.Current.Statewide.Candidates, backward.Current.Statewide.Candidates);
    }

    [Fact]
    public void The_version_is_the_highest_seq_applied_so_a_rebuild_gives_the_same_version_and_the_next_change_a_higher_one()
    {
        var live = new ResultsState(Iowa, TimeProvider.System, test: false);
        List<StoredRevision> night = [.. Enumerable.Range(1, 40).Select(i => Revision(i, i % 2 == 0 ? "adair/1nw-adair" : "adams/adams-1", (i + 1) / 2, "captain", i, 3))];
        foreach (var r in night) live.Apply(live.Compute(r));
        var seen = live.Current.Version;

        var rebuilt = new ResultsState(Iowa, TimeProvider.System, test: false);
        rebuilt.ApplyStored(night);

        Assert.Equal(40, seen);
        Assert.Equal(seen, rebuilt.Current.Version);
        Assert.Equal(live.Current.ETag, rebuilt.Current.ETag);
        rebuilt.Apply(rebuilt.Compute(Revision(41, "adair/1nw-adair", 21, "captain", 1, 1)));
        Assert.True(rebuilt.Current.Version > seen);
        Assert.Equal(["adair/1nw-adair"], rebuilt.ChangesSince(seen).Changes.Select(c => c.Precinct.Value));
    }

    [Fact]
    public void A_certification_is_a_change_of_its_own_and_a_later_revision_ends_it()
    {
        var state = new ResultsState(Iowa, TimeProvider.System, test: false);
        state.ApplyStored([Revision(1, "adair/1nw-adair", 1, "captain", 6, 4)]);
        state.Certify(new Certification(2, 1, "admin", DateTimeOffset.UnixEpoch, null));
        var certified = state.Current;

        state.Apply(state.Compute(Revision(3, "adair/1nw-adair", 2, "captain", 7, 3)));

        Assert.Equal(ResultsStatus.Certified, certified.Statewide.Status);
        Assert.Equal(2, certified.Version);
        Assert.Equal(ResultsStatus.UnofficialPartial, state.Current.Statewide.Status);
        Assert.Equal(3, state.Current.Version);
    }

    [Fact]
    public void A_cursor_older_than_the_kept_change_log_is_told_to_reload()
    {
        var state = new ResultsState(Iowa, TimeProvider.System, test: false, changeLogCapacity: 100);
        state.ApplyStored([.. Enumerable.Range(1, 300).Select(i => Revision(i, "adair/1nw-adair", i, "captain", i, 1))]);

        var old = state.ChangesSince(0);
        var recent = state.ChangesSince(290);

        Assert.True(old.Reload);
        Assert.Empty(old.Changes);
        Assert.False(recent.Reload);
        Assert.Equal(300, Assert.Single(recent.Changes).Revision);
    }

    [Fact]
    public void A_rebuild_keeps_each_hotline_operators_entry_so_a_confirmed_double_entry_still_counts()
    {
        StoredRevision Hotline(long seq, int revision, string operatorId) =>
            Revision(seq, "adair/1nw-adair", revision, "hotline", 6, 4) with { Actor = operatorId };
        var live = new ResultsState(Iowa, TimeProvider.System, test: false);
        foreach (var r in new[] { Hotline(1, 1, "op-a"), Hotline(2, 2, "op-b") }) live.Apply(live.Compute(r));

        var rebuilt = new ResultsState(Iowa, TimeProvider.System, test: false);
        rebuilt.ApplyStored([Hotline(1, 1, "op-a"), Hotline(2, 2, "op-b")]);

        Assert.Equal(DoubleEntryStatus.Confirmed, live.View("adair/1nw-adair")!.Reports.DoubleEntry!.Status);
        Assert.Equal(DoubleEntryStatus.Confirmed, rebuilt.View("adair/1nw-adair")!.Reports.DoubleEntry!.Status);
        Assert.Equal(1, rebuilt.Current.Statewide.Precincts.Reporting);
    }
}
