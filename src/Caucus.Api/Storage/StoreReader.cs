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

    public Task<AuditTrail> AuditAsync(string precinctId, CancellationToken cancellationToken) =>
        run.RunAsync(async ct =>
        {
            await using var connection = await dialect.OpenAsync(ct);
            var revisions = await connection.QueryAsync<RevisionRow>(new CommandDefinition(
                StoreSql.RevisionsOfPrecinct, new { PrecinctId = precinctId }, cancellationToken: ct));
            var rejections = await connection.QueryAsync<RejectionRow>(new CommandDefinition(
                StoreSql.RejectionsOfPrecinct, new { PrecinctId = precinctId }, cancellationToken: ct));
            var decisions = await connection.QueryAsync<DecisionRow>(new CommandDefinition(
                StoreSql.DecisionsOfPrecinct, new { PrecinctId = precinctId }, cancellationToken: ct));
            return new AuditTrail(precinctId, revisions.Select(r => r.ToStored()).ToList(), rejections.Select(r => r.ToStored()).ToList(),
                decisions.Select(d => d.ToStored()).ToList());
        }, cancellationToken);

    public Task<StoredToken?> TokenByHashAsync(string tokenHash, CancellationToken cancellationToken) =>
        run.RunAsync(async ct =>
        {
            await using var connection = await dialect.OpenAsync(ct);
            var row = await connection.QuerySingleOrDefaultAsync<TokenRow>(new CommandDefinition(
                StoreSql.TokenByHash, new { TokenHash = tokenHash }, cancellationToken: ct));
            return row?.ToStored();
        }, cancellationToken);
}
