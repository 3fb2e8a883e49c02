using System.Net;
using Caucus.Api.Sms;
using Caucus.Api.Tests.Http;
using Caucus.Api.Tests.Infrastructure;
using CsCheck;
using Microsoft.Extensions.DependencyInjection;

namespace Caucus.Api.Tests.Sms;

/// <summary>
/// The SMS webhook over real HTTP against a fake gateway: signatures, the bound phone, read-back and YES, retries,
/// unknown numbers, certification, the generic form, re-binding, and a fuzz that never meets a 5xx.
/// </summary>
public abstract class SmsWebhookTests(ApiHost host)
{
    public const string AuthToken = "twilio-test-auth-token";
    public const string SharedSecret = "generic-gateway-shared-secret";
    private const string Captain = "+1 (515) 555-0101";
    internal const string Adair = "adair/1nw-adair";
    internal const string Text = "ADR1NW A40 F BID6 BUT8 KLO8 SAN9 WAR9 L BID6 BUT8 KLO8 SAN9 WAR9";

    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["Caucus:Sms:TwilioAuthToken"] = AuthToken,
        ["Caucus:Sms:SharedSecret"] = SharedSecret,
    };

    internal static readonly IReadOnlyDictionary<string, string?> SmsSettings = Settings;

    private ApiInstance Start() => host.StartInstance(settings: Settings);

    internal static async Task<string> IssueWithPhoneAsync(ApiClient api, string precinct, string phone)
    {
        var response = await api.PostAsync("/api/v1/admin/tokens", $$"""{"role":"precinct","precinct":"{{precinct}}","phone":"{{phone}}"}""");
        Assert.True(response.Status == HttpStatusCode.Created, response.ToString());
        return response.Json.GetProperty("id").GetString()!;
    }

    [Fact]
    public async Task The_webhook_is_off_until_a_gateway_secret_is_configured()
    {
        await using var instance = host.StartInstance();
        var gateway = new FakeGateway(instance.Client, AuthToken, SharedSecret);
        var (status, _, _) = await gateway.TextAsync(Captain, Text);
        Assert.Equal(HttpStatusCode.NotFound, status);
    }

    [Fact]
    public async Task A_text_is_read_back_and_counts_only_after_YES_as_the_captain_and_a_retried_YES_sends_it_once()
    {
        await using var instance = Start();
        var api = instance.Client;
        var credential = await IssueWithPhoneAsync(api, Adair, Captain);
        var gateway = new FakeGateway(api, AuthToken, SharedSecret);

        var (status, reply, raw) = await gateway.TextAsync("+15155550101", Text);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.StartsWith("<?xml version=\"1.0\" encoding=\"utf-8\"?><Response><Message>", raw);
        Assert.StartsWith("You sent 1NW ADAIR (Adair): 40 attended. First: Biden 6, Buttigieg 8, Klobuchar 8, Sanders 9, Warren 9.", reply);
        Assert.Contains("Delegates: ", reply);
        Assert.EndsWith(ReadBack.Confirm, reply);
        Assert.False((await api.GetAsync(ApiClient.PrecinctPath(Adair))).Json.GetProperty("reported").GetBoolean());

        var yesSid = FakeGateway.NextSid();
        var (_, sent, _) = await gateway.TextAsync("+15155550101", "yes", yesSid);
        Assert.Equal("Sent: 1NW ADAIR (Adair), revision 1. Thank you.", sent);
        var precinct = (await api.GetAsync(ApiClient.PrecinctPath(Adair))).Json;
        Assert.True(precinct.GetProperty("reported").GetBoolean());
        Assert.Equal("captain", precinct.GetProperty("counted").GetProperty("source").GetString());
        Assert.Equal(9, precinct.GetProperty("counted").GetProperty("final").GetProperty("Warren").GetInt32());
        Assert.Equal("ADR1NW", precinct.GetProperty("smsCode").GetString());

        // The gateway retries the YES (it did not get our answer): the same reply, no second revision.
        var (_, again, _) = await gateway.TextAsync("+15155550101", "yes", yesSid);
        Assert.Equal(sent, again);
        Assert.Equal(1, await host.ScalarAsync("SELECT COUNT(*) FROM revisions WHERE precinct_id = @p", new { p = Adair }));

        // Both texts are kept byte-exact with the number's hash, never the number.
        Assert.Equal(2, await host.ScalarAsync("SELECT COUNT(*) FROM text_messages WHERE token_id = @credential", new { credential }));
        Assert.Equal(1, await host.ScalarAsync("SELECT COUNT(*) FROM text_messages WHERE token_id = @credential AND body = @b",
            new { credential, b = System.Text.Encoding.UTF8.GetBytes(Text) }));
        Assert.Equal(0, await host.ScalarAsync("SELECT COUNT(*) FROM text_messages WHERE phone_hash LIKE '%5155550101%'"));
        var audit = (await api.GetAsync(ApiClient.AuditPath(Adair))).Json;
        var texts = audit.GetProperty("texts").EnumerateArray().Where(t => t.GetProperty("actor").GetString() == credential).ToList();
        Assert.Equal(["confirm", "report"], texts.Select(t => t.GetProperty("kind").GetString()!).ToArray());
        Assert.Equal(Text, texts[1].GetProperty("text").GetString());
        Assert.Contains("Body=ADR1NW", System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(texts[1].GetProperty("requestBase64").GetString()!)).Replace('+', ' '));
        Assert.Equal(sent, texts[0].GetProperty("reply").GetString());
        Assert.Equal(texts[1].GetProperty("seq").GetInt64(), texts[0].GetProperty("confirms").GetInt64());
    }

    [Fact]
    public async Task A_text_naming_a_tie_winner_records_the_toss_and_a_wrong_text_is_answered_with_what_is_wrong()
    {
        await using var instance = Start();
        var api = instance.Client;
        await IssueWithPhoneAsync(api, "adair/3sw-fontanelle", "+15155550102");
        var gateway = new FakeGateway(api, AuthToken, SharedSecret);

        var (_, untied, _) = await gateway.TextAsync("+15155550102", "ADR3SW A20 F BID10 SAN10 L BID10 SAN10");
        Assert.Contains("Tie: ", untied);
        var (_, wrong, _) = await gateway.TextAsync("+15155550102", "ADR3SW A20 F BID10 SAN L BID10 SAN10");
        Assert.Equal("SAN: no number after it. Nothing was sent.", wrong);
        var (_, other, _) = await gateway.TextAsync("+15155550102", Text);
        Assert.StartsWith("This phone reports for 3SW FONTANELLE (Adair), code ADR3SW; the text starts with ADR1NW.", other);

        var (_, tossed, _) = await gateway.TextAsync("+15155550102", "ADR3SW A20 F BID10 SAN10 L BID10 SAN10 T SAN");
        Assert.Contains("Chance won by Sanders.", tossed);
        Assert.DoesNotContain("Tie: ", tossed);
        await gateway.TextAsync("+15155550102", "YES");
        var allocation = (await api.GetAsync(ApiClient.PrecinctPath("adair/3sw-fontanelle"))).Json.GetProperty("allocation");
        Assert.Contains("\"Sanders\"", allocation.ToString());
        Assert.False((await api.GetAsync(ApiClient.PrecinctPath("adair/3sw-fontanelle"))).Json.GetProperty("flags").GetProperty("pendingTieBreak").GetBoolean());
    }

    [Fact]
    public async Task Unsigned_requests_and_unknown_numbers_are_counted_and_nothing_of_them_is_stored()
    {
        await using var instance = Start();
        var api = instance.Client;
        var gateway = new FakeGateway(api, AuthToken, SharedSecret);
        var metrics = instance.Services.GetRequiredService<SmsMetrics>();

        var (forged, _, _) = await gateway.TextAsync("+15155550101", Text, signature: "AAAAAAAAAAAAAAAAAAAAAAAAAAA=");
        Assert.Equal(HttpStatusCode.Forbidden, forged);
        var (wrongSecret, _) = await new FakeGateway(api, AuthToken, "not-the-secret").JsonAsync("""{"id":"g1","from":"+15155550101","text":"hi"}""");
        Assert.Equal(HttpStatusCode.Forbidden, wrongSecret);
        Assert.Equal(2, metrics.RefusedCount(SmsRefusal.Signature));

        var (status, reply, _) = await gateway.TextAsync("+15155559999", Text);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(TextInbox.UnknownNumber, reply);
        Assert.Equal(1, metrics.RefusedCount(SmsRefusal.UnknownNumber));
        Assert.Equal(0, await host.ScalarAsync("SELECT COUNT(*) FROM text_messages WHERE phone_hash = @hash",
            new { hash = PhoneNumbers.Hash("+15155559999", AuthToken) }));
    }

    [Fact]
    public async Task The_generic_gateway_form_works_like_Twilios_and_a_number_rebound_by_an_admin_reports_for_its_new_precinct()
    {
        await using var instance = Start();
        var api = instance.Client;
        await IssueWithPhoneAsync(api, Adair, "+15155550103");
        var fontanelle = await api.IssueCredentialAsync("precinct", "adair/3sw-fontanelle");
        var gateway = new FakeGateway(api, AuthToken, SharedSecret);

        var (status, reply) = await gateway.JsonAsync($$"""{"id":"g-1","from":"+15155550103","text":"{{Text}}"}""");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.StartsWith("You sent 1NW ADAIR (Adair)", reply);

        var captain = await api.IssueTokenAsync("precinct", Adair);
        Assert.Equal(HttpStatusCode.Forbidden, (await api.SendAsync(HttpMethod.Put, $"/api/v1/admin/tokens/{fontanelle.Id}/phone", captain,
            """{"phone":"+15155550103"}""", [])).Status);
        var bad = await api.SendAsync(HttpMethod.Put, $"/api/v1/admin/tokens/{fontanelle.Id}/phone", ApiFactory.AdminToken, """{"phone":"call me"}""", []);
        Assert.Equal(HttpStatusCode.BadRequest, bad.Status);
        Assert.True(bad.Json.GetProperty("errors").TryGetProperty("phone", out _), bad.ToString());
        Assert.Equal(HttpStatusCode.NoContent, (await api.SendAsync(HttpMethod.Put, $"/api/v1/admin/tokens/{fontanelle.Id}/phone", ApiFactory.AdminToken,
            """{"phone":"515-555-0103"}""", [])).Status);

        var (_, moved) = await gateway.JsonAsync($$"""{"id":"g-2","from":"+15155550103","text":"{{Text}}"}""");
        Assert.StartsWith("This phone reports for 3SW FONTANELLE (Adair)", moved);
    }

    [Fact]
    public async Task An_MMS_photo_is_kept_for_the_precinct_from_the_gateways_media_host_only_and_a_generic_form_carries_its_photo()
    {
        using var media = new MediaServer();
        await using var instance = host.StartInstance(settings: new Dictionary<string, string?>(Settings) { ["Caucus:Sms:MediaHosts:0"] = "127.0.0.1" });
        var api = instance.Client;
        const string precinct = "adair/5gf-greenfield";
        await IssueWithPhoneAsync(api, precinct, "+15155550106");
        var gateway = new FakeGateway(api, AuthToken, SharedSecret);
        var sheet = Photos.TestImages.Png();

        var (status, reply, _) = await gateway.TextAsync("+15155550106", "", extra:
            [new("NumMedia", "1"), new("MediaUrl0", media.Add("sheet.png", sheet).ToString()), new("MediaContentType0", "image/png")]);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Photo received for 5GF GREENFIELD (Adair).", reply);
        var photos = (await api.GetAsync(ApiClient.PrecinctPath(precinct) + "/photos")).Json.GetProperty("photos");
        Assert.Equal("mms", photos[0].GetProperty("channel").GetString());

        var (_, elsewhere, _) = await gateway.TextAsync("+15155550106", "", extra:
            [new("NumMedia", "1"), new("MediaUrl0", "http://169.254.169.254/latest/meta-data"), new("MediaContentType0", "image/png")]);
        Assert.Equal("Photo not kept: the photo's address is not the gateway's.", elsewhere);

        var small = Photos.TestImages.Png(60, 30);
        var (_, generic) = await gateway.JsonAsync($$"""{"id":"{{FakeGateway.NextSid()}}","from":"+15155550106","text":"","photo":"{{Convert.ToBase64String(small)}}"}""");
        Assert.Equal("Photo received for 5GF GREENFIELD (Adair).", generic);
        Assert.Equal(2, (await api.GetAsync(ApiClient.PrecinctPath(precinct) + "/photos")).Json.GetProperty("photos").GetArrayLength());
    }

    [Fact]
    public async Task Behind_a_proxy_the_signature_is_checked_against_the_public_url_and_a_YES_after_half_an_hour_sends_nothing()
    {
        const string publicUrl = "https://caucus.example.org/api/v1/sms/inbound";
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var instance = host.StartInstance(time, settings: new Dictionary<string, string?>(Settings) { ["Caucus:Sms:PublicUrl"] = publicUrl });
        var api = instance.Client;
        await IssueWithPhoneAsync(api, "adair/2ne-stuart", "+15155550107");
        var local = new FakeGateway(api, AuthToken, SharedSecret);
        Assert.Equal(HttpStatusCode.Forbidden, (await local.TextAsync("+15155550107", "hello")).Status);
        var proxied = new FakeGateway(api, AuthToken, SharedSecret, publicUrl);

        var (_, read, _) = await proxied.TextAsync("+15155550107", "ADR2NE A20 F BID12 SAN8 L BID12 SAN8");
        Assert.StartsWith("You sent 2NE STUART (Adair)", read);
        time.Advance(TimeSpan.FromMinutes(31));
        var (_, late, _) = await proxied.TextAsync("+15155550107", "YES");
        Assert.Equal("Nothing to send: text your numbers first; YES sends the last numbers read back to you.", late);
        Assert.Equal(0, await host.ScalarAsync("SELECT COUNT(*) FROM revisions WHERE precinct_id = 'adair/2ne-stuart'"));
    }

    [Fact]
    public async Task A_phone_texting_past_its_credentials_limit_is_told_to_wait_and_counted()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var instance = host.StartInstance(time, settings: new Dictionary<string, string?>(Settings) { ["Caucus:Limits:PrecinctReportsPerMinute"] = "2" });
        var api = instance.Client;
        await IssueWithPhoneAsync(api, "adair/4se-orient", "+15155550108");
        var gateway = new FakeGateway(api, AuthToken, SharedSecret);
        Assert.StartsWith("You sent", (await gateway.TextAsync("+15155550108", "ADR4SE A20 F BID12 SAN8 L BID12 SAN8")).Reply);
        Assert.StartsWith("You sent", (await gateway.TextAsync("+15155550108", "ADR4SE A21 F BID13 SAN8 L BID13 SAN8")).Reply);
        Assert.Equal(TextInbox.TooMany, (await gateway.TextAsync("+15155550108", "ADR4SE A22 F BID14 SAN8 L BID14 SAN8")).Reply);
        Assert.Equal(1, instance.Services.GetRequiredService<SmsMetrics>().RefusedCount(SmsRefusal.RateLimited));
    }

    [Fact]
    public async Task No_gateway_request_the_fuzzer_can_make_is_answered_5xx_and_every_refusal_is_counted()
    {
        await using var instance = Start();
        var api = instance.Client;
        await IssueWithPhoneAsync(api, "adair/5gf-greenfield", "+15155550105");
        var gateway = new FakeGateway(api, AuthToken, SharedSecret);
        var metrics = instance.Services.GetRequiredService<SmsMetrics>();
        var words = Gen.OneOfConst("ADR1NW", "A", "F", "L", "T", "E", "D", "V", "BID", "B", "KLO", "4O", "l2", "\"x", "\"Climate Action\"", ">", "SAN>BID", "YES", "\u0001", "\uFFFF", "𝔸", "99999999999", "-3");
        var text = Gen.OneOf(words.Array[0, 30].Select(w => string.Join(' ', w)), Gen.String[0, 300]);
        var fields = Gen.Select(Gen.OneOfConst("MessageSid", "From", "Body", "To", "NumMedia", "MediaUrl0", "x"), Gen.String[0, 40]).Array[0, 6];
        var statuses = new List<HttpStatusCode>();
        await Gen.Select(text, fields, Gen.Bool).SampleAsync(async (body, extra, numberKnown) =>
        {
            var (status, _, _) = extra.Length > 3
                ? await gateway.PostFormAsync([.. extra.Select(f => new KeyValuePair<string, string>(f.Item1, f.Item2))])
                : await gateway.TextAsync(numberKnown ? "+15155550105" : "+15155550199", body);
            statuses.Add(status);
            Assert.True((int)status < 500, $"{status} for {body}");
        }, iter: 150, threads: 1);
        var (json, _) = await gateway.JsonAsync("{\"id\":1,\"from\":[],\"text\":{}}");
        Assert.Equal(HttpStatusCode.BadRequest, json);
        var refused = statuses.Count(s => s != HttpStatusCode.OK) + 1;
        Assert.Equal(refused, metrics.RefusedCount(SmsRefusal.Malformed) + metrics.RefusedCount(SmsRefusal.Signature));
    }
}

public sealed class SqliteSmsWebhookTests(SqliteApiHost host) : SmsWebhookTests(host), IClassFixture<SqliteApiHost>;

[Collection(PostgresCollection.Name)]
public sealed class PostgresSmsWebhookTests(PostgresApiHost host) : SmsWebhookTests(host), IClassFixture<PostgresApiHost>;

/// <summary>Certification freezes a store, so this runs on a store of its own.</summary>
public sealed class SmsAfterCertificationTests(SqliteApiHost host) : IClassFixture<SqliteApiHost>
{
    private const string Adair = SmsWebhookTests.Adair;
    private const string Text = SmsWebhookTests.Text;
    private const string AuthToken = SmsWebhookTests.AuthToken;
    private const string SharedSecret = SmsWebhookTests.SharedSecret;

    private ApiInstance Start() => host.StartInstance(settings: SmsWebhookTests.SmsSettings);

    private static Task<string> IssueWithPhoneAsync(ApiClient api, string precinct, string phone) => SmsWebhookTests.IssueWithPhoneAsync(api, precinct, phone);

    [Fact]
    public async Task A_text_after_certification_is_refused_with_a_reply_saying_so()
    {
        await using var instance = Start();
        var api = instance.Client;
        await IssueWithPhoneAsync(api, Adair, "+15155550104");
        var gateway = new FakeGateway(api, AuthToken, SharedSecret);
        await gateway.TextAsync("+15155550104", Text);
        // Every precinct counted (the party's official canvass), then certified: the read-back's YES comes too late.
        const string official = """{"attendees":10,"first":{"Sanders":6,"Warren":4},"final":{"Sanders":6,"Warren":4},"source":"official"}""";
        var precincts = (await api.GetAsync("/api/v1/precincts")).Json.EnumerateArray().Select(p => p.GetProperty("id").GetString()!).ToList();
        using var gate = new SemaphoreSlim(16);
        await Task.WhenAll(precincts.Select(async id =>
        {
            await gate.WaitAsync();
            try { Assert.Equal(HttpStatusCode.Created, (await api.PostReportAsync(id, official)).Status); }
            finally { gate.Release(); }
        }));
        var certified = await api.CertifyAsync();
        Assert.True(certified.Status == HttpStatusCode.OK, certified.ToString());

        var (_, yes, _) = await gateway.TextAsync("+15155550104", "YES");
        Assert.Equal("The results are certified: this text was not counted. Call headquarters.", yes);
        var (_, text, _) = await gateway.TextAsync("+15155550104", Text);
        Assert.Equal("The results are certified: texts are no longer counted. Call headquarters.", text);
        // Only the official canvass's revision: neither text counted.
        Assert.Equal(1, await host.ScalarAsync("SELECT COUNT(*) FROM revisions WHERE precinct_id = @p", new { p = Adair }));
    }

}
