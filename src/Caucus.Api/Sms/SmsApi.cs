using System.Text;
using System.Text.Json;
using System.Xml;
using Caucus.Api.Infrastructure;
using Caucus.Api.Photos;
using Caucus.Api.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;

namespace Caucus.Api.Sms;

/// <summary>
/// POST /api/v1/sms/inbound — the SMS gateway's webhook (README, "Reporting by text message"). Twilio's form-encoded
/// webhook (signed with <c>X-Twilio-Signature</c>, answered in TwiML) or the generic JSON form <c>{"id", "from", "text"}</c>
/// (signed with <c>X-Caucus-Signature</c>, answered <c>{"reply"}</c>). Off (404) until a secret is configured; a request
/// without a valid signature is refused (403) and counted, and nothing of it is stored.
/// </summary>
public static class SmsApi
{
    /// <summary>Twilio's request is a few hundred bytes (an MMS's photos are addresses); this leaves room for long texts.</summary>
    public const int RequestLimitBytes = 16 * 1024;

    /// <summary>The generic form carries an MMS's photo itself, base64 in <c>photo</c>.</summary>
    public const int GenericRequestLimitBytes = RequestLimitBytes + PhotoIntake.MaxBytes / 3 * 4 + 4;

    public static RouteGroupBuilder MapSms(this RouteGroupBuilder group)
    {
        group.WithTags("SMS");
        group.MapPost("/inbound", Inbound).AllowAnonymous()
            .Accepts<GenericText>("application/json", "application/x-www-form-urlencoded")
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .WithSummary("A text from the SMS gateway: a report from a captain's registered phone, read back, sent on YES.");
        return group;
    }

    /// <summary>The generic gateway's JSON form; <c>photo</c>: an MMS's image, base64.</summary>
    public sealed record GenericText(string Id, string From, string Text, string? Photo);

    public sealed record GenericReply(string Reply);

    private static async Task<IResult> Inbound(HttpContext context, SmsOptions options, TextInbox inbox, SmsMetrics metrics)
    {
        if (!options.Enabled) return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "SMS is not configured",
            detail: "Set Caucus:Sms:TwilioAuthToken or Caucus:Sms:SharedSecret to take texts.");
        var media = context.Request.ContentType ?? "";
        var json = media.StartsWith("application/json", StringComparison.OrdinalIgnoreCase);
        var limit = json ? GenericRequestLimitBytes : RequestLimitBytes;
        var body = await RequestBody.ReadBytesAsync(context.Request, limit, context.RequestAborted);
        if (body.TooLarge)
        {
            metrics.Refused(SmsRefusal.Malformed);
            return TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Request too large",
                detail: $"A gateway request is at most {limit} bytes.");
        }
        if (media.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            return await TwilioAsync(context, options, inbox, metrics, body);
        }
        if (json)
        {
            return await GenericAsync(context, options, inbox, metrics, body);
        }
        metrics.Refused(SmsRefusal.Malformed);
        return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type",
            detail: "Twilio's form (application/x-www-form-urlencoded) or the generic JSON form (application/json).");
    }

    private static async Task<IResult> TwilioAsync(HttpContext context, SmsOptions options, TextInbox inbox, SmsMetrics metrics, BodyBytes body)
    {
        var bytes = body.Bytes;
        var fields = QueryHelpers.ParseQuery(body.Text);
        var parameters = fields.SelectMany(f => f.Value.Select(v => new KeyValuePair<string, string>(f.Key, v ?? "")));
        var url = options.PublicUrl ?? $"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}{context.Request.Path}{context.Request.QueryString}";
        if (options.TwilioAuthToken is not { Length: > 0 } token
            || !GatewaySignatures.Same(context.Request.Headers[GatewaySignatures.TwilioHeader].ToString(), GatewaySignatures.Twilio(url, parameters, token)))
        {
            return Unsigned(metrics, GatewaySignatures.TwilioHeader);
        }
        string? Field(string name) => fields.TryGetValue(name, out var v) && v.Count == 1 ? v[0] : null;
        var missing = new[] { "MessageSid", "From", "Body" }.FirstOrDefault(f => Field(f) is null);
        if (missing is not null) return Malformed(metrics, missing, $"{missing} is required, once.");
        var count = int.TryParse(Field("NumMedia"), out var n) ? Math.Clamp(n, 0, 10) : 0;
        var photos = new List<InboundMedia>();
        for (var i = 0; i < count; i++)
        {
            if (!Uri.TryCreate(Field($"MediaUrl{i}"), UriKind.Absolute, out var address)) return Malformed(metrics, $"MediaUrl{i}", $"MediaUrl{i} must be the photo's address.");
            photos.Add(new InboundMedia(address, null));
        }
        var reply = await inbox.ReceiveAsync(new InboundText(TextGateway.Twilio, Field("MessageSid")!, Field("From")!, Field("Body")!, bytes) { Media = photos },
            context.RequestAborted);
        return TypedResults.Text(TwiMl(reply), "text/xml", Encoding.UTF8);
    }

    private static async Task<IResult> GenericAsync(HttpContext context, SmsOptions options, TextInbox inbox, SmsMetrics metrics, BodyBytes body)
    {
        var bytes = body.Bytes;
        if (options.SharedSecret is not { Length: > 0 } secret
            || !GatewaySignatures.Same(context.Request.Headers[GatewaySignatures.GenericHeader].ToString(), GatewaySignatures.Generic(bytes, secret)))
        {
            return Unsigned(metrics, GatewaySignatures.GenericHeader);
        }
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var fields = JsonText.ReadStringFields(new BodyText(body.Text, false, body.Invalid), GenericRequestLimitBytes, ["id", "from", "text", "photo"], errors);
        if (fields is null) return Malformed(metrics, errors.Keys.FirstOrDefault() ?? "body", string.Join(" ", errors.Values.SelectMany(v => v)));
        var missing = new[] { "id", "from", "text" }.FirstOrDefault(f => fields.GetValueOrDefault(f) is null);
        if (missing is not null) return Malformed(metrics, missing, $"{missing} is required: a string.");
        List<InboundMedia> photos = [];
        if (fields.GetValueOrDefault("photo") is { } photo)
        {
            var decoded = new byte[photo.Length / 4 * 3 + 3];
            if (!Convert.TryFromBase64String(photo, decoded, out var length)) return Malformed(metrics, "photo", "photo must be the image's bytes in base64.");
            photos.Add(new InboundMedia(null, decoded[..length]));
        }
        var reply = await inbox.ReceiveAsync(new InboundText(TextGateway.Generic, fields["id"]!, fields["from"]!, fields["text"]!, bytes) { Media = photos },
            context.RequestAborted);
        return TypedResults.Ok(new GenericReply(reply));
    }

    private static ProblemHttpResult Unsigned(SmsMetrics metrics, string header)
    {
        metrics.Refused(SmsRefusal.Signature);
        return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not signed by the gateway",
            detail: $"The request has no valid {header}: it was not read.");
    }

    private static ValidationProblem Malformed(SmsMetrics metrics, string field, string message)
    {
        metrics.Refused(SmsRefusal.Malformed);
        return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, title: "Not a text the gateway could have sent");
    }

    /// <summary>TwiML with one message, in UTF-8 as served; characters XML cannot carry (a control character echoed from a text) are dropped.</summary>
    internal static string TwiMl(string reply)
    {
        var clean = new string([.. reply.Where(XmlConvert.IsXmlChar)]);
        using var stream = new MemoryStream();
        using (var writer = XmlWriter.Create(stream, new XmlWriterSettings { Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false) }))
        {
            writer.WriteStartElement("Response");
            writer.WriteElementString("Message", clean);
            writer.WriteEndElement();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
