using Caucus.Api.Elections;
using Caucus.Api.Results;
using Caucus.Api.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace Caucus.Api.Tests.Results;

/// <summary>
/// The follower applies the batches its own writer hands over, and reads the database when a batch does not start
/// right after what it has applied.
/// </summary>
public sealed class RevisionFollowerTests : IAsyncLifetime
{
    private static readonly Caucus.Core.Model.Election Iowa = ElectionSource.Load(new ConfigurationBuilder().Build());
    private static readonly CaucusStoreOptions Options = new() { CommitWait = TimeSpan.FromSeconds(30) };

    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"caucus-follower-{Guid.NewGuid():N}");

    private string ConnectionString => $"Data Source={Path.Combine(_directory, "caucus.db")}";

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }

    private static NewRevision Report(string precinct, int sanders, int warren)
    {
        var body = $$"""{"attendees":{{sanders + warren}},"first":{"Sanders":{{sanders}},"Warren":{{warren}}},"final":{"Sanders":{{sanders}},"Warren":{{warren}}},"source":"captain"}""";
        return new NewRevision(precinct, "captain", "token-1", DateTimeOffset.UnixEpoch, null, Hashing.Sha256Hex(System.Text.Encoding.UTF8.GetBytes(body)), body);
    }

    private static async Task<long> AppendAsync(SqliteCaucusStore store, NewRevision revision) =>
        Assert.IsType<AppendOutcome.Appended>(await store.AppendRevisionAsync(revision)).Revision.Seq;

    [Fact]
    public async Task A_handed_batch_after_a_gap_is_not_applied_alone_the_follower_first_reads_what_it_missed()
    {
        await using var here = new SqliteCaucusStore(ConnectionString, Options);
        // Another writer on the same file (SQLite has no notifications between instances): this instance's follower
        // hears nothing of its commit, so the next batch handed over starts after a gap.
        await using var elsewhere = new SqliteCaucusStore(ConnectionString, Options);
        var state = new ResultsState(Iowa, TimeProvider.System, test: false);
        using var follower = new RevisionFollower(here, state, NullLogger<RevisionFollower>.Instance);
        await follower.StartAsync(CancellationToken.None);
        try
        {
            var first = await AppendAsync(here, Report("adair/1nw-adair", 6, 4));
            await state.WaitForAppliedAsync(first, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

            await elsewhere.InitializeAsync();
            var missed = await AppendAsync(elsewhere, Report("adams/adams-1", 8, 2));
            var handed = await AppendAsync(here, Report("allamakee/pct-01-wl-hv", 5, 5));
            Assert.Equal(missed + 1, handed);

            // Applied alone, the handed batch would move the version past the missed seq for good (later loads start
            // after the version): the missed report would never count.
            await state.WaitForAppliedAsync(handed, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
            Assert.NotNull(state.View("adams/adams-1")!.Reports.Counted);
            Assert.NotNull(state.View("allamakee/pct-01-wl-hv")!.Reports.Counted);
            Assert.Equal(3, state.Current.Statewide.Precincts.Reporting);
            Assert.Equal(handed, state.Version);
        }
        finally
        {
            await follower.StopAsync(CancellationToken.None);
        }
    }
}
