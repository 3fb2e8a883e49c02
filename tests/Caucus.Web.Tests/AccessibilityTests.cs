using Caucus.Web.Tests.Infrastructure;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Caucus.Web.Tests;

[Collection(PagesCollection.Name)]
public sealed class AccessibilityTests(Browser browser, WebHost host) : IClassFixture<WebHost>
{
    public static TheoryData<string, string> Pages => new()
    {
        { "warroom", "/" },
        { "hotline", "/hotline" },
        { "precinct", "/report" },
        { "admin", "/admin" },
        { "none", "/" },
        { "none", "/admin" },
        { "none", "/report" },
    };

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Axe_finds_no_serious_or_critical_violation(string role, string path)
    {
        await using var tab = await browser.OpenAsync();
        var page = tab.Page;
        var fragment = role switch
        {
            "none" => "",
            "precinct" => $"#token={await host.IssueTokenAsync(role, AdairExample.Precinct)}&precinct={Uri.EscapeDataString(AdairExample.Precinct)}",
            _ => $"#token={await host.IssueTokenAsync(role)}",
        };
        await page.GotoAsync(new Uri(host.BaseAddress, path + fragment).ToString());
        // Wait for the page to finish drawing what it loads: the sign-in box, or the signed-in content.
        await Assertions.Expect(page.Locator(role == "none" ? "#sign-in" : "#app")).ToBeVisibleAsync();
        if (role == "warroom") await Assertions.Expect(page.Locator("svg.map path")).ToHaveCountAsync(99);
        if (role == "precinct") await Assertions.Expect(page.Locator("#precinct-name")).ToContainTextAsync("1NW ADAIR");
        if (role == "hotline") await Assertions.Expect(page.GetByLabel("Add a group")).ToBeVisibleAsync();
        if (role == "admin") await Assertions.Expect(page.Locator("#queue-summary")).ToContainTextAsync("version");

        var result = await page.RunAxe();
        var serious = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(serious.Count == 0, string.Join("\n", serious.Select(v =>
            $"{v.Impact} {v.Id}: {v.Help} — {string.Join(", ", v.Nodes.Take(3).Select(n => string.Join(" ", n.Target)))}")));
        tab.AssertNoScriptOrPolicyErrors("status of 503");
    }
}
