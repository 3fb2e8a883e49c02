using System.Data.Common;
using Caucus.Api.Storage;
using Caucus.Api.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Caucus.Api.Tests.Storage;

/// <summary>
/// A batch whose COMMIT went through but whose answer was lost (the connection dropped during commit) is
/// retried by the writer. The server-assigned submission id makes the retry find what it already stored:
/// never a revision twice, with or without an Idempotency-Key. On PostgreSQL the first attempt went in by the
/// one-statement batch path and the retry runs item by item.
/// </summary>
public abstract class LostCommitTests : IAsyncLifetime, IAsyncDisposable
{
    private LostCommitDialect? _dialect;
    private CaucusStore? _store;

    /// <summary>The store's own dialect, on a fresh database.</summary>
    protected abstract Task<StoreDialect> NewDialectAsync();

    /// <summary>What the lost answer looks like: a transient fault, so the writer retries the whole batch.</summary>
    protected abstract Exception LostAnswer();

    public async Task InitializeAsync()
    {
        _dialect = new LostCommitDialect(await NewDialectAsync(), LostAnswer);
        _store = new CaucusStore(_dialect, new CaucusStoreOptions { RetryBaseDelay = TimeSpan.FromMilliseconds(5) });
        await _store.InitializeAsync();
    }

    public virtual async Task DisposeAsync()
    {
        if (_store is not null) await _store.DisposeAsync();
    }

    async ValueTask IAsyncDisposable.DisposeAsync()
    {
        await DisposeAsync();
        GC.SuppressFinalize(this);
    }

    private static NewRevision Report(string precinct, int n, string? key) =>
        new(precinct, "captain", "token-1", DateTimeOffset.UnixEpoch, key, Hashing.Sha256Hex($"body {n}"), $"body {n}", $"submission-{n}");

    [Theory]
    [InlineData(null)]
    [InlineData("key-1")]
    public async Task A_batch_retried_after_its_commit_answer_was_lost_stores_each_revision_once(string? key)
    {
        _dialect!.LoseNextCommits(1);

        var outcome = await _store!.AppendRevisionAsync(Report("adair/1nw-adair", 1, key));

        var appended = Assert.IsType<AppendOutcome.Appended>(outcome);
        var stored = Assert.Single(await _store.LoadRevisionsAsync(0));
        Assert.Equal(stored, appended.Revision);
        Assert.Equal(1, stored.Revision);
        Assert.Equal(0, _dialect.CommitsStillToLose);
    }

    [Fact]
    public async Task Every_report_of_a_busy_batch_is_stored_once_when_its_commit_answer_is_lost()
    {
        _dialect!.LoseNextCommits(1);

        var outcomes = await Task.WhenAll(Enumerable.Range(1, 50).Select(n =>
            _store!.AppendRevisionAsync(Report($"precinct-{n % 10}", n, n % 2 == 0 ? $"key-{n}" : null))));

        var stored = await _store!.LoadRevisionsAsync(0);
        Assert.Equal(50, stored.Count);
        Assert.Equal(50, stored.Select(r => r.SubmissionId).Distinct().Count());
        Assert.All(outcomes, o => Assert.IsType<AppendOutcome.Appended>(o));
        // Per-precinct revision numbers stay 1..5 with no gap and no repeat.
        Assert.All(stored.GroupBy(r => r.PrecinctId), g => Assert.Equal([1, 2, 3, 4, 5], g.Select(r => r.Revision).Order()));
    }

    /// <summary>The store's dialect, except that the answer of the next N commits is lost after they went through.</summary>
    private sealed class LostCommitDialect(StoreDialect inner, Func<Exception> lostAnswer) : StoreDialect
    {
        private int _toLose;

        public int CommitsStillToLose => Volatile.Read(ref _toLose);

        public void LoseNextCommits(int count) => Volatile.Write(ref _toLose, count);

        public override string Name => inner.Name;

        public override Task<DbConnection> OpenAsync(CancellationToken cancellationToken) => inner.OpenAsync(cancellationToken);

        public override Task ApplySchemaAsync(DateTimeOffset now, CancellationToken cancellationToken) => inner.ApplySchemaAsync(now, cancellationToken);

        public override bool IsTransient(Exception exception) => inner.IsTransient(exception);

        public override bool IsUnavailable(Exception exception) => inner.IsUnavailable(exception);

        public override string? WriteLockSql => inner.WriteLockSql;

        public override string? CommitNotificationSql => inner.CommitNotificationSql;

        public override string InsertRevisionSql => inner.InsertRevisionSql;

        internal override IRevisionBatchStatements? RevisionBatch => inner.RevisionBatch;

        public override async Task CommitAsync(DbTransaction transaction, CancellationToken cancellationToken)
        {
            await inner.CommitAsync(transaction, cancellationToken);
            if (Volatile.Read(ref _toLose) > 0 && Interlocked.Decrement(ref _toLose) >= 0)
            {
                throw lostAnswer();
            }
        }

        public override async ValueTask DisposeAsync()
        {
            await inner.DisposeAsync();
            await base.DisposeAsync();
        }
    }
}

public sealed class SqliteLostCommitTests : LostCommitTests
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"caucus-lost-commit-{Guid.NewGuid():N}");

    protected override Task<StoreDialect> NewDialectAsync()
    {
        Directory.CreateDirectory(_directory);
        return Task.FromResult<StoreDialect>(new SqliteDialect($"Data Source={Path.Combine(_directory, "caucus.db")}"));
    }

    // SQLITE_BUSY: transient.
    protected override Exception LostAnswer() => new SqliteException("The connection was lost during COMMIT (simulated).", 5);

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresLostCommitTests(PostgresServer server) : LostCommitTests
{
    protected override async Task<StoreDialect> NewDialectAsync() =>
        new PostgresDialect(await server.CreateDatabaseAsync(), new CaucusStoreOptions(), NullLogger.Instance);

    // A broken connection (an I/O failure under Npgsql): transient.
    protected override Exception LostAnswer() => new NpgsqlException("The connection was lost during COMMIT (simulated).", new IOException("reset"));
}
