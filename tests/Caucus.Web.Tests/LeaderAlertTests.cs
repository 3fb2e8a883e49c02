using Caucus.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Caucus.Web.Tests;

/// <summary>
/// The war room's leader alert, on a server of its own so the statewide numbers are this test's alone.
/// Adair 1NW ADAIR alone without its toss is not enough to see the alert go: the server does flag it
/// (leaderAlert.atRisk, Buttigieg's and Klobuchar's ranges reach the top), but once the toss is recorded
/// Sanders, Warren and Klobuchar tie on 0.1569 SDE and a tie for the lead stays at risk. So Adair 4SE ORIENT
/// (D = 10) is added as a room split evenly between Buttigieg and Klobuchar (20 each, 5 delegates each, decided):
/// the toss in 1NW then decides who leads, Klobuchar 7 county delegates (0.5490 SDE) to Buttigieg's 6 (0.4706) once
/// Klobuchar wins it.
/// </summary>
[Collection(PagesCollection.Name)]
public sealed class LeaderAlertTests(Browser browser, WebHost host) : IClassFixture<WebHost>
{
    private const string AdairGroups = """{"Biden":6,"Buttigieg":8,"Klobuchar":8,"Sanders":9,"Warren":9}""";

    [Fact]
    public async Task The_war_room_shows_the_leader_alert_while_a_pending_toss_decides_the_lead_and_hides_it_once_the_toss_is_recorded()
    {
        var warroom = await host.IssueTokenAsync("warroom");
        await using var tab = await browser.OpenAsync();
        var page = tab.Page;
        await page.GotoAsync(new Uri(host.BaseAddress, $"/#token={warroom}").ToString());
        await Assertions.Expect(page.Locator("#connection")).ToHaveTextAsync("Live");
        var alert = page.Locator("#leader-alert");
        await Assertions.Expect(alert).ToHaveAttributeAsync("data-at-risk", "false");
        await Assertions.Expect(alert).ToBeEmptyAsync();
        await host.SubmitAsync(WebHost.AdminToken, "adair/4se-orient",
            """{"attendees":40,"first":{"Buttigieg":20,"Klobuchar":20},"final":{"Buttigieg":20,"Klobuchar":20},"source":"official"}""");
        await host.SubmitAsync(WebHost.AdminToken, AdairExample.Precinct,
            $$"""{"attendees":40,"first":{{AdairGroups}},"final":{{AdairGroups}},"source":"official"}""");
        // The alert with both reports counted (the results document may lag the acknowledgement by a version).
        var pending = (await ResultsWhenAsync(r => r.GetProperty("precincts").GetProperty("reporting").GetInt32() == 2)).GetProperty("leaderAlert");
        Assert.True(pending.GetProperty("atRisk").GetBoolean(), pending.ToString());

        // Shown in words in a role="alert" region beside the SDE bars, which do not move for it.
        await Assertions.Expect(alert).ToHaveAttributeAsync("data-at-risk", "true");
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Leader at risk");
        await Assertions.Expect(alert).ToContainTextAsync(pending.GetProperty("reason").GetString()!);
        await Assertions.Expect(alert.Locator(".leader-alert-box")).ToBeVisibleAsync();
        var barsWithAlert = await page.Locator("#sde-bars").BoundingBoxAsync();
        await tab.ScreenshotAsync("warroom-leader-alert");

        await host.SubmitAsync(WebHost.AdminToken, AdairExample.Precinct,
            $$"""{"attendees":40,"first":{{AdairGroups}},"final":{{AdairGroups}},"tieBreaks":[{"groups":["Buttigieg","Klobuchar"],"winners":["Klobuchar"]}],"source":"official"}""");
        Assert.False((await ResultsWhenAsync(r => !r.GetProperty("leaderAlert").GetProperty("atRisk").GetBoolean()))
            .GetProperty("leaderAlert").GetProperty("atRisk").GetBoolean());
        await Assertions.Expect(page.Locator("[data-sde='Klobuchar']")).ToHaveTextAsync("0.5490");
        await Assertions.Expect(alert).ToHaveAttributeAsync("data-at-risk", "false");
        await Assertions.Expect(alert).ToBeEmptyAsync();
        await Assertions.Expect(page.Locator(".leader-alert-box")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#leader-calm")).ToBeVisibleAsync();
        var barsWithout = await page.Locator("#sde-bars").BoundingBoxAsync();
        Assert.Equal(barsWithAlert!.Y, barsWithout!.Y);
        await tab.ScreenshotAsync("warroom-leader-settled");
        tab.AssertNoScriptOrPolicyErrors("status of 503");
    }

    /// <summary>Polls GET /api/v1/results until <paramref name="holds"/> (it may answer a version behind the acknowledgement), or 15 s.</summary>
    private async Task<System.Text.Json.JsonElement> ResultsWhenAsync(Func<System.Text.Json.JsonElement, bool> holds)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            var results = await host.GetAsync("api/v1/results");
            if (holds(results) || DateTime.UtcNow > deadline) return results;
            await Task.Delay(50);
        }
    }
}
