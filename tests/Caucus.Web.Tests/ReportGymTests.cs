using Caucus.Api.Elections;
using Caucus.Core.Model;
using Caucus.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Caucus.Web.Tests;

/// <summary>
/// The report page in a gym with no signal (issue 22): it opens from the phone after the first visit with the server
/// gone, where the report stands is on screen beside Send, the credential fixes the precinct and the source, and it
/// fits a 390 px phone once the math shows.
/// </summary>
[Collection(PagesCollection.Name)]
public sealed class ReportGymTests(Browser browser, WebHost host) : IClassFixture<WebHost>
{
    [Fact]
    public async Task A_link_without_its_precinct_opens_the_credentials_own_precinct_and_no_source_can_be_picked()
    {
        var captain = await host.IssueTokenAsync("precinct", AdairExample.Precinct);
        await using var tab = await browser.OpenAsync(width: 390, height: 844);
        var page = tab.Page;
        await page.GotoAsync(new Uri(host.BaseAddress, $"/report#token={captain}").ToString());
        await Assertions.Expect(page.Locator("#precinct-name")).ToContainTextAsync("1NW ADAIR");
        await Assertions.Expect(page.Locator("#precinct-pick")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("#report-as")).ToContainTextAsync("the precinct captain");
        Assert.Equal(0, await page.Locator("select").CountAsync());

        var satellite = ElectionSource.Load(host.ElectionFolder).Precincts.First(p => p.Kind == PrecinctKind.Satellite);
        var chair = await host.IssueTokenAsync("precinct", satellite.Id);
        await using var chairTab = await browser.OpenAsync(width: 390, height: 844);
        await chairTab.Page.GotoAsync(new Uri(host.BaseAddress, $"/report#token={chair}&precinct={Uri.EscapeDataString(AdairExample.Precinct)}").ToString());
        // The link names another precinct: the credential's own wins, and it reports as the satellite's chair.
        await Assertions.Expect(chairTab.Page.Locator("#precinct-name")).ToContainTextAsync(satellite.Name);
        await Assertions.Expect(chairTab.Page.Locator("#report-as")).ToContainTextAsync("the satellite caucus chair");
        tab.AssertNoScriptOrPolicyErrors();
    }

    [Fact]
    public async Task After_the_first_visit_the_page_opens_with_the_server_gone_and_the_status_stays_beside_Send()
    {
        var captain = await host.IssueTokenAsync("precinct", AdairExample.Precinct);
        await using var tab = await browser.OpenAsync(width: 390, height: 844);
        var page = tab.Page;
        await page.GotoAsync(new Uri(host.BaseAddress, $"/report#token={captain}").ToString());
        await Assertions.Expect(page.Locator("#precinct-name")).ToContainTextAsync("1NW ADAIR");
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("data-offline-ready", "true");

        await host.StopAsync();
        try
        {
            // No signal: the reload is answered by the phone, not by the browser's error page.
            await page.ReloadAsync();
            await Assertions.Expect(page.Locator("#precinct-name")).ToContainTextAsync("1NW ADAIR");
            await page.GetByLabel("Attendance").FillAsync("40");
            foreach (var (group, first, final) in AdairExample.Groups)
            {
                await page.GetByLabel($"{group}, first alignment").FillAsync(first.ToString(System.Globalization.CultureInfo.InvariantCulture));
                await page.GetByLabel($"{group}, final alignment").FillAsync(final.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
            var send = page.GetByRole(AriaRole.Button, new() { Name = "Send the report" });
            await send.ClickAsync();
            var delivery = page.Locator("#delivery");
            await Assertions.Expect(delivery).ToHaveAttributeAsync("data-state", "waiting");
            await Assertions.Expect(delivery).ToBeInViewportAsync(new() { Ratio = 1 });
            await Assertions.Expect(send).ToBeInViewportAsync(new() { Ratio = 1 });
            Assert.Empty(await PageChecks.ProblemsAsync(page, "report offline"));
            await tab.ScreenshotAsync("report-offline-390", fullPage: false);
        }
        finally
        {
            if (!host.Running) host.Start();
        }
        await Assertions.Expect(page.Locator("#delivery")).ToHaveAttributeAsync("data-state", "stored", new() { Timeout = 20_000 });
        var precinct = await host.GetAsync($"api/v1/precincts/{Uri.EscapeDataString(AdairExample.Precinct)}");
        Assert.Equal("captain", precinct.GetProperty("counted").GetProperty("source").GetString());
    }

    [Theory]
    [InlineData(390, 844)]
    [InlineData(1366, 768)]
    [InlineData(1920, 1080)]
    public async Task With_the_math_on_screen_nothing_overflows_the_screen(int width, int height)
    {
        var captain = await host.IssueTokenAsync("precinct", AdairExample.Precinct);
        await using var tab = await browser.OpenAsync(width, height);
        var page = tab.Page;
        await page.GotoAsync(new Uri(host.BaseAddress, $"/report#token={captain}").ToString());
        await Assertions.Expect(page.Locator("#precinct-name")).ToContainTextAsync("1NW ADAIR");
        await page.GetByLabel("Attendance").FillAsync("40");
        foreach (var (group, first, final) in AdairExample.Groups)
        {
            await page.GetByLabel($"{group}, first alignment").FillAsync(first.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await page.GetByLabel($"{group}, final alignment").FillAsync(final.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        await Assertions.Expect(page.Locator("#math table").First).ToBeVisibleAsync();
        Assert.Empty(await PageChecks.ProblemsAsync(page, $"report {width}"));
        var scrollWidth = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
        Assert.True(scrollWidth <= width, $"the page is {scrollWidth} px wide on a {width} px screen");
        await tab.ScreenshotAsync($"report-mid-night-{width}", fullPage: false);
    }
}
