using System.Data.Common;
using Caucus.Api.Storage;
using Caucus.Api.Tests.Infrastructure;
using Npgsql;
using Polly.CircuitBreaker;

namespace Caucus.Api.Tests.Storage;

[Collection(PostgresCollection.Name)]
public sealed class PostgresStoreTests(PostgresServer server) : StoreContractTests
{
    /// <summary>How long a wait may take before the test fails: generous, so a busy machine is not a failure.</summary>
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private string _connectionString = "";
    private PostgresServer? _ownServer;

    protected override string Dialect => "postgres";

    public override async Task InitializeAsync() => _connectionString = await server.CreateDatabaseAsync();

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_ownServer is not null)
        {
            await _ownServer.DisposeAsync();
        }
    }

    protected override ICaucusStore NewStore() => new PostgresCaucusStore(_connectionString, TestOptions);

    protected override async Task<DbConnection> OpenRawConnectionAsync()
    {
        var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        return connection;
    }

    [Fact]
    public async Task Instances_starting_together_on_a_fresh_database_apply_the_schema_once()
    {
        var stores = Enumerable.Range(0, 4).Select(_ => NewStore()).ToList();
        try
        {
            await Task.WhenAll(stores.Select(s => s.InitializeAsync()));
            Assert.Equal(1, await ScalarAsync("SELECT count(*) FROM schema_version WHERE version = '0001_initial'"));
        }
        finally
        {
            foreach (var store in stores)
            {
                await store.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Two_instances_hear_each_others_commits()
    {
        var first = await StartStoreAsync();
        var second = await StartStoreAsync();
        using var cts = new CancellationTokenSource(Deadline);
        await using var watch = second.WatchCommitsAsync(cts.Token).GetAsyncEnumerator(cts.Token);

        var appended = Appended(await first.AppendRevisionAsync(Report("adair/1nw-adair")));
        long heard = 0;
        while (heard < appended.Seq && await watch.MoveNextAsync())
        {
            heard = watch.Current;
        }

        // Heard before the deadline cancelled the watch: the notification came, not a timeout.
        Assert.Equal(appended.Seq, heard);
        Assert.Equal(appended, Assert.Single(await second.LoadRevisionsAsync(0)));
    }

    [Fact]
    public async Task A_bad_revision_in_a_batch_fails_alone_after_the_batch_runs_again_item_by_item()
    {
        var store = (CaucusStore)await StartStoreAsync();
        var good = Enumerable.Range(0, 100).Select(i => store.AppendRevisionAsync(Report($"p-{i % 5}", $"body {i % 50}", key: $"k-{i % 50}"))).ToList();
        // "rumour" is not a source the schema allows: the one-statement insert of its batch fails.
        var bad = store.AppendRevisionAsync(Report("p-0", "bad", source: "rumour"));
        var more = Enumerable.Range(100, 100).Select(i => store.AppendRevisionAsync(Report($"p-{i % 5}", $"body {i}"))).ToList();

        await Assert.ThrowsAsync<PostgresException>(() => bad);
        var outcomes = await Task.WhenAll(good.Concat(more));
        Assert.True(store.BatchFallbacks >= 1, "The bad revision's batch did not run item by item.");
        // The per-item path keeps the batch's idempotency: each key stored once, its repeat replayed.
        Assert.Equal(150, outcomes.Count(o => o is AppendOutcome.Appended));
        Assert.Equal(50, outcomes.Count(o => o is AppendOutcome.Replayed));
        Assert.Equal(150, await ScalarAsync("SELECT count(*) FROM revisions"));
        Assert.Equal(0, await ScalarAsync("SELECT count(*) FROM revisions WHERE source = 'rumour'"));
        Assert.Equal(30, await ScalarAsync("SELECT max(revision) FROM revisions WHERE precinct_id = 'p-0'"));
    }

    [Fact]
    public async Task Each_commit_notifies_its_seq_range_and_the_ranges_cover_every_seq_once()
    {
        var store = (CaucusStore)await StartStoreAsync();
        await using var listen = (NpgsqlConnection)await OpenRawConnectionAsync();
        var payloads = new List<string>();
        listen.Notification += (_, e) => payloads.Add(e.Payload);
        await using (var command = new NpgsqlCommand($"LISTEN {PostgresCaucusStore.NotificationChannel}", listen))
        {
            await command.ExecuteNonQueryAsync();
        }

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => store.AppendRevisionAsync(Report($"p-{i % 7}", $"body {i}"))));
        var last = outcomes.Select(o => Appended(o).Seq).Max();

        using var cts = new CancellationTokenSource(Deadline);
        var ranges = new List<CommitRange>();
        while (ranges.Count == 0 || ranges[^1].To < last)
        {
            await listen.WaitAsync(cts.Token);
            foreach (var payload in payloads.Skip(ranges.Count).ToList())
            {
                Assert.True(CommitRange.TryParse(payload, out var range), $"Unreadable payload '{payload}'.");
                Assert.Contains('-', payload);
                ranges.Add(range);
            }
        }

        // Delivered in commit order, each range starts right after the last: 1..200, no gap, no overlap, in fewer commits.
        Assert.Equal(1, ranges[0].From);
        for (var i = 1; i < ranges.Count; i++) Assert.Equal(ranges[i - 1].To + 1, ranges[i].From);
        Assert.Equal(200, last);
        Assert.InRange(ranges.Count, 1, 199);
        // They went in by the one-statement path, none of them item by item.
        Assert.Equal(ranges.Count, store.RevisionBatches);
        Assert.Equal(0, store.BatchFallbacks);
    }

    [Fact]
    public async Task A_commit_notification_is_heard_as_its_highest_seq_whether_a_range_or_one_number()
    {
        var store = await StartStoreAsync();
        using var cts = new CancellationTokenSource(Deadline);
        await using var watch = store.WatchCommitsAsync(cts.Token).GetAsyncEnumerator(cts.Token);
        await using var connection = (NpgsqlConnection)await OpenRawConnectionAsync();

        // A batch's range, then the single number an instance from before ranges sends.
        foreach (var (payload, heard) in new[] { ("7-9", 9L), ("12", 12L) })
        {
            await using var notify = new NpgsqlCommand($"SELECT pg_notify('{PostgresCaucusStore.NotificationChannel}', '{payload}')", connection);
            await notify.ExecuteNonQueryAsync();
            Assert.True(await watch.MoveNextAsync());
            Assert.Equal(heard, watch.Current);
        }
    }

    [Fact]
    public async Task Two_instances_hear_each_others_revocations()
    {
        var first = await StartStoreAsync();
        var second = await StartStoreAsync();
        using var cts = new CancellationTokenSource(Deadline);
        await using var watch = second.WatchRevocationsAsync(cts.Token).GetAsyncEnumerator(cts.Token);
        await first.InsertTokenAsync(new StoredToken("tok-heard", Hashing.Sha256Hex("heard"), "warroom", null, DateTimeOffset.UnixEpoch));

        var revoked = Assert.IsType<RevocationOutcome.Revoked>(await first.RevokeTokenAsync("tok-heard", "admin", DateTimeOffset.UnixEpoch));

        // Heard (NOTIFY on the revocation channel) before the deadline cancelled the watch.
        Assert.True(await watch.MoveNextAsync());
        Assert.Equal(revoked.Revocation.Seq, watch.Current);
        Assert.Equal(revoked.Revocation, Assert.Single(await second.LoadRevocationsAsync(0)));
    }

    [Fact]
    public async Task Two_instances_writing_one_database_keep_revisions_consecutive()
    {
        var first = await StartStoreAsync();
        var second = await StartStoreAsync();
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 300).Select(i =>
            (i % 2 == 0 ? first : second).AppendRevisionAsync(Report($"p-{i / 2 % 6}", $"body {i}"))));

        var revisions = outcomes.Select(Appended).ToList();
        foreach (var precinct in revisions.GroupBy(r => r.PrecinctId))
        {
            Assert.Equal(Enumerable.Range(1, 50), precinct.Select(r => r.Revision).Order());
        }

        // Seq order is commit order across instances, so a reader catching up "after seq N" misses nothing.
        var loaded = await first.LoadRevisionsAsync(0);
        Assert.Equal(300, loaded.Count);
        foreach (var precinct in loaded.GroupBy(r => r.PrecinctId))
        {
            Assert.Equal(Enumerable.Range(1, 50), precinct.Select(r => r.Revision));
        }
    }

    [Fact]
    public async Task A_third_instance_catching_up_after_each_notification_misses_no_revision()
    {
        var first = await StartStoreAsync();
        var second = await StartStoreAsync();
        var reader = await StartStoreAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var seen = new HashSet<long>();
        long applied = 0;
        var watch = reader.WatchCommitsAsync(cts.Token);

        var writes = Task.WhenAll(Enumerable.Range(0, 400).Select(i =>
            (i % 2 == 0 ? first : second).AppendRevisionAsync(Report($"p-{i / 2 % 8}", $"body {i}"))));
        var expectedMax = writes.ContinueWith(t => t.Result.Select(o => Appended(o).Seq).Max(), TaskScheduler.Default);

        // What the API host does: on each "committed up to N", load everything after the last seq applied.
        // Loads happen only on notifications; the 100 ms tick only re-checks whether the writes have finished
        // (the last notification can be handled before the writers' tasks complete).
        var commits = watch.GetAsyncEnumerator(cts.Token);
        var next = commits.MoveNextAsync().AsTask();
        while (!(expectedMax.IsCompleted && applied >= await expectedMax))
        {
            if (await Task.WhenAny(next, Task.Delay(100, cts.Token)) != next)
            {
                continue;
            }

            Assert.True(await next, "The commit stream ended early.");
            foreach (var revision in await reader.LoadRevisionsAsync(applied, cts.Token))
            {
                Assert.True(seen.Add(revision.Seq));
                applied = revision.Seq;
            }

            next = commits.MoveNextAsync().AsTask();
        }

        Assert.Equal(400, seen.Count);
        await cts.CancelAsync();
        await next.ContinueWith(_ => { }, TaskScheduler.Default);
        await commits.DisposeAsync();
    }

    [Fact]
    public async Task A_dead_database_fails_fast_as_unavailable_and_writes_resume_after_restart()
    {
        // This test stops its server: with an existing one (CAUCUS_TEST_POSTGRES), which tests never stop, it uses its own.
        var postgres = server;
        if (!server.CanStop)
        {
            postgres = _ownServer = await PostgresServer.StartThrowawayAsync();
            _connectionString = await postgres.CreateDatabaseAsync();
        }

        var store = await StartStoreAsync();
        var watcher = await StartStoreAsync();
        Appended(await store.AppendRevisionAsync(Report("adair/1nw-adair")));

        await postgres.StopAsync();
        try
        {
            // Refused as unavailable rather than left hanging (a hang fails with a TimeoutException instead).
            var down = await Assert.ThrowsAsync<StoreUnavailableException>(() => store.AppendRevisionAsync(Report("adair/1nw-adair")).WaitAsync(Deadline));
            Assert.True(down.RetryAfter > TimeSpan.Zero);

            // With the circuit open, further calls do not even try: the circuit breaker refuses them, and
            // Retry-After is what is left of its break (1 s in TestOptions).
            var open = await Assert.ThrowsAsync<StoreUnavailableException>(() => store.AppendRevisionAsync(Report("adair/1nw-adair")).WaitAsync(Deadline));
            Assert.IsAssignableFrom<BrokenCircuitException>(open.InnerException);
            Assert.InRange(open.RetryAfter, TimeSpan.FromTicks(1), TimeSpan.FromSeconds(1));
            await Assert.ThrowsAsync<StoreUnavailableException>(() => store.LoadAuditAsync("adair/1nw-adair"));
        }
        finally
        {
            await postgres.StartAsync();
        }

        // As a client would: retry while unavailable, honouring Retry-After.
        using var cts = new CancellationTokenSource(Deadline);
        await using var watch = watcher.WatchCommitsAsync(cts.Token).GetAsyncEnumerator(cts.Token);
        StoredRevision? resumed = null;
        while (resumed is null)
        {
            try
            {
                resumed = Appended(await store.AppendRevisionAsync(Report("adair/1nw-adair"), cts.Token));
            }
            catch (StoreUnavailableException ex)
            {
                await Task.Delay(ex.RetryAfter < TimeSpan.FromMilliseconds(200) ? TimeSpan.FromMilliseconds(200) : ex.RetryAfter, cts.Token);
            }
        }

        Assert.Equal(2, resumed.Revision);
        // The other instance's LISTEN connection came back too and hears about it.
        long heard = 0;
        while (heard < resumed.Seq && await watch.MoveNextAsync())
        {
            heard = watch.Current;
        }

        Assert.Equal(resumed.Seq, heard);
    }
}
