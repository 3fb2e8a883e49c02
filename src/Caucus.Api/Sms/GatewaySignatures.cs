using System.Security.Cryptography;
using System.Text;

namespace Caucus.Api.Sms;

/// <summary>
/// The two ways a gateway proves a request is its own. Twilio: base64 HMAC-SHA1, keyed by the account's auth token, of
/// the URL it called followed by every POST parameter's name and value sorted by name (Twilio's "Validating requests").
/// The generic form: hex HMAC-SHA256 of the raw body, keyed by the shared secret, as <c>sha256=&lt;hex&gt;</c>.
/// Both compared in constant time.
/// </summary>
public static class GatewaySignatures
{
    public const string TwilioHeader = "X-Twilio-Signature";
    public const string GenericHeader = "X-Caucus-Signature";

    public static string Twilio(string url, IEnumerable<KeyValuePair<string, string>> parameters, string authToken)
    {
        var data = new StringBuilder(url);
        foreach (var (name, value) in parameters.OrderBy(p => p.Key, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal))
        {
            data.Append(name).Append(value);
        }
#pragma warning disable CA5350 // Twilio's signature is HMAC-SHA1 by its definition; we verify it, we do not choose it.
        return Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(authToken), Encoding.UTF8.GetBytes(data.ToString())));
#pragma warning restore CA5350
    }

    public static string Generic(ReadOnlySpan<byte> body, string secret) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    public static bool Same(string? given, string expected) =>
        given is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected));
}
