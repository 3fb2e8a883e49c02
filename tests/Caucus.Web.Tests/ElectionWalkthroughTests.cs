using Caucus.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Caucus.Web.Tests;

/// <summary>
/// The README's "Set up your caucus night", as a newcomer follows it: a county party's precinct list becomes an election
/// folder, the service runs it, a captain reports from a phone and the war room shows it.
/// </summary>
[Collection(PagesCollection.Name)]
public sealed class ElectionWalkthroughTests(Browser browser, NewElectionWebHost host) : IClassFixture<NewElectionWebHost>
{
    [Fact]
    public async Task A_captain_reports_from_a_phone_and_the_war_room_shows_it()
    {
        var captain = await host.IssueTokenAsync("precinct", "story/ames-1-1");
        await using var phone = await browser.OpenAsync(width: 390, height: 844);
        var page = phone.Page;
        await page.GotoAsync(new Uri(host.BaseAddress, $"/report#token={captain}").ToString());
        await Assertions.Expect(page.Locator("#precinct-name")).ToContainTextAsync("Story — Ames 1-1");
        await page.GetByLabel("Attendance").FillAsync("40");
        foreach (var (group, count) in new[] { ("Harris", 20), ("Buttigieg", 12), ("Klobuchar", 8) })
        {
            await page.GetByLabel($"{group}, first alignment").FillAsync(count.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await page.GetByLabel($"{group}, final alignment").FillAsync(count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        await page.GetByRole(AriaRole.Button, new() { Name = "Send the report" }).ClickAsync();
        await Assertions.Expect(page.Locator("#delivery")).ToHaveAttributeAsync("data-state", "stored");

        var warroom = await host.IssueTokenAsync("warroom");
        await using var wall = await browser.OpenAsync(width: 1366, height: 768);
        await wall.Page.GotoAsync(new Uri(host.BaseAddress, $"/#token={warroom}").ToString());
        await Assertions.Expect(wall.Page.Locator("h1")).ToContainTextAsync("Story and Boone Counties 2028");
        await Assertions.Expect(wall.Page.Locator("#app")).ToContainTextAsync("1 of 6");
        await Assertions.Expect(wall.Page.Locator("#sde-bars li").First).ToContainTextAsync("Harris");
        // No outlines in the folder (web/prepare.sh not run): the war room says it has no map, and nothing breaks.
        await Assertions.Expect(wall.Page.GetByText("No county map")).ToBeVisibleAsync();
        Assert.Empty(await PageChecks.ProblemsAsync(wall.Page, "new election's war room"));
        await wall.ScreenshotAsync("walkthrough-warroom", fullPage: false);
    }
}
