using System.Net;
using System.Text;
using Caucus.Api.Sms;
using Caucus.Api.Tests.Http;

namespace Caucus.Api.Tests.Sms;

/// <summary>
/// An SMS gateway as the webhook sees one, over real HTTP: Twilio's form-encoded webhook signed with the auth token
/// (HMAC-SHA1 of the URL and the sorted fields), or the generic JSON form signed with the shared secret.
/// </summary>
public sealed class FakeGateway(ApiClient api, string authToken, string sharedSecret, string? signedUrl = null)
{
    public const string Path = "/api/v1/sms/inbound";

    /// <summary>A fresh message id, as Twilio gives each message (unique across the tests sharing a store).</summary>
    public static string NextSid() => $"SM{Guid.NewGuid():N}";

    /// <summary>Twilio's webhook for one text; the reply is the TwiML's message.</summary>
    public async Task<(HttpStatusCode Status, string Reply, string Raw)> TextAsync(string from, string body, string? sid = null, string? signature = null,
        IEnumerable<KeyValuePair<string, string>>? extra = null)
    {
        List<KeyValuePair<string, string>> fields =
        [
            new("MessageSid", sid ?? NextSid()), new("AccountSid", "AC00000000000000000000000000000000"),
            new("From", from), new("To", "+15155550000"), new("Body", body), new("NumMedia", "0"),
        ];
        foreach (var field in extra ?? [])
        {
            fields.RemoveAll(f => f.Key == field.Key);
            fields.Add(field);
        }
        return await PostFormAsync(fields, signature);
    }

    public async Task<(HttpStatusCode Status, string Reply, string Raw)> PostFormAsync(IReadOnlyList<KeyValuePair<string, string>> fields, string? signature = null)
    {
        // Twilio signs the address it called: a proxy in front may make it another than the one the request reaches.
        var url = signedUrl ?? new Uri(api.Http.BaseAddress!, Path).ToString();
        using var request = new HttpRequestMessage(HttpMethod.Post, Path) { Content = new FormUrlEncodedContent(fields) };
        request.Headers.TryAddWithoutValidation(GatewaySignatures.TwilioHeader, signature ?? GatewaySignatures.Twilio(url, fields, authToken));
        using var response = await api.Http.SendAsync(request);
        var raw = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, MessageOf(raw), raw);
    }

    /// <summary>The generic JSON form; the reply is its <c>reply</c>.</summary>
    public async Task<(HttpStatusCode Status, string Reply)> JsonAsync(string json, string? signature = null)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        using var request = new HttpRequestMessage(HttpMethod.Post, Path) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.TryAddWithoutValidation(GatewaySignatures.GenericHeader, signature ?? GatewaySignatures.Generic(bytes, sharedSecret));
        using var response = await api.Http.SendAsync(request);
        var raw = await response.Content.ReadAsStringAsync();
        var reply = response.StatusCode == HttpStatusCode.OK ? System.Text.Json.JsonDocument.Parse(raw).RootElement.GetProperty("reply").GetString()! : raw;
        return (response.StatusCode, reply);
    }

    private static string MessageOf(string raw)
    {
        try
        {
            return System.Xml.Linq.XDocument.Parse(raw).Root?.Element("Message")?.Value ?? raw;
        }
        catch (System.Xml.XmlException)
        {
            return raw;
        }
    }
}
