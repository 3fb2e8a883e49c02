using Caucus.Api.Storage;

namespace Caucus.Api.Sms;

/// <summary>
/// A text as a gateway delivered it: who sent it, its words, the gateway's id for it, the request byte-exact, and the
/// photos of an MMS (Twilio gives their addresses; the generic form carries the bytes).
/// </summary>
public sealed record InboundText(TextGateway Gateway, string MessageId, string From, string Text, byte[] Request)
{
    public IReadOnlyList<InboundMedia> Media { get; init; } = [];

    /// <summary>What the reply says first (an MMS's "Photo received"), before the reply to the words.</summary>
    public string ReplyPrefix { get; init; } = "";
}

/// <summary>One photo of an MMS: where the gateway keeps it, or its bytes.</summary>
public sealed record InboundMedia(Uri? Url, byte[]? Bytes);
