using Caucus.Api.Storage;

namespace Caucus.Api.Tests.Storage;

/// <summary>
/// The store's half of "a certified result never changes under its label", checked under the write lock so that two
/// instances racing cannot get past it: a certification names the version it certifies and is refused if anything
/// (a revision, a review decision, another certification) was committed after it; a review decision is refused
/// while the results are certified.
/// </summary>
public abstract partial class StoreContractTests
{
    private static NewReviewDecision Decision(long revisionSeq) =>
        new($"rules-broken:adair/1nw-adair:{revisionSeq}", "adair/1nw-adair", revisionSeq, "clear", "looked at", "admin", Evening);

    [Fact]
    public async Task A_certification_is_stale_when_a_review_decision_was_committed_after_the_version_it_names()
    {
        var store = await StartStoreAsync();
        var revision = Appended(await store.AppendRevisionAsync(Report("adair/1nw-adair")));
        var decided = Assert.IsType<DecisionOutcome.Decided>(await store.AppendReviewDecisionAsync(Decision(revision.Seq)));
        Assert.True(decided.Seq > revision.Seq);

        var stale = Assert.IsType<CertificationOutcome.Stale>(
            await store.AppendCertificationAsync(new NewCertification(revision.Seq, "admin", Evening, null)));
        Assert.Equal(1, stale.ChangesSince);
        Assert.IsType<CertificationOutcome.Certified>(await store.AppendCertificationAsync(new NewCertification(decided.Seq, "admin", Evening, null)));
    }

    [Fact]
    public async Task Review_decisions_are_refused_while_the_results_are_certified_in_their_mode()
    {
        var store = await StartStoreAsync();
        var revision = Appended(await store.AppendRevisionAsync(Report("adair/1nw-adair")));
        var certified = Assert.IsType<CertificationOutcome.Certified>(
            await store.AppendCertificationAsync(new NewCertification(revision.Seq, "admin", Evening, null)));

        Assert.IsType<DecisionOutcome.RefusedCertified>(await store.AppendReviewDecisionAsync(Decision(revision.Seq)));
        Assert.Equal(0, await ScalarAsync("SELECT COUNT(*) FROM review_decisions"));

        // An official correction reopens the results: decisions are taken again.
        Appended(await store.AppendRevisionAsync(Report("adair/1nw-adair", """{"attendees":41}""", source: "official")));
        Assert.IsType<DecisionOutcome.Decided>(await store.AppendReviewDecisionAsync(Decision(revision.Seq)));
        Assert.True(certified.Certification.Seq > revision.Seq);
    }

    [Fact]
    public async Task Revisions_sent_together_while_certified_are_refused_in_that_mode_only()
    {
        var store = await StartStoreAsync();
        var revision = Appended(await store.AppendRevisionAsync(Report("adair/1nw-adair")));
        Assert.IsType<CertificationOutcome.Certified>(await store.AppendCertificationAsync(new NewCertification(revision.Seq, "admin", Evening, null)));

        var live = await Task.WhenAll(Enumerable.Range(0, 30).Select(i =>
            store.AppendRevisionAsync(Report($"p-{i % 3}", $"body {i}") with { RefusedWhenCertifiedInTestMode = false })));
        Assert.All(live, o => Assert.IsType<AppendOutcome.RefusedCertified>(o));
        Assert.Equal(1, await ScalarAsync("SELECT COUNT(*) FROM revisions"));

        // Test mode is not certified: its reports go in, and the first of them ends the live certification's hold too.
        var test = await Task.WhenAll(Enumerable.Range(0, 30).Select(i =>
            store.AppendRevisionAsync(Report($"p-{i % 3}", $"body {i}") with { RefusedWhenCertifiedInTestMode = true })));
        Assert.All(test, o => Assert.IsType<AppendOutcome.Appended>(o));
        Appended(await store.AppendRevisionAsync(Report("adair/1nw-adair", "after") with { RefusedWhenCertifiedInTestMode = false }));
    }
}
