namespace Caucus.Api.Sms;

/// <summary>
/// The SMS gateway (<c>Caucus:Sms:*</c>). The webhook is off until one of the two secrets is set: with neither, nobody
/// can prove a request came from the gateway, so none is read.
/// </summary>
public sealed class SmsOptions
{
    /// <summary>Twilio's auth token: every request must carry a valid <c>X-Twilio-Signature</c> made with it.</summary>
    public string? TwilioAuthToken { get; set; }

    /// <summary>The generic JSON form's shared secret: every request must carry <c>X-Caucus-Signature: sha256=</c> its HMAC.</summary>
    public string? SharedSecret { get; set; }

    /// <summary>
    /// The webhook's address as the gateway calls it (Twilio signs the URL it called). Behind a proxy that rewrites the
    /// scheme or host, set it; by default it is the address the request arrived at.
    /// </summary>
    public string? PublicUrl { get; set; }

    /// <summary>
    /// The key phone numbers are hashed with. A phone number has few enough digits to be guessed from a plain hash, so it
    /// is keyed; keep it with the database's backups (numbers bound under another key are not found). Defaults to the
    /// first secret set above.
    /// </summary>
    public string? PhoneHashKey { get; set; }

    /// <summary>Twilio's account SID: with it, MMS photos are fetched with the account's credentials (Twilio's media auth).</summary>
    public string? TwilioAccountSid { get; set; }

    /// <summary>
    /// The hosts an MMS photo is fetched from (Twilio's media URLs are on api.twilio.com). Any other address in a
    /// signed request is not fetched: the webhook never becomes a way to make this server call elsewhere.
    /// </summary>
    public string[] MediaHosts { get; set; } = ["api.twilio.com"];

    /// <summary>How long a read-back waits for its YES.</summary>
    public int ConfirmWithinMinutes { get; set; } = 30;

    public bool Enabled => !string.IsNullOrEmpty(TwilioAuthToken) || !string.IsNullOrEmpty(SharedSecret);

    public string HashKey => PhoneHashKey ?? TwilioAuthToken ?? SharedSecret ?? "";
}
