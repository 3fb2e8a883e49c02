using Dapper;

namespace Caucus.Api.Storage;

/// <summary>
/// The reads. Each opens its own (pooled) connection, so readers never wait on the writer's; each runs
/// through the resilience pipeline, so a dead database answers fast.
/// </summary>
internal sealed class StoreReader(StoreDialect dialect, StoreResilience.Runner run)
{
    public Task<IReadOnlyList<StoredRevision>> RevisionsAfterAsync(long afterSeq, CancellationToken cancellationToken) =>
        run.RunAsync<IReadOnlyList<StoredRevision>>(async ct =>
        {
            await using var connection = await dialect.OpenAsync(ct);
            var rows = await connection.QueryAsync<RevisionRow>(new CommandDefinition(StoreSql.RevisionsAfter, new { AfterSeq = afterSeq }, cancellationToken: ct));
            return rows.Select(r => r.ToStored()).ToList();
        }, cancellationToken);

    public Task<StoredChanges> ChangesAfterAsync(long afterSeq, CancellationToken cancellationToken) =>
        run.RunAsync(async ct =>
        {
            await using var connection = await dialect.OpenAsync(ct);
            var rows = (await connection.QueryAsync<ChangeRow>(new CommandDefinition(
                StoreSql.ChangesAfter, new { AfterSeq = afterSeq }, cancellationToken: ct))).ToList();
            return new StoredChanges(
                rows.Where(r => r.IsRevision).Select(r => r.ToRevision()).ToList(),
                rows.Where(r => r.IsCertification).Select(r => r.ToCertification()).ToList(),
                rows.Where(r => r.IsDecision).Select(r => r.ToDecision()).ToList(),
                rows.Where(r => r.IsMerge).Select(r => r.ToMerge()).ToList());
        }, cancellationToken);

    /// <summary>
    /// One page of the trail, bounded in rows and in bytes (<see cref="AuditPage"/>). The sizes are read first, then
    /// only the rows the page holds, so a page never loads more than itself. Revisions and decisions (one commit
    /// sequence) are merged and cut together, so the next page's <see cref="AuditQuery.AfterSeq"/> misses neither;
    /// refusals are paged on their own sequence. One more size than the limit is read to know whether more follow.
    /// Seqs become visible in commit order (one writer, under its lock), as the follower also relies on, so the rows
    /// through the last sized seq are exactly the sized ones.
    /// </summary>
    public Task<AuditTrail> AuditAsync(string precinctId, AuditQuery query, CancellationToken cancellationToken) =>
        run.RunAsync(async ct =>
        {
            var limit = Math.Clamp(query.Limit, 1, AuditQuery.MaxLimit);
            await using var connection = await dialect.OpenAsync(ct);
            async Task<List<T>> Query<T>(string sql, object parameters) =>
                (await connection.QueryAsync<T>(new CommandDefinition(sql, parameters, cancellationToken: ct))).ToList();

            var changesAfter = new { PrecinctId = precinctId, After = query.AfterSeq, Limit = limit + 1 };
            var changeSizes = (await Query<AuditEntrySize>(StoreSql.RevisionSizesOfPrecinct, changesAfter))
                .Concat(await Query<AuditEntrySize>(StoreSql.DecisionSizesOfPrecinct, changesAfter)).OrderBy(e => e.Seq).ToList();
            var rejectionSizes = await Query<AuditEntrySize>(StoreSql.RejectionSizesOfPrecinct,
                new { PrecinctId = precinctId, After = query.RejectedAfterSeq, Limit = limit + 1 });
            var (changesTaken, rejectionsTaken) = AuditPage.Cut(changeSizes, rejectionSizes, limit, query.MaxBytes);

            var lastChange = changesTaken > 0 ? changeSizes[changesTaken - 1].Seq : query.AfterSeq;
            var lastRejection = rejectionsTaken > 0 ? rejectionSizes[rejectionsTaken - 1].Seq : query.RejectedAfterSeq;
            var changes = new { PrecinctId = precinctId, After = query.AfterSeq, Through = lastChange };
            var revisions = changesTaken > 0 ? await Query<RevisionRow>(StoreSql.RevisionsOfPrecinct, changes) : [];
            var decisions = changesTaken > 0 ? await Query<DecisionRow>(StoreSql.DecisionsOfPrecinct, changes) : [];
            var rejections = rejectionsTaken > 0
                ? await Query<RejectionRow>(StoreSql.RejectionsOfPrecinct, new { PrecinctId = precinctId, After = query.RejectedAfterSeq, Through = lastRejection })
                : [];

            var exact = new Dictionary<long, byte[]>();
            foreach (var r in revisions)
            {
                if (r.RawBytes is { } bytes && !bytes.AsSpan().SequenceEqual(System.Text.Encoding.UTF8.GetBytes(r.RawBody)))
                {
                    exact[r.Seq] = bytes;
                }
            }

            var more = changesTaken < changeSizes.Count || rejectionsTaken < rejectionSizes.Count;
            return new AuditTrail(precinctId, revisions.Select(r => r.ToStored()).ToList(), rejections.Select(r => r.ToStored()).ToList(),
                decisions.Select(d => d.ToStored()).ToList())
            {
                ExactBodies = exact,
                Next = more ? new AuditQuery(lastChange, lastRejection, limit) { MaxBytes = query.MaxBytes } : null,
            };
        }, cancellationToken);

    public Task<IReadOnlyList<StoredGroupMerge>> GroupMergesAsync(CancellationToken cancellationToken) =>
        run.RunAsync<IReadOnlyList<StoredGroupMerge>>(async ct =>
        {
            await using var connection = await dialect.OpenAsync(ct);
            var rows = await connection.QueryAsync<GroupMergeRow>(new CommandDefinition(StoreSql.GroupMerges, cancellationToken: ct));
            return rows.Select(r => r.ToStored()).ToList();
        }, cancellationToken);

    /// <summary>A round trip to the database (readiness).</summary>
    public Task<bool> PingAsync(CancellationToken cancellationToken) =>
        run.RunAsync(async ct =>
        {
            await using var connection = await dialect.OpenAsync(ct);
            return await connection.ExecuteScalarAsync<long>(new CommandDefinition(StoreSql.Ping, cancellationToken: ct)) == 1;
        }, cancellationToken);

    public Task<StoredToken?> TokenByHashAsync(string tokenHash, CancellationToken cancellationToken) =>
        run.RunAsync(async ct =>
        {
            await using var connection = await dialect.OpenAsync(ct);
            var row = await connection.QuerySingleOrDefaultAsync<TokenRow>(new CommandDefinition(
                RevocationSql.TokenByHash, new { TokenHash = tokenHash }, cancellationToken: ct));
            return row?.ToStored();
        }, cancellationToken);

    public Task<IReadOnlyList<TokenListing>> TokenListingsAsync(CancellationToken cancellationToken) =>
        run.RunAsync<IReadOnlyList<TokenListing>>(async ct =>
        {
            await using var connection = await dialect.OpenAsync(ct);
            var rows = await connection.QueryAsync<TokenListingRow>(new CommandDefinition(RevocationSql.TokenListings, cancellationToken: ct));
            return rows.Select(r => r.ToListing()).ToList();
        }, cancellationToken);

    public Task<IReadOnlyList<TokenRevocation>> RevocationsAsync(string sql, object parameters, CancellationToken cancellationToken) =>
        run.RunAsync<IReadOnlyList<TokenRevocation>>(async ct =>
        {
            await using var connection = await dialect.OpenAsync(ct);
            var rows = await connection.QueryAsync<RevocationRow>(new CommandDefinition(sql, parameters, cancellationToken: ct));
            return rows.Select(r => r.ToRevocation()).ToList();
        }, cancellationToken);
}
