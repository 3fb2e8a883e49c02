using System.Globalization;
using Caucus.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Caucus.Web.Tests;

/// <summary>
/// Nevada's night as the party published it, posted over HTTP in bulk: the four pages are photographed mid-night (every
/// other precinct in) and at the end, at 1920×1080, 1366×768 and 390×844, into screenshots/nevada/ in the test output
/// (the admin page its first screenful; the chosen ones are copied to docs/ by hand, after a person has looked at them). On the way the war room is checked
/// to show what the server counts, and every page to draw no "undefined" and no Iowa unit.
/// </summary>
[Collection(PagesCollection.Name)]
public sealed class NevadaNightTests(Browser browser, NevadaWebHost host) : IClassFixture<NevadaWebHost>
{
    private static readonly (string Name, int Width, int Height)[] Sizes = [("1920", 1920, 1080), ("1366", 1366, 768), ("phone", 390, 844)];

    private const string Tied = "carson-city/113";

    [Fact]
    public async Task The_four_pages_mid_night_and_at_the_end_at_three_sizes()
    {
        var night = PublishedNight.Reports(host);
        Assert.True(night.Length > 1000, $"{night.Length} published precincts met");
        // Every other precinct in file order: every county part-reported mid-night. Carson City 101 (the first) is left for
        // the report page to send.
        var midNight = night.Where((_, i) => i % 2 == 1).ToList();
        var rest = night.Where((_, i) => i % 2 == 0 && night[i].Precinct != CarsonCityExample.Precinct).ToList();
        await PublishedNight.PostAsync(host, midNight);

        await using var warroom = await browser.OpenAsync(1920, 1080);
        await warroom.Page.GotoAsync(new Uri(host.BaseAddress, $"/#token={await host.IssueTokenAsync("warroom")}").ToString());
        await using var admin = await browser.OpenAsync(1920, 1080);
        await admin.Page.GotoAsync(new Uri(host.BaseAddress, $"/admin#token={await host.IssueTokenAsync("admin")}").ToString());
        await using var hotline = await browser.OpenAsync(1920, 1080);
        await hotline.Page.GotoAsync(new Uri(host.BaseAddress, $"/hotline#token={await host.IssueTokenAsync("hotline")}").ToString());
        await using var report = await browser.OpenAsync(1920, 1080);
        var captain = await host.IssueTokenAsync("precinct", CarsonCityExample.Precinct);
        await report.Page.GotoAsync(new Uri(host.BaseAddress, $"/report#token={captain}&precinct={Uri.EscapeDataString(CarsonCityExample.Precinct)}").ToString());

        // Mid-night: the war room and the admin page caught up with the server; the hotline asking for a card draw; the
        // report page with the early rankings typed in.
        await CaughtUpAsync(warroom.Page, admin.Page);
        await TypeTieAsync(hotline.Page);
        await Assertions.Expect(report.Page.Locator("#precinct-name")).ToContainTextAsync("Carson City — 101");
        await CarsonCityExample.TypeAsync(report.Page.Locator("#tally"));
        await Assertions.Expect(report.Page.Locator("#math")).ToContainTextAsync("First: in person + early");
        var problems = await PhotographAsync("mid-night", warroom, hotline, report, admin);

        // The end: the rest of the night in, the hotline's and the report page's reports sent.
        await PublishedNight.PostAsync(host, rest);
        await hotline.Page.GetByRole(AriaRole.Button, new() { Name = "Caller confirms: send" }).ClickAsync();
        await Assertions.Expect(hotline.Page.Locator($"#queue li[data-precinct='{Tied}']")).ToHaveAttributeAsync("data-state", "stored");
        await report.Page.GetByRole(AriaRole.Button, new() { Name = "Send the report" }).ClickAsync();
        await Assertions.Expect(report.Page.Locator("#delivery")).ToHaveAttributeAsync("data-state", "stored");
        await CaughtUpAsync(warroom.Page, admin.Page);
        problems.AddRange(await PhotographAsync("end", warroom, hotline, report, admin));

        // Checked once every photograph is taken, so a wrong word on one page does not cost the pictures of the others.
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        foreach (var tab in new[] { warroom, hotline, report, admin }) tab.AssertNoScriptOrPolicyErrors("status of 503");
    }

    /// <summary>The war room shows the server's latest version, its reporting count and each county's; the admin page its queue.</summary>
    private async Task CaughtUpAsync(IPage warroom, IPage admin)
    {
        var results = await host.GetAsync("api/v1/results");
        var version = results.GetProperty("version").GetInt64();
        var reporting = results.GetProperty("precincts").GetProperty("reporting").GetInt32();
        await Assertions.Expect(warroom.Locator("#last-update")).ToContainTextAsync($"version {version}", new() { Timeout = 20_000 });
        await Assertions.Expect(warroom.Locator("#reporting")).ToContainTextAsync($"{reporting.ToString("N0", CultureInfo.InvariantCulture)} of ", new() { Timeout = 20_000 });
        foreach (var county in (await host.GetAsync("api/v1/precincts")).EnumerateArray().Select(p => p.GetProperty("county").GetString()!).Distinct())
        {
            var counted = (await host.GetAsync($"api/v1/results/counties/{Uri.EscapeDataString(county)}")).GetProperty("precincts");
            var row = warroom.Locator("#county-table tbody tr").Filter(new() { Has = warroom.Locator($"th:text-is('{county}')") });
            await Assertions.Expect(row.Locator("td").Nth(2)).ToHaveTextAsync(
                string.Create(CultureInfo.InvariantCulture, $"{counted.GetProperty("reporting").GetInt32()} of {counted.GetProperty("total").GetInt32()}"),
                new() { Timeout = 20_000 });
        }
        await Assertions.Expect(admin.Locator("#queue-summary")).ToContainTextAsync($"results version {version}", new() { Timeout = 20_000 });
    }

    private static async Task TypeTieAsync(IPage page)
    {
        await page.GetByLabel("Search by county and name").FillAsync("carson 113");
        await page.GetByLabel("Search by county and name").PressAsync("Enter");
        await Assertions.Expect(page.Locator("#precinct-chosen")).ToContainTextAsync("Carson City — 113");
        await page.GetByLabel("Attendance").FillAsync("14");
        foreach (var group in new[] { "Biden", "Sanders" })
        {
            await page.GetByLabel("Add a group").FillAsync(group[..2]);
            await page.GetByLabel("Add a group").PressAsync("Enter");
            await page.GetByLabel($"{group}, first alignment").FillAsync("7");
            await page.GetByLabel($"{group}, final alignment").FillAsync("7");
        }
        var tie = page.Locator(".toss");
        await tie.GetByLabel("Biden's card: rank").SelectOptionAsync("King");
        await tie.GetByLabel("Biden's card: suit").SelectOptionAsync("hearts");
        await tie.GetByLabel("Sanders's card: rank").SelectOptionAsync("2");
        await tie.GetByLabel("Sanders's card: suit").SelectOptionAsync("clubs");
        await Assertions.Expect(page.Locator("#math")).ToContainTextAsync("Decided, with the card draw as entered.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Read back" }).ClickAsync();
        await Assertions.Expect(page.Locator("#read-back-text")).ToContainTextAsync("Card draw: Biden King of hearts");
    }

    /// <summary>Each page at each size, full length; what it wrongly says (an "undefined", the Iowa unit) is returned.</summary>
    private static async Task<List<string>> PhotographAsync(string state, BrowserPage warroom, BrowserPage hotline, BrowserPage report, BrowserPage admin)
    {
        Directory.CreateDirectory(Path.Combine(Browser.ScreenshotDirectory, "nevada"));
        var problems = new List<string>();
        foreach (var (name, tab) in new[] { ("warroom", warroom), ("hotline", hotline), ("report-page", report), ("admin", admin) })
        {
            foreach (var (size, width, height) in Sizes)
            {
                await tab.Page.SetViewportSizeAsync(width, height);
                // The admin page's queue runs to hundreds of items on this night: its first screenful is what is looked at.
                await tab.ScreenshotAsync(Path.Combine("nevada", $"{name}-{state}-{size}"), fullPage: name != "admin");
            }
            var text = await tab.Page.Locator("body").InnerTextAsync();
            if (text.Contains("undefined", StringComparison.OrdinalIgnoreCase)) problems.Add($"{name} ({state}) shows \"undefined\".");
            if (text.Contains("[object", StringComparison.Ordinal)) problems.Add($"{name} ({state}) shows an element as \"[object …]\".");
            if (text.Contains("SDE", StringComparison.Ordinal)) problems.Add($"{name} ({state}) names SDEs.");
        }
        return problems;
    }
}
