using Caucus.Web.Tests.Infrastructure;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Caucus.Web.Tests;

/// <summary>
/// Axe on the four pages under Nevada 2020, each with what only Nevada draws on screen: the report page with early-vote
/// rankings typed in and the math in person, early and merged; the hotline asking for a card draw; the war room in CCD
/// with a pending card draw; the admin page with a correction open on a report with early votes.
/// </summary>
[Collection(PagesCollection.Name)]
public sealed class NevadaAccessibilityTests(Browser browser, NevadaWebHost host) : IClassFixture<NevadaWebHost>
{
    public static TheoryData<string> Pages => ["warroom", "hotline", "report", "admin"];

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Axe_finds_no_violation_on_the_Nevada_page(string name)
    {
        await using var tab = await browser.OpenAsync(1366, 768);
        var page = tab.Page;
        switch (name)
        {
            case "warroom":
                await host.SubmitAsync(WebHost.AdminToken, "churchill/3", """{"attendees":14,"source":"official","first":{"Biden":7,"Sanders":7},"final":{"Biden":7,"Sanders":7}}""");
                await page.GotoAsync(new Uri(host.BaseAddress, $"/#token={await host.IssueTokenAsync("warroom")}").ToString());
                await Assertions.Expect(page.Locator("svg.map path")).ToHaveCountAsync(17);
                await Assertions.Expect(page.Locator("#attention-list li[data-kind='pending'][data-precinct='churchill/3']")).ToBeVisibleAsync();
                break;
            case "hotline":
                await page.GotoAsync(new Uri(host.BaseAddress, $"/hotline#token={await host.IssueTokenAsync("hotline")}").ToString());
                // The search answers once the precinct list has loaded: wait for the choice before typing numbers.
                await Assertions.Expect(page.GetByLabel("Search by county and name")).ToBeFocusedAsync();
                await page.GetByLabel("Search by county and name").FillAsync("carson 113");
                await page.GetByLabel("Search by county and name").PressAsync("Enter");
                await Assertions.Expect(page.Locator("#precinct-chosen")).ToContainTextAsync("Carson City — 113");
                await page.GetByLabel("Attendance").FillAsync("14");
                foreach (var group in new[] { "bi", "sa" })
                {
                    await page.GetByLabel("Add a group").FillAsync(group);
                    await page.GetByLabel("Add a group").PressAsync("Enter");
                }
                await page.GetByLabel("Biden, first alignment").FillAsync("7");
                await page.GetByLabel("Sanders, first alignment").FillAsync("7");
                await page.GetByLabel("Biden, final alignment").FillAsync("7");
                await page.GetByLabel("Sanders, final alignment").FillAsync("7");
                // The question comes with the server's preview of these numbers (a busy machine answers late).
                await Assertions.Expect(page.Locator(".toss legend")).ToHaveTextAsync("Which card did each group draw?", new() { Timeout = 20_000 });
                break;
            case "report":
                var captain = await host.IssueTokenAsync("precinct", CarsonCityExample.Precinct);
                await page.GotoAsync(new Uri(host.BaseAddress, $"/report#token={captain}&precinct={Uri.EscapeDataString(CarsonCityExample.Precinct)}").ToString());
                await Assertions.Expect(page.Locator("#precinct-name")).ToContainTextAsync("Carson City — 101");
                await CarsonCityExample.TypeAsync(page.Locator("#tally"));
                await Assertions.Expect(page.Locator("#math")).ToContainTextAsync("First: in person + early");
                break;
            case "admin":
                await host.SubmitAsync(WebHost.AdminToken, "carson-city/103", CarsonCityExample.Body("chair", reportedDelegates: """{"Biden":4,"Sanders":2,"Warren":2}"""));
                await page.GotoAsync(new Uri(host.BaseAddress, $"/admin#token={await host.IssueTokenAsync("admin")}").ToString());
                var item = page.Locator("article.review-item[data-precinct='carson-city/103']");
                await item.GetByRole(AriaRole.Button, new() { Name = "Enter a correction" }).ClickAsync();
                await Assertions.Expect(item.Locator(".correction")).ToContainTextAsync("First: in person + early");
                break;
        }

        var result = await page.RunAxe();
        Assert.True(result.Violations.Length == 0, string.Join("\n", result.Violations.Select(v =>
            $"{v.Impact} {v.Id}: {v.Help} — {string.Join(", ", v.Nodes.Take(3).Select(n => string.Join(" ", n.Target)))}")));
        tab.AssertNoScriptOrPolicyErrors("status of 503");
    }
}
