using System.Text.RegularExpressions;
using System.Globalization;
using Caucus.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Caucus.Web.Tests;

/// <summary>
/// The hotline console against the server's preview and double entry: the math as typed (RULES.md worked
/// example 1), the toss asked for, the read-back, and a second operator's differing entry shown as a
/// mismatch on both consoles.
/// </summary>
[Collection(PagesCollection.Name)]
public sealed class HotlineTests(Browser browser, WebHost host) : IClassFixture<WebHost>
{
    [Fact]
    public async Task The_hotline_console_computes_Adair_1NW_ADAIR_as_typed_asks_for_the_toss_and_a_differing_second_entry_shows_the_mismatch()
    {
        await using var first = await browser.OpenAsync();
        await using var second = await browser.OpenAsync();
        await SignInAsync(first.Page, await host.IssueTokenAsync("hotline"));
        await SignInAsync(second.Page, await host.IssueTokenAsync("hotline"));

        var page = first.Page;
        await TypeAdairAsync(page, warrenFinal: 9);
        var math = page.Locator("#math");
        await Assertions.Expect(math).ToContainTextAsync("Viability threshold: 6 of 40");
        // One delegate too many; Buttigieg and Klobuchar tie for it: the console asks who won the toss.
        await Assertions.Expect(page.Locator(".toss legend")).ToHaveTextAsync("Who won the coin toss?");
        await Assertions.Expect(math).ToContainTextAsync("Provisional");
        await page.Locator(".toss").GetByLabel("Klobuchar").CheckAsync();
        await Assertions.Expect(math.Locator("tr", new() { HasText = "Klobuchar" })).ToContainTextAsync("0.1569");
        await Assertions.Expect(math.Locator("tr", new() { HasText = "Buttigieg" })).ToContainTextAsync("0.0784");

        await Assertions.Expect(page.Locator("#read-back-text")).ToContainTextAsync("Toss: Klobuchar won");
        await Assertions.Expect(page.Locator("#read-back-text")).ToContainTextAsync("Klobuchar 2");
        await first.ScreenshotAsync("hotline");
        await page.GetByRole(AriaRole.Button, new() { Name = "Caller confirms: send" }).ClickAsync();
        var firstEntry = page.Locator("#queue li[data-precinct='adair/1nw-adair']");
        await Assertions.Expect(firstEntry).ToHaveAttributeAsync("data-state", "stored");
        await Assertions.Expect(firstEntry.Locator("[data-double-entry]")).ToHaveAttributeAsync("data-double-entry", "awaiting-second-entry");

        // The second operator hears Warren's final count as 7: no tie then (Warren rounds down to 1), so no toss is asked.
        var other = second.Page;
        await TypeAdairAsync(other, warrenFinal: 7);
        await Assertions.Expect(other.Locator("#math")).ToContainTextAsync("Decided by the rules.");
        await Assertions.Expect(other.Locator(".toss legend")).ToHaveCountAsync(0);
        // Warren was viable at 9 and is read as 7: the server warns that a viable group shrank, and Send waits for its tick.
        var shrank = other.Locator("#warning-list input").First;
        await Assertions.Expect(shrank).ToBeFocusedAsync();
        await Assertions.Expect(other.Locator("#read-back-text")).ToContainTextAsync("Warning: ");
        await Assertions.Expect(other.GetByRole(AriaRole.Button, new() { Name = "Caller confirms: send" })).ToBeDisabledAsync();
        await other.Keyboard.PressAsync("Space");
        await Assertions.Expect(other.GetByRole(AriaRole.Button, new() { Name = "Caller confirms: send" })).ToBeFocusedAsync();
        await other.Keyboard.PressAsync("Enter");
        var secondEntry = other.Locator("#queue li[data-precinct='adair/1nw-adair'] [data-double-entry]");
        await Assertions.Expect(secondEntry).ToHaveAttributeAsync("data-double-entry", "mismatch");
        await Assertions.Expect(firstEntry.Locator("[data-double-entry]")).ToHaveAttributeAsync("data-double-entry", "mismatch");
        // In plain words, naming the field and who entered what, at the top of both consoles (the bar stays in view).
        // Both consoles name the operators as their credentials were issued, pushed to each on the stream (the consoles do
        // not poll: only the push brings the names).
        await Assertions.Expect(other.Locator("#notice")).ToContainTextAsync(new Regex(
            @"Adair — 1NW ADAIR: Mismatch with the other operator's entry — Warren's final alignment: you \(Hotline operator \d+\) entered 7, Hotline operator \d+ entered 9;"));
        await Assertions.Expect(page.Locator("#notice")).ToContainTextAsync(new Regex(@"Warren's final alignment: you \(Hotline operator \d+\) entered 9, Hotline operator \d+ entered 7;"));
        await Assertions.Expect(page.Locator("#notice")).ToContainTextAsync(new Regex(
            @"the coin toss: you \(Hotline operator \d+\) entered Klobuchar won among Buttigieg/Klobuchar, Hotline operator \d+ entered none\."));
        var names = Regex.Matches(await page.Locator("#notice").InnerTextAsync(), @"Hotline operator (\d+)").Select(m => m.Groups[1].Value).Distinct().ToList();
        Assert.True(names.Count == 2, $"two operators named: {string.Join(", ", names)}");
        await page.Locator("#queue").ScrollIntoViewIfNeededAsync();
        await Assertions.Expect(page.Locator("#notice")).ToBeInViewportAsync();
        await second.ScreenshotAsync("hotline-mismatch");
        first.AssertNoScriptOrPolicyErrors();
    }

    private async Task SignInAsync(IPage page, string token)
    {
        await page.GotoAsync(new Uri(host.BaseAddress, "/hotline").ToString());
        // No token in the link: the sign-in box takes it.
        await page.GetByLabel("Hotline token").FillAsync(token);
        await page.GetByLabel("Hotline token").PressAsync("Enter");
        await Assertions.Expect(page.GetByLabel("Search by county and name")).ToBeFocusedAsync();
    }

    /// <summary>
    /// As an operator does it: search, Enter, attendance, Enter, then each group as its first letters and first count
    /// ("bi6"), Enter, its final count, Enter; Enter on the empty name field: the caller is done.
    /// </summary>
    private static async Task TypeAdairAsync(IPage page, int warrenFinal)
    {
        await page.Keyboard.TypeAsync("adair 1nw");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#precinct-chosen")).ToContainTextAsync("1NW ADAIR");
        await Assertions.Expect(page.GetByLabel("Attendance")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync("40");
        await page.Keyboard.PressAsync("Enter");
        foreach (var (group, firstCount, finalCount) in AdairExample.Groups)
        {
            var final = group == "Warren" ? warrenFinal : finalCount;
            await page.Keyboard.TypeAsync(string.Create(CultureInfo.InvariantCulture, $"{group[..2].ToLowerInvariant()}{firstCount}"));
            await page.Keyboard.PressAsync("Enter");
            await page.Keyboard.TypeAsync(final.ToString(CultureInfo.InvariantCulture));
            await page.Keyboard.PressAsync("Enter");
        }
        await page.Keyboard.PressAsync("Enter");
    }
}
