using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Caucus.Api.Tests.Http;
using Caucus.Api.Tests.Infrastructure;

namespace Caucus.Api.Tests.Photos;

/// <summary>
/// Worksheet photos over real HTTP: stored by content with their metadata stripped, typed by their bytes, size-capped,
/// sent only for one's own precinct, read by headquarters and the war room, and a review item while no numbers came.
/// </summary>
public abstract class PhotoTests(ApiHost host)
{
    private const string Precinct = "adams/adams-1";

    internal static async Task<ApiResponse> UploadAsync(ApiClient api, string precinct, byte[] bytes, string? token, string contentType = "image/png")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, ApiClient.PrecinctPath(precinct) + "/photos") { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        // As a careful client sends a large body: the server may refuse it on its length before it is sent.
        request.Headers.ExpectContinue = true;
        using var client = new HttpClient(new SocketsHttpHandler { Expect100ContinueTimeout = TimeSpan.FromSeconds(60) }) { BaseAddress = api.Http.BaseAddress };
        using var response = await client.SendAsync(request);
        var headers = response.Headers.Concat(response.Content.Headers).ToDictionary(h => h.Key, h => string.Join(", ", h.Value), StringComparer.OrdinalIgnoreCase);
        return new ApiResponse(response.StatusCode, headers, await response.Content.ReadAsStringAsync());
    }

    private static async Task<(HttpStatusCode Status, byte[] Bytes, string? Type, string? Cache)> ReadAsync(ApiClient api, string url, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await api.Http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsByteArrayAsync(), response.Content.Headers.ContentType?.MediaType,
            response.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task A_captains_photo_is_kept_once_by_its_content_without_the_text_a_phone_wrote_into_it()
    {
        var api = host.Client;
        var captain = await api.IssueTokenAsync("precinct", Precinct);
        var png = TestImages.Png();

        var sent = await UploadAsync(api, Precinct, png, captain);
        Assert.True(sent.Status == HttpStatusCode.Created, sent.ToString());
        var sha = sent.Json.GetProperty("sha256").GetString()!;
        Assert.Equal("page", sent.Json.GetProperty("channel").GetString());

        var (status, stored, type, cache) = await ReadAsync(api, sent.Json.GetProperty("url").GetString()!, ApiFactory.AdminToken);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("image/png", type);
        Assert.Contains("immutable", cache);
        Assert.Equal(sha, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(stored)));
        Assert.DoesNotContain(TestImages.Secret, Encoding.Latin1.GetString(stored));
        Assert.Equal(png.Length - (12 + "Comment\0".Length + TestImages.Secret.Length), stored.Length);

        // The same photo again (a retry): the first listing, one copy of the bytes.
        var again = await UploadAsync(api, Precinct, png, captain);
        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.Equal(sha, again.Json.GetProperty("sha256").GetString());
        Assert.Equal(1, await host.ScalarAsync("SELECT COUNT(*) FROM photos WHERE sha256 = @sha", new { sha }));

        var warroom = await api.IssueTokenAsync("warroom");
        var listed = await api.GetAsync(ApiClient.PrecinctPath(Precinct) + "/photos", warroom);
        Assert.Equal(HttpStatusCode.OK, listed.Status);
        Assert.Contains(listed.Json.GetProperty("photos").EnumerateArray(), p => p.GetProperty("sha256").GetString() == sha);

        // In the precinct's audit trail, and in the photo export with the precinct.
        var audit = await api.GetAsync(ApiClient.AuditPath(Precinct), warroom);
        Assert.Contains(audit.Json.GetProperty("photos").EnumerateArray(), p => p.GetProperty("sha256").GetString() == sha);
        var export = await api.GetAsync("/api/v1/export/photos.csv", warroom);
        Assert.Equal(HttpStatusCode.OK, export.Status);
        Assert.Contains($"Adams,{Precinct},ADAMS 1,{sha},image/png,", export.Text.Replace("\"", ""), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.Forbidden, (await api.GetAsync("/api/v1/export/photos.csv", captain)).Status);
    }

    [Fact]
    public async Task A_JPEG_loses_its_EXIF_and_comments_and_keeps_its_picture()
    {
        var api = host.Client;
        var jpeg = TestImages.JpegWithExif();
        var sent = await UploadAsync(api, "adams/adams-2", jpeg, ApiFactory.AdminToken, "image/jpeg");
        Assert.True(sent.Status == HttpStatusCode.Created, sent.ToString());
        var (_, stored, type, _) = await ReadAsync(api, sent.Json.GetProperty("url").GetString()!, ApiFactory.AdminToken);
        Assert.Equal("image/jpeg", type);
        var text = Encoding.Latin1.GetString(stored);
        Assert.DoesNotContain("Exif", text);
        Assert.DoesNotContain(TestImages.Secret, text);
        Assert.Contains("JFIF", text);
        Assert.Equal(jpeg[^10..], stored[^10..]);
    }

    [Theory]
    [InlineData("empty", 400)]
    [InlineData("text", 415)]
    [InlineData("cut", 400)]
    [InlineData("huge", 413)]
    public async Task A_photo_that_is_not_one_is_refused_saying_why(string kind, int status)
    {
        var png = TestImages.Png(withText: false);
        byte[] bytes = kind switch
        {
            "empty" => [],
            "text" => Encoding.UTF8.GetBytes("not a photo, whatever the header says"),
            "cut" => png[..(png.Length / 2)],
            _ => [.. png, .. new byte[Caucus.Api.Photos.PhotoIntake.MaxBytes]],
        };
        var response = await UploadAsync(host.Client, "adams/adams-3", bytes, ApiFactory.AdminToken, "image/jpeg");
        Assert.Equal(status, (int)response.Status);
        Assert.StartsWith("application/problem+json", response.Header("Content-Type"));
        Assert.False(string.IsNullOrEmpty(response.Json.GetProperty("detail").GetString()));
    }

    [Fact]
    public async Task Only_the_precincts_own_credential_the_hotline_and_admins_send_and_only_headquarters_and_the_war_room_read()
    {
        var api = host.Client;
        var neighbour = await api.IssueTokenAsync("precinct", "adams/adams-4");
        Assert.Equal(HttpStatusCode.Forbidden, (await UploadAsync(api, Precinct, TestImages.Png(), neighbour)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await UploadAsync(api, Precinct, TestImages.Png(), await api.IssueTokenAsync("warroom"))).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await UploadAsync(api, Precinct, TestImages.Png(), null)).Status);
        var hotline = await UploadAsync(api, "adams/adams-4", TestImages.Png(100, 60), await api.IssueTokenAsync("hotline"));
        Assert.Equal(HttpStatusCode.Created, hotline.Status);
        Assert.Equal("hotline", hotline.Json.GetProperty("channel").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await api.GetAsync(ApiClient.PrecinctPath(Precinct) + "/photos", neighbour)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync("/api/v1/photos/" + new string('0', 64))).Status);
    }

    [Fact]
    public async Task A_photo_with_no_numbers_is_a_review_item_until_the_numbers_come()
    {
        var api = host.Client;
        const string precinct = "adair/2ne-stuart";
        Assert.Equal(HttpStatusCode.Created, (await UploadAsync(api, precinct, TestImages.Png(90, 40), ApiFactory.AdminToken)).Status);
        JsonElement Item(ApiResponse review) => review.Json.GetProperty("items").EnumerateArray()
            .FirstOrDefault(i => i.GetProperty("precinct").GetString() == precinct && i.GetProperty("reason").GetString() == "photo-without-numbers");
        var item = Item(await api.GetAsync("/api/v1/review"));
        Assert.Equal(JsonValueKind.Object, item.ValueKind);
        Assert.Contains("no numbers", item.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.Created, (await api.PostReportAsync(precinct,
            """{"attendees":20,"first":{"Sanders":12,"Biden":8},"final":{"Sanders":12,"Biden":8},"source":"official"}""")).Status);
        Assert.Equal(JsonValueKind.Undefined, Item(await api.GetAsync("/api/v1/review")).ValueKind);
    }
}

public sealed class SqlitePhotoTests(SqliteApiHost host) : PhotoTests(host), IClassFixture<SqliteApiHost>;

[Collection(PostgresCollection.Name)]
public sealed class PostgresPhotoTests(PostgresApiHost host) : PhotoTests(host), IClassFixture<PostgresApiHost>;
