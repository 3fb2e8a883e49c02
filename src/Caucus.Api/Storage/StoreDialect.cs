using System.Data.Common;

namespace Caucus.Api.Storage;

/// <summary>
/// What differs between the two databases, as one object the store is given: how to connect and apply the
/// schema, which faults are transient or mean "unavailable", and what a write transaction needs around it.
/// The writer, the reader and the store are the same code for both.
/// </summary>
public abstract class StoreDialect : IAsyncDisposable
{
    /// <summary>Directory name under <c>schema/</c>: <c>sqlite</c> or <c>postgres</c>.</summary>
    public abstract string Name { get; }

    /// <summary>Opens a new connection, configured for this dialect.</summary>
    public abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>Applies the schema, holding whatever guard keeps concurrent start-ups apart.</summary>
    public abstract Task ApplySchemaAsync(DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Faults worth retrying as they are (busy, lost connection, serialization failure).</summary>
    public abstract bool IsTransient(Exception exception);

    /// <summary>Faults meaning the database cannot be used now (a superset of transient ones).</summary>
    public abstract bool IsUnavailable(Exception exception);

    /// <summary>Called when a retry follows a fault, e.g. to drop pooled connections to a restarted server.</summary>
    public virtual void OnConnectionFault(Exception exception)
    {
    }

    /// <summary>Run first in every write transaction, or null (PostgreSQL takes its append lock here).</summary>
    public virtual string? WriteLockSql => null;

    /// <summary>Run last before a commit that appended changes, with <c>@Payload</c> = the commit's seq range <c>from-to</c>, or null (PostgreSQL's NOTIFY).</summary>
    public virtual string? CommitNotificationSql => null;

    /// <summary>Run inside a revocation's transaction, with <c>@Payload</c> = its seq, or null (PostgreSQL's NOTIFY to every instance).</summary>
    public virtual string? RevocationNotificationSql => null;

    /// <summary>
    /// Statements that append a whole batch of revisions in a constant number of round trips, or null: the writer
    /// then runs each revision on its own (SQLite, in-process, where a statement costs no round trip).
    /// </summary>
    internal virtual IRevisionBatchStatements? RevisionBatch => null;

    /// <summary>The revision insert (PostgreSQL must be told that the writer, not the identity column, gives the seq).</summary>
    public virtual string InsertRevisionSql => StoreSql.InsertRevision("");

    /// <summary>
    /// Commits the writer's transaction. A dialect wrapper in the tests overrides it to lose the answer of a
    /// COMMIT that went through, which is what a connection dropped during commit looks like to the writer.
    /// </summary>
    public virtual Task CommitAsync(DbTransaction transaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        return transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Starts listening for other instances' commits and revocations, if the database can tell (PostgreSQL LISTEN).</summary>
    public virtual Task StartListeningAsync(Action<long> committed, Action<long> revoked, CancellationToken cancellationToken) => Task.CompletedTask;

    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    // Both dialects keep microseconds, PostgreSQL's precision, so a timestamp reads back the same from either.
    internal static DateTimeOffset TruncateToMicroseconds(DateTimeOffset value) =>
        new(value.UtcTicks - (value.UtcTicks % 10), TimeSpan.Zero);
}
