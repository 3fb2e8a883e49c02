using Caucus.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Caucus.Web.Tests;

/// <summary>
/// The war room where results are public, as <c>--demo</c> serves them (README: "open the war room at
/// http://localhost:5000/ (no token needed in the demo)"): it opens on its numbers with no token typed.
/// </summary>
[Collection(PagesCollection.Name)]
public sealed class WarRoomDemoTests(Browser browser, DemoReadsWebHost host) : IClassFixture<DemoReadsWebHost>
{
    [Fact]
    public async Task The_demos_war_room_opens_live_without_asking_for_a_token()
    {
        var captain = await host.IssueTokenAsync("precinct", AdairExample.Precinct);
        await host.SubmitAsync(captain, AdairExample.Precinct, AdairExample.Body("captain"));
        await using var tab = await browser.OpenAsync(1366, 768);
        var page = tab.Page;
        await page.GotoAsync(host.BaseAddress.ToString());

        await Assertions.Expect(page.Locator("#connection")).ToHaveTextAsync("Live");
        await Assertions.Expect(page.Locator("#sign-in")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("[data-sde='Klobuchar']")).ToHaveTextAsync("0.1569");
        await Assertions.Expect(page.Locator("svg.map path")).ToHaveCountAsync(99);
        await Assertions.Expect(page.Locator("#results-status")).ToContainTextAsync("TEST");
        tab.AssertNoScriptOrPolicyErrors("status of 503");
    }
}
