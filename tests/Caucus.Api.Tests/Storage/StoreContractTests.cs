using System.Data.Common;
using Caucus.Api.Storage;
using Dapper;

namespace Caucus.Api.Tests.Storage;

/// <summary>
/// What every <see cref="ICaucusStore"/> must do, run against each store by a subclass that says how to
/// make one and how to look at its database directly.
/// </summary>
public abstract partial class StoreContractTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Evening = new(2020, 2, 3, 19, 0, 0, TimeSpan.Zero);
    private readonly List<ICaucusStore> _stores = [];

    protected static CaucusStoreOptions TestOptions => new()
    {
        RetryBaseDelay = TimeSpan.FromMilliseconds(50),
        BreakDuration = TimeSpan.FromSeconds(1),
        ListenerReconnectDelay = TimeSpan.FromMilliseconds(200),
        // The 2 s production deadline is the fault tests' subject (Process/); a loaded test machine can take longer
        // than that to commit a burst of 400, which is not what these tests are about.
        CommitWait = TimeSpan.FromSeconds(30),
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
    public async Task The_same_key_with_a_different_body_is_a_conflict()
    {
        var store = await StartStoreAsync();
        var original = Appended(await store.AppendRevisionAsync(Report("adair/1nw-adair", """{"attendees":40}""", key: "key-1")));

        var otherBody = await store.AppendRevisionAsync(Report("adair/1nw-adair", """{"attendees":41}""", key: "key-1"));

        Assert.Equal(original, Assert.IsType<AppendOutcome.KeyConflict>(otherBody).Existing);
        Assert.Equal(1, await ScalarAsync("SELECT count(*) FROM revisions"));
    }

    [Fact]
    public async Task The_same_key_twice_in_one_batch_is_stored_once_and_the_second_replays_it()
    {
        var store = await StartStoreAsync();
        var commitsBefore = store.CommittedTransactions;
        // Sent together, they queue behind one another and share batches; each key goes out five times.
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 100).Select(i =>
            store.AppendRevisionAsync(Report($"p-{i % 4}", $"body {i % 20}", key: $"key-{i % 20}"))));

        var stored = outcomes.OfType<AppendOutcome.Appended>().Select(a => a.Revision).ToList();
        Assert.Equal(20, stored.Count);
        Assert.Equal(80, outcomes.OfType<AppendOutcome.Replayed>().Count());
        foreach (var replay in outcomes.OfType<AppendOutcome.Replayed>())
        {
            Assert.Contains(replay.Original, stored);
        }

        Assert.Equal(20, await ScalarAsync("SELECT count(*) FROM revisions"));
        Assert.All(stored.GroupBy(r => r.PrecinctId), p => Assert.Equal(Enumerable.Range(1, 5), p.Select(r => r.Revision).Order()));
        Assert.InRange(store.CommittedTransactions - commitsBefore, 1, 99);
    }

    [Fact]
    public async Task The_same_key_with_another_body_in_one_batch_conflicts_with_the_first()
    {
        var store = await StartStoreAsync();
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 60).Select(i =>
            store.AppendRevisionAsync(Report("adair/1nw-adair", $"body {i}", key: $"key-{i % 3}"))));

        var stored = outcomes.OfType<AppendOutcome.Appended>().Select(a => a.Revision).ToList();
        Assert.Equal(3, stored.Count);
        var conflicts = outcomes.OfType<AppendOutcome.KeyConflict>().ToList();
        Assert.Equal(57, conflicts.Count);
        // Each conflict names the revision its key stored, which came first in commit order.
        Assert.All(conflicts, c => Assert.Contains(c.Existing, stored));
        Assert.Equal([1, 2, 3], stored.Select(r => r.Revision).Order());
        for (var i = 0; i < 60; i++)
        {
            if (outcomes[i] is AppendOutcome.KeyConflict conflict) Assert.Equal($"key-{i % 3}", conflict.Existing.IdempotencyKey);
        }

        Assert.Equal(3, await ScalarAsync("SELECT count(*) FROM revisions"));
    }

    [Fact]
    public async Task A_key_is_scoped_to_its_precinct_and_credential_so_nobody_can_squat_anothers_key()
    {
        // Before schema 0006 keys were global: a credential that used "key-1" first made another precinct's
        // report with that key a 409, and another credential's retry a replay of a report it never sent.
        var store = await StartStoreAsync();
        var adair = Appended(await store.AppendRevisionAsync(Report("adair/1nw-adair", """{"attendees":40}""", key: "key-1")));

        var otherPrecinct = await store.AppendRevisionAsync(Report("polk/des-moines-1", """{"attendees":40}""", key: "key-1"));
        var otherCredential = await store.AppendRevisionAsync(Report("adair/1nw-adair", """{"attendees":40}""", key: "key-1") with { Actor = "token-2" });
        var retry = await store.AppendRevisionAsync(Report("adair/1nw-adair", """{"attendees":40}""", key: "key-1"));

        Assert.Equal(1, Appended(otherPrecinct).Revision);
        Assert.Equal(2, Appended(otherCredential).Revision);
        Assert.Equal(adair, Assert.IsType<AppendOutcome.Replayed>(retry).Original);
        Assert.Equal(3, await ScalarAsync("SELECT count(*) FROM revisions"));
        // The database itself holds the scope: one key per precinct and credential (another key goes in, this one not).
        await using var connection = await OpenRawConnectionAsync();
        string Insert(long seq, int revision, string key) => $"""
            INSERT INTO revisions (seq, precinct_id, revision, source, actor, received_at, idempotency_key, body_hash, raw_body)
            {(Dialect == "postgres" ? "OVERRIDING SYSTEM VALUE" : "")}
            SELECT {seq}, precinct_id, {revision}, source, actor, received_at, '{key}', body_hash, raw_body FROM revisions WHERE seq = {adair.Seq}
            """;
        Assert.Equal(1, await connection.ExecuteAsync(Insert(1000, 8, "key-2")));
        await Assert.ThrowsAnyAsync<DbException>(() => connection.ExecuteAsync(Insert(1001, 9, "key-1")));
    }

    [Fact]
    public async Task A_revision_keeps_the_exact_bytes_it_arrived_with()
    {
        var store = await StartStoreAsync();
        // 0xFF is no UTF-8: the text reads it as U+FFFD, the stored bytes keep it.
        byte[] bytes = [.. "{\"note\":\""u8, 0xFF, .. "\"}"u8];
        var text = System.Text.Encoding.UTF8.GetString(bytes);
        var appended = Appended(await store.AppendRevisionAsync(
            new NewRevision("adair/1nw-adair", "captain", "token-1", Evening, null, Hashing.Sha256Hex(bytes), text) { RawBytes = bytes }));

        var audit = await store.LoadAuditAsync("adair/1nw-adair");
        Assert.Equal(appended, Assert.Single(audit.Revisions));
        Assert.Equal(bytes, audit.ExactBodies[appended.Seq]);
        Assert.Equal(Hashing.Sha256Hex(bytes), appended.BodyHash);
    }

    [Fact]
    public async Task Schema_0006_keeps_every_stored_row_and_the_append_only_guard()
    {
        // A database written by the schema before 0006 (global keys, refusals as text), then opened by this version.
        TimestampHandler.Register();
        await using (var old = await OpenRawConnectionAsync())
        {
            await old.ExecuteAsync(Dialect == "postgres"
                ? "CREATE TABLE schema_version (version text PRIMARY KEY, applied_at timestamptz NOT NULL)"
                : "CREATE TABLE schema_version (version TEXT PRIMARY KEY, applied_at TEXT NOT NULL)");
            foreach (var script in SchemaScripts.For(Dialect).Where(s => string.CompareOrdinal(s.Version, "0006") < 0))
            {
                await old.ExecuteAsync(script.Sql);
                await old.ExecuteAsync("INSERT INTO schema_version (version, applied_at) VALUES (@Version, @At)", new { script.Version, At = Evening });
            }

            var overriding = Dialect == "postgres" ? "OVERRIDING SYSTEM VALUE" : "";
            await old.ExecuteAsync($"""
                INSERT INTO revisions (seq, precinct_id, revision, source, actor, received_at, idempotency_key, body_hash, raw_body, submission_id)
                {overriding} VALUES (@Seq, @PrecinctId, @Revision, 'captain', 'token-1', @At, @Key, @Hash, @Body, @Submission)
                """, new[]
            {
                new { Seq = 1L, PrecinctId = "adair/1nw-adair", Revision = 1, At = Evening, Key = (string?)"key-1", Hash = Hashing.Sha256Hex("old one"), Body = "old one", Submission = (string?)"s-1" },
                new { Seq = 2L, PrecinctId = "adair/1nw-adair", Revision = 2, At = Evening, Key = (string?)null, Hash = Hashing.Sha256Hex("old two"), Body = "old two", Submission = (string?)null },
            });
            await old.ExecuteAsync("INSERT INTO rejected_submissions (precinct_id, actor, received_at, raw_body, reason) VALUES ('adair/1nw-adair', 'token-1', @At, 'old junk', '{}')",
                new { At = Evening });
        }

        var store = await StartStoreAsync();

        var revisions = await store.LoadRevisionsAsync(0);
        Assert.Equal([(1L, 1, "old one", "key-1"), (2L, 2, "old two", (string?)null)], revisions.Select(r => (r.Seq, r.Revision, r.RawBody, r.IdempotencyKey)));
        var refusal = Assert.Single((await store.LoadAuditAsync("adair/1nw-adair")).Rejections);
        Assert.Equal(("old junk", 8L, Hashing.Sha256Hex("old junk")), (refusal.RawBody, refusal.BodySize, refusal.BodySha256));
        // The old key now belongs to its precinct and credential only; its retry is still a replay, its body a conflict.
        Assert.Equal(1, Appended(await store.AppendRevisionAsync(Report("polk/des-moines-1", "old one", key: "key-1"))).Revision);
        Assert.Equal(1, Assert.IsType<AppendOutcome.Replayed>(await store.AppendRevisionAsync(Report("adair/1nw-adair", "old one", key: "key-1"))).Original.Seq);
        Assert.Equal(3, Appended(await store.AppendRevisionAsync(Report("adair/1nw-adair", "new"))).Revision);
        await using var connection = await OpenRawConnectionAsync();
        await Assert.ThrowsAnyAsync<DbException>(() => connection.ExecuteAsync("UPDATE revisions SET raw_body = 'forged'"));
        await Assert.ThrowsAnyAsync<DbException>(() => connection.ExecuteAsync("DELETE FROM revisions"));
        Assert.Equal(2, await ScalarAsync("SELECT count(*) FROM current_revisions"));
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
        var body = "{\"first\":{\"Biden\":-1}";
        Assert.Equal((seq, "adair/1nw-adair", "token-7", Evening, reason, "key-9"),
            (rejection.Seq, rejection.PrecinctId, rejection.Actor, rejection.ReceivedAt, rejection.Reason, rejection.IdempotencyKey));
        Assert.Equal(body, rejection.RawBody);
        Assert.Equal(body.Length, rejection.BodySize);
        Assert.Equal(Hashing.Sha256Hex(body), rejection.BodySha256);
        Assert.False(rejection.Truncated);
    }

    [Fact]
    public async Task A_refused_body_keeps_a_bounded_byte_exact_prefix_its_size_and_hash_whatever_its_bytes()
    {
        var store = await StartStoreAsync();
        // 64 KiB of junk with NUL bytes and bytes that are no UTF-8: PostgreSQL's text cannot hold a NUL.
        var body = new byte[64 * 1024];
        new Random(7).NextBytes(body);
        body[0] = 0;
        body[100] = 0xFF;

        await store.AppendRejectedAsync(new RejectedSubmission("adair/1nw-adair", "token-7", Evening, body, """{"status":400}""", null));

        var rejection = Assert.Single((await store.LoadAuditAsync("adair/1nw-adair")).Rejections);
        Assert.Equal(body[..RefusedBody.PrefixBytes], rejection.BodyPrefix);
        Assert.Equal(body.Length, rejection.BodySize);
        Assert.Equal(Hashing.Sha256Hex(body), rejection.BodySha256);
        Assert.True(rejection.Truncated);
        Assert.Equal(RefusedBody.PrefixBytes, await ScalarAsync("SELECT sum(length(body_prefix)) FROM rejected_submissions"));
        Assert.Equal(0, await ScalarAsync("SELECT sum(length(raw_body)) FROM rejected_submissions"));
    }

    [Fact]
    public async Task The_audit_trail_is_paged_and_each_page_continues_where_the_last_ended()
    {
        var store = await StartStoreAsync();
        var revisions = new List<StoredRevision>();
        var rejections = new List<long>();
        for (var i = 0; i < 7; i++)
        {
            revisions.Add(Appended(await store.AppendRevisionAsync(Report("adair/1nw-adair", $"r{i}"))));
            await store.AppendRevisionAsync(Report("polk/des-moines-1", $"elsewhere {i}"));
            rejections.Add(await store.AppendRejectedAsync(new RejectedSubmission("adair/1nw-adair", "token-2", Evening, $"junk {i}", "{}", null)));
        }

        for (var i = 0; i < 4; i++)
        {
            rejections.Add(await store.AppendRejectedAsync(new RejectedSubmission("adair/1nw-adair", "token-2", Evening, $"more junk {i}", "{}", null)));
        }

        var decision = Assert.IsType<DecisionOutcome.Decided>(await store.AppendReviewDecisionAsync(new NewReviewDecision("k", "adair/1nw-adair", revisions[0].Seq, "clear", "ok", "admin", Evening))).Seq;

        var pages = new List<AuditTrail>();
        AuditQuery? query = new(Limit: 3);
        while (query is not null)
        {
            var page = await store.LoadAuditAsync("adair/1nw-adair", query);
            Assert.InRange(page.Revisions.Count + (page.Decisions?.Count ?? 0), 0, 3);
            Assert.InRange(page.Rejections.Count, 0, 3);
            pages.Add(page);
            query = page.Next;
            Assert.True(pages.Count < 20, "The pages never end.");
        }

        Assert.Equal(revisions, pages.SelectMany(p => p.Revisions));
        Assert.Equal(rejections, pages.SelectMany(p => p.Rejections).Select(r => r.Seq));
        Assert.Equal(decision, Assert.Single(pages.SelectMany(p => p.Decisions ?? [])).Seq);
        Assert.Null(pages[^1].Next);
        Assert.Equal(4, pages.Count); // 8 commit-seq entries and 11 refusals, 3 a page
    }

    [Fact]
    public async Task An_audit_page_never_holds_more_than_its_byte_bound_and_next_reaches_every_entry_once()
    {
        const string precinct = "adair/1nw-adair";
        const int bound = 3000;
        var store = await StartStoreAsync();
        // Each entry's size as the store counts it: a revision's text and exact bytes, a decision's reason, a refusal's
        // kept prefix and reason. Some are larger than the bound on their own (a 5,000-byte text, a 3,500-byte reason).
        var sizes = new Dictionary<(char Kind, long Seq), long>();
        var textSizes = new[] { 100, 5000, 900, 900, 900, 2000, 10, 2900, 40, 1200, 1200, 1200 };
        for (var i = 0; i < textSizes.Length; i++)
        {
            var text = new string('t', textSizes[i]);
            // Every third one arrived with other bytes (padding): those are kept too, and counted.
            var exact = i % 3 == 2 ? System.Text.Encoding.UTF8.GetBytes(text + new string(' ', 600)) : null;
            var revision = Appended(await store.AppendRevisionAsync(Report(precinct, text) with { RawBytes = exact }));
            sizes[('c', revision.Seq)] = textSizes[i] + (exact?.Length ?? 0);
            await store.AppendRevisionAsync(Report("polk/des-moines-1", new string('x', 4000)));
            if (i % 4 == 1)
            {
                var reason = new string('r', i == 5 ? 3500 : 300);
                var decided = Assert.IsType<DecisionOutcome.Decided>(
                    await store.AppendReviewDecisionAsync(new NewReviewDecision($"k{i}", precinct, revision.Seq, "clear", reason, "admin", Evening)));
                sizes[('c', decided.Seq)] = reason.Length;
            }
            var body = new byte[(i * 700) % 5000];
            var problem = """{"status":400}""";
            sizes[('x', await store.AppendRejectedAsync(new RejectedSubmission(precinct, "token-2", Evening, body, problem, null)))] =
                Math.Min(body.Length, RefusedBody.PrefixBytes) + problem.Length;
        }

        var pages = new List<AuditTrail>();
        AuditQuery? query = new AuditQuery(Limit: 4) { MaxBytes = bound };
        while (query is not null)
        {
            var page = await store.LoadAuditAsync(precinct, query);
            var entries = page.Revisions.Select(r => ('c', r.Seq)).Concat((page.Decisions ?? []).Select(d => ('c', d.Seq)))
                .Concat(page.Rejections.Select(r => ('x', r.Seq))).ToList();
            var bytes = entries.Sum(e => sizes[e]);
            Assert.True(bytes <= bound || entries.Count == 1, $"A page of {entries.Count} entries holds {bytes} bytes.");
            Assert.NotEmpty(entries);
            pages.Add(page);
            query = page.Next;
            Assert.True(pages.Count < 100, "The pages never end.");
        }

        var changes = pages.SelectMany(p => p.Revisions.Select(r => r.Seq).Concat((p.Decisions ?? []).Select(d => d.Seq)).Order()).ToList();
        Assert.Equal(sizes.Keys.Where(k => k.Kind == 'c').Select(k => k.Seq).Order(), changes);
        Assert.Equal(sizes.Keys.Where(k => k.Kind == 'x').Select(k => k.Seq).Order(), pages.SelectMany(p => p.Rejections).Select(r => r.Seq));
        Assert.Contains(pages, p => p.Revisions.Count == 1 && p.Revisions[0].RawBody.Length == 5000 && (p.Decisions?.Count ?? 0) == 0 && p.Rejections.Count == 0);
        Assert.True(pages.Count > 5, $"{pages.Count} pages: the rows alone (4 a page) would make 4.");
        // The exact bytes come with their revision, on whichever page it falls.
        Assert.Equal(4, pages.Sum(p => p.ExactBodies.Count));
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
    public async Task A_token_is_revoked_once_and_the_revocation_cannot_be_undone()
    {
        var store = await StartStoreAsync();
        var hash = Hashing.Sha256Hex("revoke-me");
        await store.InsertTokenAsync(new StoredToken("tok-r", hash, "precinct", "adair/1nw-adair", Evening, "captain"));

        var first = Assert.IsType<RevocationOutcome.Revoked>(await store.RevokeTokenAsync("tok-r", "admin-1", Evening.AddHours(1)));
        var again = Assert.IsType<RevocationOutcome.Revoked>(await store.RevokeTokenAsync("tok-r", "admin-2", Evening.AddHours(2)));

        Assert.Equal(first, again);
        Assert.Equal(new TokenListing("tok-r", "precinct", "adair/1nw-adair", "captain", Evening, Evening.AddHours(1), "admin-1"), again.Token);
        Assert.Equal(new TokenRevocation(first.Revocation.Seq, "tok-r", "admin-1", Evening.AddHours(1), "adair/1nw-adair"), first.Revocation);
        Assert.IsType<RevocationOutcome.UnknownToken>(await store.RevokeTokenAsync("tok-nobody", "admin-1", Evening));
        Assert.Equal(Evening.AddHours(1), (await store.FindTokenByHashAsync(hash))!.RevokedAt);
        Assert.Equal(first.Revocation, Assert.Single(await store.LoadRevocationsAsync(0)));
        Assert.Empty(await store.LoadRevocationsAsync(first.Revocation.Seq));
        Assert.Equal(first.Revocation, Assert.Single(await store.LoadRevocationsOfPrecinctAsync("adair/1nw-adair")));
        Assert.Equal(again.Token, Assert.Single(await store.ListTokensAsync()));
        await using var connection = await OpenRawConnectionAsync();
        await Assert.ThrowsAnyAsync<DbException>(() => connection.ExecuteAsync("DELETE FROM token_revocations"));
        await Assert.ThrowsAnyAsync<DbException>(() => connection.ExecuteAsync("UPDATE token_revocations SET revoked_by = 'nobody'"));
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
