using Caucus.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Caucus.Web.Tests;

[Collection(PagesCollection.Name)]
public sealed class ReportPageTests(Browser browser, WebHost host) : IClassFixture<WebHost>
{
    [Fact]
    public async Task The_report_page_keeps_a_submission_while_the_server_is_down_and_sends_it_when_it_returns()
    {
        var captain = await host.IssueTokenAsync("precinct", AdairExample.Precinct);
        await using var tab = await browser.OpenAsync(width: 390, height: 844);
        var page = tab.Page;
        await page.GotoAsync(new Uri(host.BaseAddress, $"/report#token={captain}&precinct={Uri.EscapeDataString(AdairExample.Precinct)}").ToString());
        await Assertions.Expect(page.Locator("#precinct-name")).ToContainTextAsync("1NW ADAIR");
        await Assertions.Expect(page.Locator("#precinct-name")).ToContainTextAsync("D = 8");
        Assert.DoesNotContain("token", page.Url, StringComparison.Ordinal);

        await host.StopAsync();
        await page.GetByLabel("Attendance").FillAsync("40");
        foreach (var (group, first, final) in AdairExample.Groups)
        {
            await page.GetByLabel($"{group}, first alignment").FillAsync(first.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await page.GetByLabel($"{group}, final alignment").FillAsync(final.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        await page.GetByRole(AriaRole.Button, new() { Name = "Send the report" }).ClickAsync();

        var delivery = page.Locator("#delivery");
        await Assertions.Expect(delivery).ToHaveAttributeAsync("data-state", "waiting");
        await Assertions.Expect(delivery).ToContainTextAsync("Saved on this phone, NOT received yet");
        var kept = await page.EvaluateAsync<string>("localStorage.getItem('caucus.report.outbox')");
        Assert.Contains("\"attendees\":40", kept, StringComparison.Ordinal);
        await tab.ScreenshotAsync("report-queued");

        host.Start();
        await Assertions.Expect(delivery).ToHaveAttributeAsync("data-state", "stored", new() { Timeout = 20_000 });
        await Assertions.Expect(delivery).ToContainTextAsync("Received by the party");

        var precinct = await host.GetAsync($"api/v1/precincts/{Uri.EscapeDataString(AdairExample.Precinct)}");
        Assert.Equal(1, precinct.GetProperty("revision").GetInt32());
        Assert.Equal(40, precinct.GetProperty("counted").GetProperty("attendees").GetInt32());
        Assert.Equal("captain", precinct.GetProperty("counted").GetProperty("source").GetString());
        tab.AssertNoScriptOrPolicyErrors("Failed to load resource", "ERR_CONNECTION_REFUSED");
    }
}
