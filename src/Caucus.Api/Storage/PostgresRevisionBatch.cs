using System.Data.Common;
using Npgsql;
using NpgsqlTypes;

namespace Caucus.Api.Storage;

/// <summary>
/// PostgreSQL's batch path: two pipelined round trips per batch of revisions, whatever its size (then the COMMIT).
/// The first takes the append lock and reads what the outcomes depend on; the second inserts every revision in one
/// statement from arrays (numbering each precinct's revisions in seq order after its stored highest) and NOTIFYs.
/// </summary>
internal sealed class PostgresRevisionBatch(string lockSql, string notifySql) : IRevisionBatchStatements
{
    private const string KeyedRevisions = """
        SELECT seq, precinct_id, revision, source, actor, received_at, idempotency_key, body_hash, raw_body, submission_id
        FROM revisions
        WHERE (precinct_id, actor, idempotency_key) IN (SELECT * FROM unnest(@precincts::text[], @actors::text[], @keys::text[]))
        """;

    private const string InsertRevisions = """
        INSERT INTO revisions (seq, precinct_id, revision, source, actor, received_at, idempotency_key, body_hash, raw_body, submission_id, raw_bytes)
        OVERRIDING SYSTEM VALUE
        SELECT u.seq, u.precinct_id,
               COALESCE((SELECT MAX(x.revision) FROM revisions x WHERE x.precinct_id = u.precinct_id), 0)
                   + row_number() OVER (PARTITION BY u.precinct_id ORDER BY u.seq),
               u.source, u.actor, u.received_at, u.idempotency_key, u.body_hash, u.raw_body, u.submission_id, u.raw_bytes
        FROM unnest(@seqs::bigint[], @precincts::text[], @sources::text[], @actors::text[], @received::timestamptz[], @keys::text[],
                    @hashes::text[], @bodies::text[], @submissions::text[], @bytes::bytea[])
             AS u(seq, precinct_id, source, actor, received_at, idempotency_key, body_hash, raw_body, submission_id, raw_bytes)
        RETURNING seq, revision
        """;

    public async Task<RevisionBatchStart> BeginAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<NewRevision> revisions,
        CancellationToken cancellationToken)
    {
        var keyed = revisions.Where(r => r.IdempotencyKey is not null).ToList();
        await using var batch = new NpgsqlBatch((NpgsqlConnection)connection, (NpgsqlTransaction)transaction);
        batch.BatchCommands.Add(new NpgsqlBatchCommand(lockSql));
        batch.BatchCommands.Add(new NpgsqlBatchCommand(StoreSql.HighestSeq));
        batch.BatchCommands.Add(Command(KeyedRevisions,
            ("precincts", keyed.Select(r => r.PrecinctId).ToArray()),
            ("actors", keyed.Select(r => r.Actor).ToArray()),
            ("keys", keyed.Select(r => r.IdempotencyKey).ToArray())));
        batch.BatchCommands.Add(Command(StoreSql.CertifiedNow, ("Test", false)));
        batch.BatchCommands.Add(Command(StoreSql.CertifiedNow, ("Test", true)));

        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.NextResultAsync(cancellationToken); // past the lock's row
        await reader.ReadAsync(cancellationToken);
        var highest = reader.GetInt64(0);
        await reader.NextResultAsync(cancellationToken);
        var stored = new List<StoredRevision>();
        while (await reader.ReadAsync(cancellationToken))
        {
            stored.Add(new StoredRevision(reader.GetInt64(0), reader.GetString(1), reader.GetInt32(2), reader.GetString(3), reader.GetString(4),
                new DateTimeOffset(DateTime.SpecifyKind(reader.GetDateTime(5), DateTimeKind.Utc)), reader.GetString(6), reader.GetString(7),
                reader.GetString(8), await reader.IsDBNullAsync(9, cancellationToken) ? null : reader.GetString(9)));
        }

        var certified = new bool[2];
        for (var mode = 0; mode < 2; mode++)
        {
            await reader.NextResultAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            certified[mode] = reader.GetInt64(0) > 0;
        }

        return new RevisionBatchStart(highest, stored, certified[0], certified[1]);
    }

    public async Task<int[]> InsertAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<(long Seq, NewRevision Revision)> rows,
        string? notifyPayload, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch((NpgsqlConnection)connection, (NpgsqlTransaction)transaction);
        batch.BatchCommands.Add(Command(InsertRevisions,
            ("seqs", rows.Select(r => r.Seq).ToArray()),
            ("precincts", rows.Select(r => r.Revision.PrecinctId).ToArray()),
            ("sources", rows.Select(r => r.Revision.Source).ToArray()),
            ("actors", rows.Select(r => r.Revision.Actor).ToArray()),
            ("received", rows.Select(r => StoreDialect.TruncateToMicroseconds(r.Revision.ReceivedAt).UtcDateTime).ToArray()),
            ("keys", rows.Select(r => r.Revision.IdempotencyKey).ToArray()),
            ("hashes", rows.Select(r => r.Revision.BodyHash).ToArray()),
            ("bodies", rows.Select(r => r.Revision.RawBody).ToArray()),
            ("submissions", rows.Select(r => r.Revision.SubmissionId).ToArray()),
            ("bytes", rows.Select(r => r.Revision.RawBytes).ToArray())));
        ((NpgsqlBatchCommand)batch.BatchCommands[0]).Parameters["bytes"].NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea;
        if (notifyPayload is not null) batch.BatchCommands.Add(Command(notifySql, ("Payload", notifyPayload)));

        var first = rows[0].Seq;
        var numbers = new int[rows.Count];
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            numbers[reader.GetInt64(0) - first] = reader.GetInt32(1);
        }

        return numbers;
    }

    private static NpgsqlBatchCommand Command(string sql, params (string Name, object Value)[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter(name, value));
        }

        return command;
    }
}
