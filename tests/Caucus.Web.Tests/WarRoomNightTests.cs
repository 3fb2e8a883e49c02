using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Caucus.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Caucus.Web.Tests;

/// <summary>
/// The war room as a wall screen (issue 22), on Iowa's night as the party published it, posted over HTTP: every other
/// precinct in ("mid-night"), then all ("the end"), looked at 1920×1080, 1366×768 and 390×844. Photographs go to
/// screenshots/warroom-{state}-{size}.png; the mid-night ones are copied to docs/ after a person has looked at them.
/// </summary>
[Collection(PagesCollection.Name)]
public sealed class WarRoomNightTests(Browser browser, WebHost host) : IClassFixture<WebHost>
{
    private static readonly (string Name, int Width, int Height)[] Sizes = [("1920", 1920, 1080), ("1366", 1366, 768), ("390", 390, 844)];

    [Fact]
    public async Task Mid_night_and_at_the_end_the_wall_screen_states_the_lead_what_is_left_and_what_needs_attention_at_three_sizes()
    {
        var night = PublishedNight.Reports(host);
        var (midNight, rest) = (night.Where((_, i) => i % 2 == 1).ToList(), night.Where((_, i) => i % 2 == 0).ToList());
        await PublishedNight.PostAsync(host, midNight);
        await using var tab = await browser.OpenAsync(1920, 1080);
        await tab.Page.GotoAsync(new Uri(host.BaseAddress, $"/#token={await host.IssueTokenAsync("warroom")}").ToString());

        var problems = await LookAsync(tab, "mid-night");
        await PublishedNight.PostAsync(host, rest);
        problems.AddRange(await LookAsync(tab, "end"));

        // At the end of the published night Buttigieg leads in SDEs and Sanders the popular vote: the headline says both.
        await Assertions.Expect(tab.Page.Locator("#lead-sde")).ToContainTextAsync("Buttigieg leads");
        await Assertions.Expect(tab.Page.Locator("#lead-vote")).ToContainTextAsync("Sanders leads the popular vote");
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        tab.AssertNoScriptOrPolicyErrors("status of 503");
    }

    [Fact]
    public async Task A_full_width_banner_gives_the_datas_age_when_the_server_is_down_and_goes_when_it_is_back()
    {
        await using var tab = await browser.OpenAsync(1366, 768);
        var page = tab.Page;
        await page.GotoAsync(new Uri(host.BaseAddress, $"/#token={await host.IssueTokenAsync("warroom")}").ToString());
        await Assertions.Expect(page.Locator("#connection")).ToHaveTextAsync("Live");
        await Assertions.Expect(page.Locator("#stale")).ToBeHiddenAsync();

        await host.StopAsync();
        try
        {
            var banner = page.Locator("#stale");
            await Assertions.Expect(banner).ToBeVisibleAsync();
            await Assertions.Expect(banner).ToContainTextAsync("Connection lost");
            await Assertions.Expect(banner).ToContainTextAsync(new Regex(@"\d+ s old"));
            var box = await banner.BoundingBoxAsync();
            Assert.True(box is not null && box.Width >= 1366 - 40, $"the banner is {box?.Width} px wide in a 1366 px window");
            await tab.ScreenshotAsync("warroom-stale-1366", fullPage: false);

            host.Start();
            await Assertions.Expect(page.Locator("#connection")).ToHaveTextAsync("Live");
            await Assertions.Expect(banner).ToBeHiddenAsync();
        }
        finally
        {
            // The other tests of the class share this server.
            if (!host.Running) host.Start();
        }
        tab.AssertNoScriptOrPolicyErrors("status of 503", "ERR_CONNECTION_REFUSED", "Failed to load resource");
    }

    [Fact]
    public async Task Without_a_token_outside_the_demo_the_war_room_asks_for_one()
    {
        await using var tab = await browser.OpenAsync();
        await tab.Page.GotoAsync(host.BaseAddress.ToString());
        await Assertions.Expect(tab.Page.Locator("#sign-in")).ToBeVisibleAsync();
        await Assertions.Expect(tab.Page.Locator("#app")).ToBeHiddenAsync();
        tab.AssertNoScriptOrPolicyErrors();
    }

    /// <summary>
    /// Waits until the page shows the server's latest version, checks what it says against the server's documents, and
    /// photographs it at each size; the problems PageChecks finds are returned (asserted once every photograph is taken).
    /// </summary>
    private async Task<List<string>> LookAsync(BrowserPage tab, string state)
    {
        var page = tab.Page;
        await page.SetViewportSizeAsync(1920, 1080);
        var results = await host.GetAsync("api/v1/results");
        await Assertions.Expect(page.Locator("#last-update")).ToContainTextAsync($"version {results.GetProperty("version").GetInt64()}", new() { Timeout = 30_000 });

        // One reporting count, the results document's, with the satellites' part of the same count.
        var precincts = results.GetProperty("precincts");
        var satellites = precincts.GetProperty("satellites");
        var (reporting, total) = (precincts.GetProperty("reporting").GetInt32(), precincts.GetProperty("total").GetInt32());
        var (satReporting, satTotal) = (satellites.GetProperty("reporting").GetInt32(), satellites.GetProperty("total").GetInt32());
        await Assertions.Expect(page.Locator("#reporting")).ToHaveTextAsync(
            $"{N(reporting)} of {N(total)} reporting: {N(reporting - satReporting)} of {N(total - satTotal)} precincts, {N(satReporting)} of {N(satTotal)} satellites");
        await Assertions.Expect(page.Locator("#left")).ToContainTextAsync($"{N(total - satTotal - reporting + satReporting)} precincts");

        // The lead as a number, and who leads the popular vote when another candidate does.
        var candidates = results.GetProperty("candidates").EnumerateArray().ToList();
        var bySde = candidates.OrderByDescending(c => Sde(c)).ToList();
        var margin = Sde(bySde[0]) - Sde(bySde[1]);
        await Assertions.Expect(page.Locator("#lead-sde")).ToContainTextAsync(
            $"{bySde[0].GetProperty("name").GetString()} leads by {margin.ToString("0.0000", CultureInfo.InvariantCulture)} SDE");
        var voteLeader = candidates.MaxBy(c => c.GetProperty("finalAlignment").GetInt64()).GetProperty("name").GetString()!;
        if (voteLeader != bySde[0].GetProperty("name").GetString())
        {
            await Assertions.Expect(page.Locator("#lead-vote")).ToContainTextAsync($"{voteLeader} leads the popular vote");
        }

        // Needs attention: counts by kind as /api/v1/flags lists them, each item with its reason in words.
        var flags = await host.GetAsync("api/v1/flags");
        var kinds = new[] { ("inconsistent", "inconsistent"), ("pendingTieBreaks", "pending"), ("doubleEntryMismatches", "mismatch"), ("sourceDisagreements", "disagreement") };
        var expectedItems = 0;
        foreach (var (property, kind) in kinds)
        {
            var listed = flags.GetProperty(property).GetArrayLength();
            expectedItems += listed;
            await Assertions.Expect(page.Locator($"#attention-counts [data-kind='{kind}'] .count")).ToHaveTextAsync(N(listed));
        }
        Assert.True(flags.GetProperty("inconsistent").GetArrayLength() > 0 && flags.GetProperty("pendingTieBreaks").GetArrayLength() > 0,
            $"the published night flags precincts of both kinds ({state})");
        await Assertions.Expect(page.Locator("#attention-list li")).ToHaveCountAsync(expectedItems);
        var reasonless = await page.EvaluateAsync<string[]>(
            "() => [...document.querySelectorAll('#attention-list li')].filter(li => (li.querySelector('.reason')?.textContent ?? '').trim().length < 8).map(li => li.textContent)");
        Assert.True(reasonless.Length == 0, $"items without a reason in words ({state}): {string.Join(" | ", reasonless.Take(5))}");
        var toss = flags.GetProperty("pendingTieBreaks")[0];
        await Assertions.Expect(page.Locator($"#attention-list li[data-kind='pending'][data-precinct='{toss.GetProperty("precinct").GetString()}']"))
            .ToContainTextAsync(toss.GetProperty("detail").GetString()!);
        await Assertions.Expect(page.Locator($"#attention-list li[data-kind='pending'][data-precinct='{toss.GetProperty("precinct").GetString()}'] a"))
            .ToHaveAttributeAsync("href", $"#precinct={Uri.EscapeDataString(toss.GetProperty("precinct").GetString()!)}");

        // The link opens the precinct's numbers on the page: the pending toss as the server describes it.
        await page.Locator($"#attention-list li[data-kind='pending'][data-precinct='{toss.GetProperty("precinct").GetString()}'] a").ClickAsync();
        await Assertions.Expect(page.Locator("#precinct-detail")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#precinct-body")).ToContainTextAsync($"Pending: {toss.GetProperty("detail").GetString()}");
        await page.Locator("#precinct-close").ClickAsync();
        await Assertions.Expect(page.Locator("#precinct-detail")).ToBeHiddenAsync();
        await page.Locator(".attention-scroll").EvaluateAsync("list => list.scrollTop = 0");
        // Photographed once the projection has caught up with these results (one computation after the posts pause).
        // (At least the version read above: the results document may have been a young snapshot a version behind.)
        await page.WaitForFunctionAsync("v => Number(document.querySelector('#projection [data-based-on]')?.dataset.basedOn ?? -1) >= v",
            results.GetProperty("version").GetInt64(), new() { Timeout = 90_000 });
        results = await host.GetAsync("api/v1/results");
        // Beside its numbers, the projection says why in words: the server's sentence for that version.
        var projection = await host.GetAsync("api/v1/projection");
        if (projection.GetProperty("basedOnVersion").GetInt64() == results.GetProperty("version").GetInt64()
            && projection.TryGetProperty("why", out var why) && why.ValueKind == System.Text.Json.JsonValueKind.String && why.GetString()!.Length > 0)
        {
            await Assertions.Expect(page.Locator("#projection .why")).ToHaveTextAsync(why.GetString()!);
        }
        else if (state == "mid-night")
        {
            Assert.Fail($"with half the night in, the projection document has no why for version {results.GetProperty("version")}");
        }

        // The wall: "Needs attention" starts on the first screen at 1920×1080, and the content uses the width.
        var attention = await page.Locator("#attention").BoundingBoxAsync();
        Assert.True(attention is not null && attention.Y < 1080 - 200, $"Needs attention starts at {attention?.Y} px ({state})");
        var bar = await page.Locator("#sde-bars .track").First.BoundingBoxAsync();
        Assert.True(bar is not null && bar.Width >= 250, $"the leader's SDE bar is {bar?.Width} px long at 1920 ({state})");
        var main = await page.Locator("#app").BoundingBoxAsync();
        Assert.True(main is not null && main.Width >= 1850, $"the content is {main?.Width} px wide at 1920 ({state})");

        var problems = new List<string>();
        foreach (var (size, width, height) in Sizes)
        {
            await page.SetViewportSizeAsync(width, height);
            await Assertions.Expect(page.Locator("#sde-bars li").First).ToBeVisibleAsync();
            problems.AddRange(await PageChecks.ProblemsAsync(page, $"warroom {state} {size}"));
            await tab.ScreenshotAsync($"warroom-{state}-{size}");
        }
        await page.SetViewportSizeAsync(1920, 1080);
        return problems;
    }

    private static decimal Sde(JsonElement candidate) => decimal.Parse(candidate.GetProperty("sde").GetString()!, CultureInfo.InvariantCulture);

    private static string N(int n) => n.ToString("N0", CultureInfo.InvariantCulture);
}
