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
                rows.Where(r => !r.IsRevision && !r.IsCertification).Select(r => r.ToDecision()).ToList());
        }, cancellationToken);

    /// <summary>
    /// One page of the trail. Revisions and decisions (one commit sequence) are merged and cut at the limit, so the
    /// next page's <see cref="AuditQuery.AfterSeq"/> misses neither; refusals are paged on their own sequence.
    /// One more row than the limit is read to know whether another page follows.
    /// </summary>
    public Task<AuditTrail> AuditAsync(string precinctId, AuditQuery query, CancellationToken cancellationToken) =>
        run.RunAsync(async ct =>
        {
            var limit = Math.Clamp(query.Limit, 1, AuditQuery.MaxLimit);
            await using var connection = await dialect.OpenAsync(ct);
            var changes = new { PrecinctId = precinctId, After = query.AfterSeq, Limit = limit + 1 };
            var revisions = (await connection.QueryAsync<RevisionRow>(new CommandDefinition(
                StoreSql.RevisionsOfPrecinct, changes, cancellationToken: ct))).ToList();
            var decisions = (await connection.QueryAsync<DecisionRow>(new CommandDefinition(
                StoreSql.DecisionsOfPrecinct, changes, cancellationToken: ct))).ToList();
            var rejections = (await connection.QueryAsync<RejectionRow>(new CommandDefinition(
                StoreSql.RejectionsOfPrecinct, new { PrecinctId = precinctId, After = query.RejectedAfterSeq, Limit = limit + 1 },
                cancellationToken: ct))).ToList();

            // The first `limit` commit-sequence entries of both lists together.
            var seqs = revisions.Select(r => r.Seq).Concat(decisions.Select(d => d.Seq)).Order().ToList();
            var moreChanges = seqs.Count > limit;
            var lastChange = moreChanges ? seqs[limit - 1] : long.MaxValue;
            var pageRevisions = revisions.Where(r => r.Seq <= lastChange).ToList();
            var pageDecisions = decisions.Where(d => d.Seq <= lastChange).ToList();
            var moreRejections = rejections.Count > limit;
            var pageRejections = rejections.Take(limit).ToList();

            var exact = new Dictionary<long, byte[]>();
            foreach (var r in pageRevisions)
            {
                if (r.RawBytes is { } bytes && !bytes.AsSpan().SequenceEqual(System.Text.Encoding.UTF8.GetBytes(r.RawBody)))
                {
                    exact[r.Seq] = bytes;
                }
            }

            return new AuditTrail(precinctId, pageRevisions.Select(r => r.ToStored()).ToList(), pageRejections.Select(r => r.ToStored()).ToList(),
                pageDecisions.Select(d => d.ToStored()).ToList())
            {
                ExactBodies = exact,
                Next = moreChanges || moreRejections
                    ? new AuditQuery(
                        moreChanges ? lastChange : Math.Max(query.AfterSeq, seqs.Count > 0 ? seqs[^1] : 0),
                        pageRejections.Count > 0 ? pageRejections[^1].Seq : query.RejectedAfterSeq,
                        limit)
                    : null,
            };
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
