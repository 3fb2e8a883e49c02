namespace Caucus.Api.Storage;

/// <summary>The gateway a text came through: Twilio's signed form webhook, or the generic JSON form with a shared secret.</summary>
public enum TextGateway
{
    Twilio,
    Generic,
}

/// <summary>What a stored text was: a report (read back, waiting for YES), the YES that sent one, or anything else.</summary>
public enum TextKind
{
    Report,
    Confirm,
    Other,
}

/// <summary>A phone number's binding to a precinct credential (schema 0009): the number only as its keyed hash.</summary>
public sealed record PhoneBinding(string PhoneHash, string TokenId, string BoundBy, DateTimeOffset BoundAt);

/// <summary>A text from a bound number, as it is to be stored (schema 0009, <c>text_messages</c>).</summary>
public sealed record NewTextMessage(
    TextGateway Gateway,
    string MessageId,
    string PhoneHash,
    string TokenId,
    string PrecinctId,
    TextKind Kind,
    byte[] Body,
    byte[] Request,
    string? ReportBody,
    long? ConfirmsSeq,
    long? RevisionSeq,
    string Reply,
    DateTimeOffset ReceivedAt);

/// <summary>A stored text: its seq, and the request's hash (<c>body_hash</c>, as revisions keep theirs).</summary>
public sealed record StoredTextMessage(long Seq, NewTextMessage Message, string RequestHash);

/// <summary>Texts, byte-exact with their replies, and the phone numbers bound to credentials (issue 24).</summary>
public interface ITextMessageStore
{
    Task BindPhoneAsync(PhoneBinding binding, CancellationToken cancellationToken = default);

    /// <summary>The credential the number was last bound to, with its revocation if any; null for a number never bound.</summary>
    Task<StoredToken?> FindTokenByPhoneAsync(string phoneHash, CancellationToken cancellationToken = default);

    /// <summary>Whether a phone number is bound to each of these credentials now (its latest binding is to it).</summary>
    Task<IReadOnlySet<string>> TokensWithPhonesAsync(CancellationToken cancellationToken = default);

    /// <summary>The message a gateway sent before under this id (its retry finds the first answer).</summary>
    Task<StoredTextMessage?> FindTextAsync(TextGateway gateway, string messageId, CancellationToken cancellationToken = default);

    /// <summary>The number's latest stored text.</summary>
    Task<StoredTextMessage?> LatestTextAsync(string phoneHash, CancellationToken cancellationToken = default);

    /// <summary>Stores a text; a gateway id already stored (a retry racing the first) answers the stored one.</summary>
    Task<StoredTextMessage> AppendTextAsync(NewTextMessage message, CancellationToken cancellationToken = default);

    /// <summary>A precinct's texts, newest first (its audit trail).</summary>
    Task<IReadOnlyList<StoredTextMessage>> TextsOfPrecinctAsync(string precinctId, int limit, CancellationToken cancellationToken = default);
}
