using Caucus.Api.Elections;
using Caucus.Api.Results;
using Caucus.Api.Storage;
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
        Assert.Equal("official", adair.Counted!.Report.Source);
        Assert.Equal(2, adair.Counted.Stored.Revision);
        Assert.Equal(3, adair.Revision);
        Assert.True(adair.SourcesDisagree);
        Assert.Equal(2, state.View("adams/adams-1")!.Counted!.Stored.Revision);
        Assert.Equal(2, state.Current.Statewide.Precincts.Reporting);
        Assert.Equal(5, state.MaxSeq);
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
        Assert.Equal("official", forward.View("adair/1nw-adair")!.Counted!.Report.Source);
        Assert.Equal("official", backward.View("adair/1nw-adair")!.Counted!.Report.Source);
        Assert.Equal(System.Text.Encoding.UTF8.GetString(forward.Current.StatewideJson).Split("\"asOf\"")[0],
            System.Text.Encoding.UTF8.GetString(backward.Current.StatewideJson).Split("\"asOf\"")[0]);
        Assert.Equal(forward.Current.Statewide.Candidates, backward.Current.Statewide.Candidates);
    }
}
