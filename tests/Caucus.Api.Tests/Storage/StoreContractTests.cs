using System.Data.Common;
using Caucus.Api.Storage;
using Dapper;

namespace Caucus.Api.Tests.Storage;

/// <summary>
/// What every <see cref="ICaucusStore"/> must do, run against each store by a subclass that says how to
/// make one and how to look at its database directly.
/// </summary>
public abstract class StoreContractTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Evening = new(2020, 2, 3, 19, 0, 0, TimeSpan.Zero);
    private readonly List<ICaucusStore> _stores = [];

    protected static CaucusStoreOptions TestOptions => new()
    {
        RetryBaseDelay = TimeSpan.FromMilliseconds(50),
        BreakDuration = TimeSpan.FromSeconds(1),
        ListenerReconnectDelay = TimeSpan.FromMilliseconds(200),
    };

    /// <summary>Directory name of this store's schema files.</summary>
    protected abstract string Dialect { get; }

    /// <summary>A new store instance on this test's database (not yet initialised).</summary>
    protected abstract ICaucusStore NewStore();

    /// <summary>A raw connection to this test's database.</summary>
    protected abstract Task<DbConnection> OpenRawConnectionAsync();

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }
    }

    protected async Task<ICaucusStore> StartStoreAsync()
    {
        var store = NewStore();
        _stores.Add(store);
        await store.InitializeAsync();
        return store;
    }

    protected async Task<long> ScalarAsync(string sql)
    {
        await using var connection = await OpenRawConnectionAsync();
        return await connection.ExecuteScalarAsync<long>(sql);
    }

    protected static NewRevision Report(string precinct, string body = """{"attendees":40}""", string? key = null, string source = "captain", DateTimeOffset? at = null) =>
        new(precinct, source, "token-1", at ?? Evening, key, Hashing.Sha256Hex(body), body);

    protected static StoredRevision Appended(AppendOutcome outcome) =>
        Assert.IsType<AppendOutcome.Appended>(outcome).Revision;

    [Fact]
    public async Task Schema_files_are_applied_once_and_recorded()
    {
        await StartStoreAsync();
        var files = typeof(ICaucusStore).Assembly.GetManifestResourceNames().Count(n => n.StartsWith($"schema/{Dialect}/", StringComparison.Ordinal));
        Assert.True(files > 0);
        Assert.Equal(files, await ScalarAsync("SELECT count(*) FROM schema_version"));
        Assert.Equal(1, await ScalarAsync("SELECT count(*) FROM schema_version WHERE version = '0001_initial'"));

        // A second instance (a restart) finds everything applied and changes nothing.
        var again = await StartStoreAsync();
        await again.InitializeAsync();
        Assert.Equal(files, await ScalarAsync("SELECT count(*) FROM schema_version"));
        Assert.Equal(0, await ScalarAsync("SELECT count(*) FROM revisions"));
    }

    [Fact]
    public async Task Revisions_are_numbered_from_one_per_precinct()
    {
        var store = await StartStoreAsync();
        var a1 = Appended(await store.AppendRevisionAsync(Report("adair/1nw-adair")));
        var a2 = Appended(await store.AppendRevisionAsync(Report("adair/1nw-adair", source: "hotline")));
        var b1 = Appended(await store.AppendRevisionAsync(Report("polk/des-moines-1")));
        var a3 = Appended(await store.AppendRevisionAsync(Report("adair/1nw-adair", source: "official")));

        Assert.Equal([1, 2, 1, 3], new[] { a1.Revision, a2.Revision, b1.Revision, a3.Revision });
        Assert.True(a1.Seq < a2.Seq && a2.Seq < b1.Seq && b1.Seq < a3.Seq);
        Assert.Equal("official", a3.Source);

        var all = await store.LoadRevisionsAsync(0);
        Assert.Equal(new[] { a1, a2, b1, a3 }, all);
        Assert.Equal(new[] { b1, a3 }, await store.LoadRevisionsAsync(a2.Seq));
        Assert.Empty(await store.LoadRevisionsAsync(a3.Seq));
    }

    [Fact]
    public async Task Stored_revision_keeps_raw_text_actor_and_time_exactly()
    {
        var store = await StartStoreAsync();
        var body = "{\"attendees\": 40,\n \"note\": \"Café — «quoted» 'text'\"}";
        var at = new DateTimeOffset(2020, 2, 3, 20, 15, 30, 123, 456, TimeSpan.FromHours(-6));
        var appended = Appended(await store.AppendRevisionAsync(Report("adair/1nw-adair", body, key: "k-raw", at: at)));

        var loaded = Assert.Single(await store.LoadRevisionsAsync(0));
        Assert.Equal(appended, loaded);
        Assert.Equal(body, loaded.RawBody);
        Assert.Equal(Hashing.Sha256Hex(body), loaded.BodyHash);
        Assert.Equal("token-1", loaded.Actor);
        Assert.Equal(at, loaded.ReceivedAt);
        Assert.Equal(TimeSpan.Zero, loaded.ReceivedAt.Offset);
        Assert.Equal("k-raw", loaded.IdempotencyKey);
    }

    [Fact]
    public async Task Replay_with_the_same_key_and_body_returns_the_original_and_adds_nothing()
    {
        var store = await StartStoreAsync();
        var original = Appended(await store.AppendRevisionAsync(Report("adair/1nw-adair", key: "key-1")));

        var replay = await store.AppendRevisionAsync(Report("adair/1nw-adair", key: "key-1", at: Evening.AddMinutes(5)));

        Assert.Equal(original, Assert.IsType<AppendOutcome.Replayed>(replay).Original);
        Assert.Equal(1, await ScalarAsync("SELECT count(*) FROM revisions"));
        // The next real report is still revision 2: the replay consumed no number.
        Assert.Equal(2, Appended(await store.AppendRevisionAsync(Report("adair/1nw-adair"))).Revision);
    }

    [Fact]
    public async Task The_same_key_with_a_different_body_or_precinct_is_a_conflict()
    {
        var store = await StartStoreAsync();
        var original = Appended(await store.AppendRevisionAsync(Report("adair/1nw-adair", """{"attendees":40}""", key: "key-1")));

        var otherBody = await store.AppendRevisionAsync(Report("adair/1nw-adair", """{"attendees":41}""", key: "key-1"));
        var otherPrecinct = await store.AppendRevisionAsync(Report("polk/des-moines-1", """{"attendees":40}""", key: "key-1"));

        Assert.Equal(original, Assert.IsType<AppendOutcome.KeyConflict>(otherBody).Existing);
        Assert.IsType<AppendOutcome.KeyConflict>(otherPrecinct);
        Assert.Equal(1, await ScalarAsync("SELECT count(*) FROM revisions"));
    }

    [Fact]
    public async Task Concurrent_appends_all_commit_with_consecutive_revisions_in_fewer_transactions()
    {
        var store = await StartStoreAsync();
        var commitsBefore = store.CommittedTransactions;
        const int Count = 400;
        var outcomes = await Task.WhenAll(Enumerable.Range(0, Count).Select(i =>
            store.AppendRevisionAsync(Report($"county/precinct-{i % 10}", $$"""{"attendees":{{i}}}""", key: $"k-{i}"))));

        var revisions = outcomes.Select(Appended).ToList();
        Assert.Equal(Count, revisions.Select(r => r.Seq).Distinct().Count());
        foreach (var precinct in revisions.GroupBy(r => r.PrecinctId))
        {
            Assert.Equal(Enumerable.Range(1, Count / 10), precinct.Select(r => r.Revision).Order());
            // Within a precinct, revision order is commit order.
            Assert.Equal(precinct.OrderBy(r => r.Seq).Select(r => r.Revision), precinct.Select(r => r.Revision).Order());
        }

        Assert.Equal(Count, await ScalarAsync("SELECT count(*) FROM revisions"));
        Assert.Equal(Count, (await store.LoadRevisionsAsync(0)).Count);
        var commits = store.CommittedTransactions - commitsBefore;
        Assert.InRange(commits, 1, Count - 1);
    }

    [Fact]
    public async Task A_bad_write_fails_alone_and_the_rest_of_its_batch_commits()
    {
        var store = await StartStoreAsync();
        var commitsBefore = store.CommittedTransactions;
        var good = Enumerable.Range(0, 100).Select(i => store.AppendRevisionAsync(Report($"p-{i % 5}", $"body {i}"))).ToList();
        // "rumour" is not a source the schema allows.
        var bad = store.AppendRevisionAsync(Report("p-0", "bad", source: "rumour"));
        var more = Enumerable.Range(100, 100).Select(i => store.AppendRevisionAsync(Report($"p-{i % 5}", $"body {i}"))).ToList();

        await Assert.ThrowsAnyAsync<DbException>(() => bad);
        var outcomes = await Task.WhenAll(good.Concat(more));
        Assert.All(outcomes, o => Assert.IsType<AppendOutcome.Appended>(o));
        Assert.Equal(200, await ScalarAsync("SELECT count(*) FROM revisions"));
        Assert.Equal(40, await ScalarAsync("SELECT max(revision) FROM revisions WHERE precinct_id = 'p-0'"));
        // The writes were batched, so the bad one shared its transaction with good ones.
        Assert.InRange(store.CommittedTransactions - commitsBefore, 1, 100);
    }

    [Fact]
    public async Task Rejected_submissions_are_kept_with_their_raw_text_and_reason()
    {
        var store = await StartStoreAsync();
        var reason = """{"title":"One or more validation errors occurred.","errors":{"first.Biden":["must not be negative"]}}""";
        var seq = await store.AppendRejectedAsync(new RejectedSubmission("adair/1nw-adair", "token-7", Evening, "{\"first\":{\"Biden\":-1}", reason, "key-9"));
        var anonymous = await store.AppendRejectedAsync(new RejectedSubmission(null, null, Evening, "not json", """{"title":"bad"}""", null));

        Assert.True(seq > 0);
        Assert.True(anonymous > seq);
        Assert.Equal(2, await ScalarAsync("SELECT count(*) FROM rejected_submissions"));
        Assert.Equal(0, await ScalarAsync("SELECT count(*) FROM revisions"));
        var audit = await store.LoadAuditAsync("adair/1nw-adair");
        var rejection = Assert.Single(audit.Rejections);
        Assert.Equal(new StoredRejection(seq, "adair/1nw-adair", "token-7", Evening, "{\"first\":{\"Biden\":-1}", reason, "key-9"), rejection);
    }

    [Fact]
    public async Task Audit_trail_lists_every_revision_and_rejection_of_one_precinct_in_order()
    {
        var store = await StartStoreAsync();
        var first = Appended(await store.AppendRevisionAsync(Report("adair/1nw-adair", "first", at: Evening)));
        await store.AppendRevisionAsync(Report("polk/des-moines-1", "elsewhere"));
        await store.AppendRejectedAsync(new RejectedSubmission("adair/1nw-adair", "token-2", Evening.AddMinutes(1), "garbled", "{}", null));
        await store.AppendRejectedAsync(new RejectedSubmission("polk/des-moines-1", "token-3", Evening, "other", "{}", null));
        var second = Appended(await store.AppendRevisionAsync(Report("adair/1nw-adair", "second", source: "chair", at: Evening.AddMinutes(2))));

        var audit = await store.LoadAuditAsync("adair/1nw-adair");

        Assert.Equal("adair/1nw-adair", audit.PrecinctId);
        Assert.Equal(new[] { first, second }, audit.Revisions);
        Assert.Equal(["first", "second"], audit.Revisions.Select(r => r.RawBody));
        Assert.Equal("garbled", Assert.Single(audit.Rejections).RawBody);
        Assert.Empty((await store.LoadAuditAsync("nowhere/none")).Revisions);
    }

    [Fact]
    public async Task Tokens_are_found_by_hash_only()
    {
        var store = await StartStoreAsync();
        var hash = Hashing.Sha256Hex("s3cret-token");
        var token = new StoredToken("tok-1", hash, "precinct", "adair/1nw-adair", Evening);
        await store.InsertTokenAsync(token);
        await store.InsertTokenAsync(new StoredToken("tok-2", Hashing.Sha256Hex("other"), "warroom", null, Evening));

        Assert.Equal(token, await store.FindTokenByHashAsync(hash));
        Assert.Null(await store.FindTokenByHashAsync(Hashing.Sha256Hex("guess")));
        Assert.Equal(0, await ScalarAsync("SELECT count(*) FROM tokens WHERE token_hash = 's3cret-token'"));
        // A second token with the same hash is refused, and the refusal does not disturb other writes.
        await Assert.ThrowsAnyAsync<DbException>(() => store.InsertTokenAsync(token with { Id = "tok-3" }));
        Assert.Equal(2, await ScalarAsync("SELECT count(*) FROM tokens"));
    }

    [Fact]
    public async Task Revisions_cannot_be_updated_or_deleted()
    {
        var store = await StartStoreAsync();
        await store.AppendRevisionAsync(Report("adair/1nw-adair"));
        await using var connection = await OpenRawConnectionAsync();

        await Assert.ThrowsAnyAsync<DbException>(() => connection.ExecuteAsync("UPDATE revisions SET raw_body = 'forged'"));
        await Assert.ThrowsAnyAsync<DbException>(() => connection.ExecuteAsync("DELETE FROM revisions"));
        Assert.Equal(1, await ScalarAsync("SELECT count(*) FROM revisions WHERE raw_body <> 'forged'"));
    }

    [Fact]
    public async Task Acknowledged_appends_are_there_for_the_next_instance()
    {
        var store = await StartStoreAsync();
        var appended = Appended(await store.AppendRevisionAsync(Report("adair/1nw-adair")));
        await store.DisposeAsync();

        var restarted = await StartStoreAsync();
        Assert.Equal(appended, Assert.Single(await restarted.LoadRevisionsAsync(0)));
        Assert.Equal(2, Appended(await restarted.AppendRevisionAsync(Report("adair/1nw-adair"))).Revision);
    }

    [Fact]
    public async Task Disposing_drains_queued_writes_before_returning()
    {
        var store = await StartStoreAsync();
        var pending = Enumerable.Range(0, 50).Select(i => store.AppendRevisionAsync(Report($"p-{i % 3}", $"b{i}"))).ToList();
        await store.DisposeAsync();

        // Committed by the time DisposeAsync returns (callers' continuations may still be on their way).
        Assert.Equal(50, await ScalarAsync("SELECT count(*) FROM revisions"));
        var outcomes = await Task.WhenAll(pending).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.All(outcomes, o => Assert.IsType<AppendOutcome.Appended>(o));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.AppendRevisionAsync(Report("p-0")));
    }

    [Fact]
    public async Task Commits_are_announced_to_watchers()
    {
        var store = await StartStoreAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var watch = store.WatchCommitsAsync(cts.Token).GetAsyncEnumerator(cts.Token);

        var appended = Appended(await store.AppendRevisionAsync(Report("adair/1nw-adair")));

        Assert.True(await watch.MoveNextAsync());
        Assert.Equal(appended.Seq, watch.Current);
    }
}
