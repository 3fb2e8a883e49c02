using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Caucus.Api.Tests.Infrastructure;
using CsCheck;

namespace Caucus.Api.Tests.Http;

/// <summary>
/// Odd input never gets a 5xx and never loses its audit record: lone surrogates, NUL bytes and bytes that are not
/// UTF-8 get 400 naming the field wherever a body is read; and a CsCheck fuzz of mutated valid bodies (truncations,
/// odd Unicode, huge numbers, deep nesting, wrong content types, duplicate fields) meets no 5xx, and each refused
/// report is in the audit trail. Run once per store: PostgreSQL's text cannot hold a NUL at all.
/// </summary>
public abstract class BadInputTests(ApiHost host)
{
    private ApiClient Api => host.Client;

    private static readonly string[] Precincts =
    [
        "benton/fremont-atkins", "benton/belle-plaine-2", "benton/belle-plaine-1", "benton/iowa-leroy-luzerne-blairstown",
        "benton/homer-monroe-jackson-garrison", "benton/florence-st-clair-norway", "benton/polk-urbana", "benton/vinton-3",
        "benton/eldorado-newhall", "benton/benton-canton-shellsburg", "benton/walford", "benton/kane-keystone", "benton/vinton-4",
        "benton/big-grove-union-van-horne", "benton/eden-harrison-taylor", "benton/vinton-1", "benton/belle-plaine-3", "benton/vinton-2",
    ];

    private static string Report(string note = "fine", string group = "Sanders") =>
        $$"""{"attendees":20,"first":{"{{group}}":12,"Biden":8},"final":{"{{group}}":12,"Biden":8},"source":"official","note":"{{note}}"}""";

    private static void AssertNamesField(ApiResponse response, string field)
    {
        Assert.True(response.Status == HttpStatusCode.BadRequest, $"Expected 400 naming '{field}', got {response}");
        Assert.StartsWith("application/problem+json", response.Header("Content-Type"));
        Assert.True(response.Json.GetProperty("errors").TryGetProperty(field, out _), $"errors should name '{field}': {response.Text}");
    }

    private async Task<ApiResponse> PostBytes(string path, byte[] body, string? contentType, string? token = ApiFactory.AdminToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Content = new ByteArrayContent(body);
        if (contentType is not null) request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        using var response = await Api.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var headers = response.Headers.Concat(response.Content.Headers).ToDictionary(h => h.Key, h => string.Join(", ", h.Value), StringComparer.OrdinalIgnoreCase);
        return new ApiResponse(response.StatusCode, headers, text);
    }

    private async Task<(int Revisions, int Rejected)> AuditCounts(string precinct)
    {
        var audit = await Api.GetAsync(ApiClient.AuditPath(precinct));
        Assert.True(audit.Status == HttpStatusCode.OK, audit.ToString());
        return (audit.Json.GetProperty("revisions").GetArrayLength(), audit.Json.GetProperty("rejected").GetArrayLength());
    }

    [Theory]
    [InlineData("\\ud800", "note")]
    [InlineData("\\udfff tail", "note")]
    [InlineData("x\\u0000y", "note")]
    [InlineData("bell \\u0007", "note")]
    public async Task A_note_with_a_lone_surrogate_or_a_control_character_gets_400_naming_it_and_is_audited(string note, string field)
    {
        var precinct = Precincts[0];
        var before = await AuditCounts(precinct);

        AssertNamesField(await Api.PostReportAsync(precinct, Report(note)), field);
        AssertNamesField(await Api.PostAsync(ApiClient.PrecinctPath(precinct) + "/preview", Report(note)), field);

        Assert.Equal((before.Revisions, before.Rejected + 1), await AuditCounts(precinct));
    }

    [Fact]
    public async Task A_group_name_with_a_lone_surrogate_gets_400_naming_its_alignment_and_is_audited()
    {
        var precinct = Precincts[1];
        var before = await AuditCounts(precinct);

        AssertNamesField(await Api.PostReportAsync(precinct, Report(group: "San\\ud800ders")), "first");

        Assert.Equal((before.Revisions, before.Rejected + 1), await AuditCounts(precinct));
    }

    [Theory]
    [InlineData(new byte[] { 0x00 })]
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })]
    [InlineData(new byte[] { 0xFF, 0xFE })]
    public async Task A_body_with_a_NUL_byte_or_bytes_that_are_not_UTF8_gets_400_and_is_audited(byte[] odd)
    {
        var precinct = Precincts[2];
        var before = await AuditCounts(precinct);
        var text = Report("NOTE");
        var at = text.IndexOf("NOTE", StringComparison.Ordinal);
        byte[] body = [.. Encoding.UTF8.GetBytes(text[..at]), .. odd, .. Encoding.UTF8.GetBytes(text[(at + 4)..])];

        AssertNamesField(await PostBytes(ApiClient.ReportsPath(precinct), body, "application/json"), "body");
        AssertNamesField(await PostBytes(ApiClient.PrecinctPath(precinct) + "/preview", body, "application/json"), "body");

        Assert.Equal((before.Revisions, before.Rejected + 1), await AuditCounts(precinct));
    }

    [Theory]
    [InlineData("/api/v1/admin/tokens", """{"role":"ware\ud800room"}""", "role")]
    [InlineData("/api/v1/admin/tokens", """{"role":"precinct","precinct":"adair\u0000/1nw-adair"}""", "precinct")]
    [InlineData("/api/v1/admin/tokens", """{"role":"hotline","role":"admin"}""", "role")]
    [InlineData("/api/v1/admin/tokens", """{"role":"hotline","expires":"never"}""", "expires")]
    [InlineData("/api/v1/admin/certify", """{"note":"\udc00"}""", "note")]
    [InlineData("/api/v1/admin/certify", """{"note":"NUL \u0000"}""", "note")]
    [InlineData("/api/v1/review/decisions", """{"key":"k","action":"clear","reason":"\ud800\ud800"}""", "reason")]
    [InlineData("/api/v1/review/decisions", """{"key":"k","action":"clear","reason":"ok","\ud800":1}""", "body")]
    public async Task Every_body_read_answers_400_naming_the_field_for_invalid_text(string path, string body, string field)
    {
        AssertNamesField(await Api.PostAsync(path, body), field);
    }

    // ---- The fuzz ---------------------------------------------------------------------------

    private static readonly string[] ValidReports =
    [
        Report("NOTE"),
        """{"attendees":40,"first":{"Biden":6,"Buttigieg":8,"Klobuchar":8,"Sanders":9,"Warren":9},"final":{"Biden":6,"Buttigieg":8,"Klobuchar":8,"Sanders":9,"Warren":9},"tieBreaks":[{"groups":["Buttigieg","Klobuchar"],"winners":["Klobuchar"]}],"source":"official","note":"NOTE"}""",
        """{"attendees":30,"first":{"Warren":10,"Sanders":10,"Yang":10},"final":{"Warren":15,"Sanders":15},"reportedDelegates":{"Warren":2,"Sanders":2},"source":"captain","note":"NOTE"}""",
    ];

    private static readonly string[] OddText =
    [
        "\\ud800", "\\udfff", "\\udc00\\ud800", "\\ud83d\\ude00", "\\u0000", "\\u001b[31m", "\uFEFF", "\u202Eevil", "😀", "e\u0301", "\u2028", "\u007f",
        "\\", "\"", "\\x41", "\\u12", new string('n', 2500), "",
    ];

    private static readonly byte[][] OddBytes = [[0x00], [0xED, 0xA0, 0x80], [0xFF], [0xC3, 0x28], [0xF4, 0x90, 0x80, 0x80], [0xEF, 0xBB, 0xBF]];

    private static readonly string[] OddNumbers =
        ["1e400", "99999999999999999999999", "2147483648", "2147483647", "-1", "1.5", "0x10", "NaN", "Infinity", "-0", "1E2", "000", "\"12\"", "null", "true"];

    private static readonly string?[] ContentTypes =
        ["application/json", null, "text/plain", "application/xml", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded", "application/json; charset=latin1"];

    /// <summary>A mutated body: its bytes, its content type, and what was done to it (for CsCheck's failure message).</summary>
    public sealed record Mutation(byte[] Body, string? ContentType, string What);

    private static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

    private static Gen<Mutation> Mutations(string[] valid, string textField)
    {
        var baseBody = Gen.OneOfConst(valid);
        var contentType = Gen.OneOfConst(ContentTypes);
        Mutation Plain(string body, string? type, string what) => new(Utf8(body.Replace("NOTE", "fine", StringComparison.Ordinal)), type, what);

        var truncated = Gen.Select(baseBody, Gen.Double[0, 1], (b, f) =>
        {
            var cut = (int)(f * b.Length);
            return Plain(b[..cut], "application/json", $"truncated at {cut}");
        });
        var oddText = Gen.Select(baseBody, Gen.OneOfConst(OddText), Gen.Bool, (b, odd, inName) => inName
            ? Plain(b.Replace("\"Sanders\"", $"\"Sand{odd}ers\"", StringComparison.Ordinal).Replace("\"role\"", $"\"ro{odd}le\"", StringComparison.Ordinal), "application/json", $"name with {odd}")
            : Plain(b.Replace("NOTE", odd, StringComparison.Ordinal).Replace($"\"{textField}\":\"", $"\"{textField}\":\"{odd}", StringComparison.Ordinal), "application/json", $"text with {odd}"));
        var oddBytes = Gen.Select(baseBody, Gen.OneOfConst(OddBytes), (b, odd) =>
        {
            var at = Math.Max(0, b.IndexOf("NOTE", StringComparison.Ordinal));
            var rest = b.Contains("NOTE", StringComparison.Ordinal) ? b[(at + 4)..] : b;
            return new Mutation([.. Utf8(b[..at]), .. odd, .. Utf8(rest)], "application/json", $"bytes {Convert.ToHexString(odd)}");
        });
        var hugeNumber = Gen.Select(baseBody, Gen.OneOfConst(OddNumbers), Gen.Int[0, 5], (b, n, which) =>
        {
            var digits = System.Text.RegularExpressions.Regex.Matches(b, ":[0-9]+");
            if (digits.Count == 0) return Plain(b + n, "application/json", $"appended {n}");
            var m = digits[which % digits.Count];
            return Plain(b[..(m.Index + 1)] + n + b[(m.Index + m.Length)..], "application/json", $"number {which} as {n}");
        });
        var deep = Gen.Select(baseBody, Gen.Int[1, 300], Gen.Bool, (b, depth, arrays) =>
        {
            var open = arrays ? string.Concat(Enumerable.Repeat("[", depth)) : string.Concat(Enumerable.Repeat("{\"a\":", depth));
            var close = arrays ? new string(']', depth) : new string('}', depth);
            var at = b.IndexOf(':', StringComparison.Ordinal) + 1;
            var end = b.IndexOfAny([',', '}'], at);
            return Plain(b[..at] + open + b[at..end] + close + b[end..], "application/json", $"nested {depth} deep");
        });
        var wrongType = Gen.Select(baseBody, contentType, (b, t) => Plain(b, t, $"content type {t ?? "(none)"}"));
        var duplicate = Gen.Select(baseBody, Gen.Int[0, 3], (b, which) =>
        {
            var second = which switch
            {
                0 => "\"attendees\":5,",
                1 => "\"source\":\"captain\",",
                2 => $"\"{textField}\":\"again\",",
                _ => "\"first\":{\"Sanders\":1},",
            };
            return Plain("{" + second + b[1..], "application/json", $"duplicate {second}");
        });
        var innerDuplicate = Gen.Select(baseBody, Gen.Const(0), (b, _) =>
            Plain(b.Replace("{\"Sanders\":", "{\"Sanders\":3,\"Sanders\":", StringComparison.Ordinal), "application/json", "a group twice"));
        return Gen.OneOf(truncated, oddText, oddBytes, hugeNumber, deep, wrongType, duplicate, innerDuplicate);
    }

    [Fact]
    public async Task Fuzzed_reports_never_get_a_5xx_and_every_refusal_is_in_the_audit_trail()
    {
        var sent = 0;
        await Mutations(ValidReports, "note").SampleAsync(async mutation =>
        {
            var precinct = Precincts[sent++ % Precincts.Length];
            var before = await AuditCounts(precinct);

            var response = await PostBytes(ApiClient.ReportsPath(precinct), mutation.Body, mutation.ContentType);

            var status = (int)response.Status;
            Assert.True(status < 500, $"{mutation.What}: {response}");
            var after = await AuditCounts(precinct);
            if (status is 201 or 202) Assert.Equal((before.Revisions + 1, before.Rejected), after);
            else
            {
                Assert.InRange(status, 400, 499);
                Assert.StartsWith("application/problem+json", response.Header("Content-Type"));
                Assert.True((before.Revisions, before.Rejected + 1) == after, $"{mutation.What}: {status} not in the audit trail (before {before}, after {after})");
            }
        }, iter: 150, threads: 1, print: m => $"{m.What}: {Encoding.UTF8.GetString(m.Body)}");
    }

    [Fact]
    public async Task Fuzzed_bodies_of_every_other_endpoint_never_get_a_5xx()
    {
        var endpoints = new (string Path, string[] Valid, string TextField)[]
        {
            ("/api/v1/admin/tokens", ["""{"role":"precinct","precinct":"benton/walford","source":"chair"}"""], "precinct"),
            ("/api/v1/review/decisions", ["""{"key":"rules-broken:benton/walford:1","action":"clear","reason":"NOTE"}"""], "reason"),
            ("/api/v1/admin/certify", ["""{"note":"NOTE"}"""], "note"),
            (ApiClient.PrecinctPath(Precincts[3]) + "/preview", ValidReports, "note"),
        };
        foreach (var (path, valid, textField) in endpoints)
        {
            await Mutations(valid, textField).SampleAsync(async mutation =>
            {
                var response = await PostBytes(path, mutation.Body, mutation.ContentType);
                Assert.True((int)response.Status < 500, $"{path}, {mutation.What}: {response}");
                if ((int)response.Status >= 400) Assert.StartsWith("application/problem+json", response.Header("Content-Type"));
            }, iter: 60, threads: 1, print: m => $"{path}, {m.What}: {Encoding.UTF8.GetString(m.Body)}");
        }
    }

    [Fact]
    public async Task The_fuzz_reaches_both_acceptance_and_refusal()
    {
        // A fuzz that only ever sends garbage proves nothing about the audit of accepted reports, and the reverse.
        var statuses = new List<int>();
        var gen = Mutations(ValidReports, "note");
        var i = 0;
        await gen.SampleAsync(async mutation =>
        {
            statuses.Add((int)(await PostBytes(ApiClient.PrecinctPath(Precincts[4 + (i++ % 3)]) + "/preview", mutation.Body, mutation.ContentType)).Status);
        }, iter: 100, threads: 1);
        Assert.Contains(statuses, s => s == 200);
        Assert.Contains(statuses, s => s == 400);
    }
}

public sealed class SqliteBadInputTests(SqliteApiHost host) : BadInputTests(host), IClassFixture<SqliteApiHost>;

[Collection(PostgresCollection.Name)]
public sealed class PostgresBadInputTests(PostgresApiHost host) : BadInputTests(host), IClassFixture<PostgresApiHost>;
