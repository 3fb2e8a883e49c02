using System.Net.Http.Headers;
using Caucus.Web.Tests.Infrastructure;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Caucus.Web.Tests;

/// <summary>
/// Worksheet photos on the admin page, mid-night: a disputed precinct's card shows the photo the captain sent beside
/// the two versions of the numbers, and a precinct that sent only a photo is an item whose action is entering its
/// numbers. The photos are real JPEGs: a worksheet drawn by the browser and photographed (screenshot) as a phone would.
/// And the credentials panel binds the phone a captain texts from.
/// </summary>
[Collection(PagesCollection.Name)]
public sealed class AdminPhotoTests(Browser browser, AdminPhotoTests.MidNight night) : IClassFixture<AdminPhotoTests.MidNight>
{
    private static readonly (string Name, int Width, int Height)[] Sizes = [("1920", 1920, 1080), ("1366", 1366, 768), ("390", 390, 844)];

    public sealed class MidNight : IAsyncLifetime
    {
        public WebHost Host { get; } = new SmsWebHost();
        public string Disputed { get; private set; } = "";
        public string PhotoOnly { get; private set; } = "";

        public async Task InitializeAsync()
        {
            await Host.InitializeAsync();
            var reports = PublishedNight.Reports(Host);
            await PublishedNight.PostAsync(Host, reports.Where((_, i) => i % 2 == 1));
            var rest = reports.Where((_, i) => i % 2 == 0).ToList();
            Disputed = rest[0].Precinct;
            PhotoOnly = rest[1].Precinct;
            var captain = await Host.IssueTokenAsync("precinct", Disputed);
            await Host.SubmitAsync(captain, Disputed, """{"attendees":30,"first":{"Sanders":20,"Warren":10},"final":{"Sanders":20,"Warren":10},"source":"captain"}""");
            await Host.SubmitAsync(await Host.IssueTokenAsync("hotline"), Disputed,
                """{"attendees":30,"first":{"Sanders":20,"Warren":10},"final":{"Sanders":19,"Warren":11},"source":"hotline"}""");
        }

        public Task DisposeAsync() => Host.DisposeAsync();
    }

    /// <summary>A signed worksheet with these numbers, drawn and photographed as a JPEG.</summary>
    private async Task<byte[]> WorksheetPhotoAsync(string precinct, string rows)
    {
        await using var tab = await browser.OpenAsync(600, 420);
        await tab.Page.SetContentAsync($$"""
            <body style="margin:0;background:#d9d4c7;font:20px/1.5 'DejaVu Sans',sans-serif">
            <div style="margin:24px;padding:18px;background:#fffdf6;transform:rotate(-2deg);box-shadow:4px 6px 10px #777">
            <b>2020 Caucus Math Worksheet</b><br>Precinct: {{precinct}}<br>{{rows}}<br>
            <span style="font-family:cursive;font-size:26px">Signed: J. Captain</span></div></body>
            """);
        return await tab.Page.ScreenshotAsync(new() { Type = ScreenshotType.Jpeg, Quality = 80 });
    }

    private async Task SendPhotoAsync(string precinct, byte[] jpeg)
    {
        using var client = night.Host.Client(await night.Host.IssueTokenAsync("precinct", precinct));
        using var content = new ByteArrayContent(jpeg);
        content.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        using var response = await client.PostAsync($"api/v1/precincts/{Uri.EscapeDataString(precinct)}/photos", content);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_disputed_precincts_photo_is_shown_beside_its_numbers_and_a_photo_alone_asks_for_the_numbers_at_three_sizes()
    {
        var host = night.Host;
        await SendPhotoAsync(night.Disputed, await WorksheetPhotoAsync(night.Disputed, "Attended 30 · Final: Sanders 20, Warren 10"));
        await SendPhotoAsync(night.PhotoOnly, await WorksheetPhotoAsync(night.PhotoOnly, "Attended 41 · Final: Biden 21, Warren 20"));

        await using var tab = await browser.OpenAsync(1920, 1080);
        var page = tab.Page;
        await page.GotoAsync(new Uri(host.BaseAddress, $"/admin#token={await host.IssueTokenAsync("admin")}").ToString());
        await Assertions.Expect(page.Locator("#connection")).ToHaveTextAsync("Live");

        var card = page.Locator($".precinct-card[data-precinct='{night.Disputed}']");
        await card.Locator(".card-head").ClickAsync();
        var photo = card.Locator(".photos img");
        await Assertions.Expect(photo).ToBeVisibleAsync();
        await Assertions.Expect(photo).ToHaveJSPropertyAsync("complete", true);
        Assert.True(await photo.EvaluateAsync<int>("img => img.naturalWidth") > 500, "the photo is drawn, not a broken image");
        await Assertions.Expect(card.Locator("table.versions")).ToBeVisibleAsync();
        await Assertions.Expect(card.Locator(".photos figcaption")).ToContainTextAsync("from the report page");
        // EXIF (and its orientation) is stripped, so the reader can turn a photo taken sideways.
        await card.GetByRole(AriaRole.Button, new() { Name = "Turn ↻" }).ClickAsync();
        await Assertions.Expect(photo).ToHaveAttributeAsync("style", new System.Text.RegularExpressions.Regex("rotate\\(90deg\\)"));
        await card.GetByRole(AriaRole.Button, new() { Name = "Turn ↻" }).ClickAsync();
        await card.GetByRole(AriaRole.Button, new() { Name = "Turn ↻" }).ClickAsync();
        await card.GetByRole(AriaRole.Button, new() { Name = "Turn ↻" }).ClickAsync();
        await Assertions.Expect(photo).ToHaveAttributeAsync("style", new System.Text.RegularExpressions.Regex("rotate\\(0deg\\)"));

        var problems = new List<string>();
        foreach (var (size, width, height) in Sizes)
        {
            await page.SetViewportSizeAsync(width, height);
            await card.Locator(".card-body").ScrollIntoViewIfNeededAsync();
            await tab.ScreenshotAsync($"admin-photo-{size}", fullPage: false);
            problems.AddRange(await PageChecks.ProblemsAsync(page, $"admin with a photo at {size}"));
        }
        var axe = await page.RunAxe();
        problems.AddRange(axe.Violations.Select(v => $"axe {v.Impact} {v.Id}: {v.Help}"));

        // The photo alone: no decision to take, only its numbers to enter.
        var alone = page.Locator($".precinct-card[data-precinct='{night.PhotoOnly}']");
        await alone.Locator(".card-head").ClickAsync();
        await Assertions.Expect(alone.Locator("[data-reason='photo-without-numbers'] .badge")).ToHaveTextAsync("Photo received, numbers not entered");
        await Assertions.Expect(alone.Locator(".photos img")).ToBeVisibleAsync();
        Assert.Equal(0, await alone.GetByRole(AriaRole.Button, new() { Name = "Clear" }).CountAsync());
        await alone.GetByRole(AriaRole.Button, new() { Name = "Enter the numbers from the photo" }).ClickAsync();
        await Assertions.Expect(alone.Locator(".correction form, .correction .tally, .correction input").First).ToBeVisibleAsync();
        await tab.ScreenshotAsync("admin-photo-only-390", fullPage: false);
        problems.AddRange(await PageChecks.ProblemsAsync(page, "admin, photo-only card open at 390"));
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        tab.AssertNoScriptOrPolicyErrors();
    }

    [Fact]
    public async Task An_admin_binds_a_captains_phone_on_the_credentials_panel_and_a_text_from_it_is_read_back_for_that_precinct()
    {
        var host = night.Host;
        const string precinct = "adair/3sw-fontanelle";
        await host.IssueTokenAsync("precinct", precinct); // the captain's credential, listed on the panel
        await using var tab = await browser.OpenAsync(1366, 768);
        var page = tab.Page;
        await page.GotoAsync(new Uri(host.BaseAddress, $"/admin#token={await host.IssueTokenAsync("admin")}").ToString());
        await Assertions.Expect(page.Locator("#connection")).ToHaveTextAsync("Live");
        var credentials = await host.GetAsync("api/v1/admin/tokens");
        var id = credentials.GetProperty("tokens").EnumerateArray().Last(t => t.GetProperty("precinct").ValueKind == System.Text.Json.JsonValueKind.String
            && t.GetProperty("precinct").GetString() == precinct).GetProperty("id").GetString()!;
        var row = page.Locator($"tr[data-token-id='{id}']");

        await row.GetByLabel($"Phone number for {id}").FillAsync("not a number");
        await row.GetByRole(AriaRole.Button, new() { Name = "Bind" }).ClickAsync();
        await Assertions.Expect(page.Locator("#credentials-message")).ToContainTextAsync("phone must be a phone number");
        await row.GetByLabel($"Phone number for {id}").FillAsync("(515) 555-0177");
        await row.GetByRole(AriaRole.Button, new() { Name = "Bind" }).ClickAsync();
        await Assertions.Expect(page.Locator("#credentials-message")).ToContainTextAsync($"texts from it report for {precinct}");
        await Assertions.Expect(row.GetByRole(AriaRole.Button, new() { Name = "Re-bind" })).ToBeVisibleAsync();
        Assert.Empty(await PageChecks.ProblemsAsync(page, "admin credentials with a phone bound"));

        var body = System.Text.Encoding.UTF8.GetBytes("""{"id":"web-1","from":"+15155550177","text":"ADR3SW A20 F BID12 SAN8 L BID12 SAN8"}""");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(host.BaseAddress, "api/v1/sms/inbound")) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-Caucus-Signature", "sha256=" + Convert.ToHexStringLower(
            System.Security.Cryptography.HMACSHA256.HashData(System.Text.Encoding.UTF8.GetBytes(SmsWebHost.SharedSecret), body)));
        using var client = new HttpClient();
        using var response = await client.SendAsync(request);
        Assert.Contains("You sent 3SW FONTANELLE (Adair): 20 attended.", await response.Content.ReadAsStringAsync());
        tab.AssertNoScriptOrPolicyErrors("400"); // the refused number, as the browser logs a 400
    }
}
