using Dapper;

namespace Caucus.Api.Storage;

/// <summary>Texts and phone bindings (schema 0009), written through the same group-commit writer as every other write.</summary>
public partial class CaucusStore : ITextMessageStore
{
    public async Task BindPhoneAsync(PhoneBinding binding, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(binding);
        await _writer.WriteAsync(async w =>
        {
            // A retried batch whose COMMIT went through holds this binding already.
            if (w.Attempt > 0 && await w.Connection.ExecuteScalarAsync<long>(new CommandDefinition(
                    TextMessageSql.BindingExists, binding, w.Transaction, cancellationToken: w.CancellationToken)) > 0)
            {
                return true;
            }
            await w.Connection.ExecuteAsync(new CommandDefinition(TextMessageSql.InsertBinding, binding, w.Transaction,
                cancellationToken: w.CancellationToken));
            return true;
        }, cancellationToken);
    }

    public Task<StoredToken?> FindTokenByPhoneAsync(string phoneHash, CancellationToken cancellationToken = default) =>
        _run.RunAsync(async ct =>
        {
            await using var connection = await _dialect.OpenAsync(ct);
            var row = await connection.QuerySingleOrDefaultAsync<TokenRow>(new CommandDefinition(
                TextMessageSql.TokenByPhone, new { PhoneHash = phoneHash }, cancellationToken: ct));
            return row?.ToStored();
        }, cancellationToken);

    public Task<IReadOnlySet<string>> TokensWithPhonesAsync(CancellationToken cancellationToken = default) =>
        _run.RunAsync<IReadOnlySet<string>>(async ct =>
        {
            await using var connection = await _dialect.OpenAsync(ct);
            var ids = await connection.QueryAsync<string>(new CommandDefinition(TextMessageSql.BoundTokens, cancellationToken: ct));
            return ids.ToHashSet(StringComparer.Ordinal);
        }, cancellationToken);

    public Task<StoredTextMessage?> FindTextAsync(TextGateway gateway, string messageId, CancellationToken cancellationToken = default) =>
        QueryOneAsync(TextMessageSql.TextById, new { Gateway = GatewayName(gateway), MessageId = messageId }, cancellationToken);

    public Task<StoredTextMessage?> LatestTextAsync(string phoneHash, CancellationToken cancellationToken = default) =>
        QueryOneAsync(TextMessageSql.LatestOfPhone, new { PhoneHash = phoneHash }, cancellationToken);

    public Task<IReadOnlyList<StoredTextMessage>> TextsOfPrecinctAsync(string precinctId, int limit, CancellationToken cancellationToken = default) =>
        _run.RunAsync<IReadOnlyList<StoredTextMessage>>(async ct =>
        {
            await using var connection = await _dialect.OpenAsync(ct);
            var rows = await connection.QueryAsync<TextMessageRow>(new CommandDefinition(TextMessageSql.OfPrecinct,
                new { PrecinctId = precinctId, Limit = limit }, cancellationToken: ct));
            return [.. rows.Select(r => r.ToStored())];
        }, cancellationToken);

    public async Task<StoredTextMessage> AppendTextAsync(NewTextMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var key = new { Gateway = GatewayName(message.Gateway), message.MessageId };
        return await _writer.WriteAsync(async w =>
        {
            // The gateway's retry of a message (or this batch retried after its COMMIT went through) finds the first.
            var existing = await w.Connection.QuerySingleOrDefaultAsync<TextMessageRow>(new CommandDefinition(
                TextMessageSql.TextById, key, w.Transaction, cancellationToken: w.CancellationToken));
            if (existing is not null) return existing.ToStored();
            await w.Connection.ExecuteAsync(new CommandDefinition(TextMessageSql.InsertText, new
            {
                key.Gateway,
                message.MessageId,
                message.PhoneHash,
                message.TokenId,
                message.PrecinctId,
                Kind = message.Kind.ToString().ToLowerInvariant(),
                message.Body,
                RequestHash = Hashing.Sha256Hex(message.Request),
                message.Request,
                message.ReportBody,
                message.ConfirmsSeq,
                message.RevisionSeq,
                message.Reply,
                message.ReceivedAt,
            }, w.Transaction, cancellationToken: w.CancellationToken));
            var stored = await w.Connection.QuerySingleAsync<TextMessageRow>(new CommandDefinition(
                TextMessageSql.TextById, key, w.Transaction, cancellationToken: w.CancellationToken));
            return stored.ToStored();
        }, cancellationToken);
    }

    private Task<StoredTextMessage?> QueryOneAsync(string sql, object parameters, CancellationToken cancellationToken) =>
        _run.RunAsync(async ct =>
        {
            await using var connection = await _dialect.OpenAsync(ct);
            var row = await connection.QuerySingleOrDefaultAsync<TextMessageRow>(new CommandDefinition(sql, parameters, cancellationToken: ct));
            return row?.ToStored();
        }, cancellationToken);

    private static string GatewayName(TextGateway gateway) => gateway.ToString().ToLowerInvariant();
}

/// <summary>A <c>text_messages</c> row as Dapper reads it.</summary>
internal sealed class TextMessageRow
{
    public long Seq { get; set; }
    public string Gateway { get; set; } = "";
    public string MessageId { get; set; } = "";
    public string PhoneHash { get; set; } = "";
    public string TokenId { get; set; } = "";
    public string PrecinctId { get; set; } = "";
    public string Kind { get; set; } = "";
    public byte[] Body { get; set; } = [];
    public byte[] Request { get; set; } = [];
    public string RequestHash { get; set; } = "";
    public string? ReportBody { get; set; }
    public long? ConfirmsSeq { get; set; }
    public long? RevisionSeq { get; set; }
    public string Reply { get; set; } = "";
    public DateTimeOffset ReceivedAt { get; set; }

    public StoredTextMessage ToStored() => new(Seq, new NewTextMessage(
        Enum.Parse<TextGateway>(Gateway, ignoreCase: true), MessageId, PhoneHash, TokenId, PrecinctId,
        Enum.Parse<TextKind>(Kind, ignoreCase: true), Body, Request, ReportBody, ConfirmsSeq, RevisionSeq, Reply, ReceivedAt), RequestHash);
}
