using Caucus.Api.Storage;

namespace Caucus.Api.Sms;

/// <summary>A text as a gateway delivered it: who sent it, its words, the gateway's id for it, and the request byte-exact.</summary>
public sealed record InboundText(TextGateway Gateway, string MessageId, string From, string Text, byte[] Request);
