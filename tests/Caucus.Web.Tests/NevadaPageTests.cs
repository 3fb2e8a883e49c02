using System.Text.Json;
using Caucus.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Caucus.Web.Tests;

/// <summary>
/// The four pages on the Nevada 2020 election: the report page and the hotline console take the early-vote cards and a
/// card draw and show in person, early and merged side by side; the war room speaks of county convention delegates
/// (CCD) on a 17-county map; the admin page lists a Nevada review item and starts a correction from the in-person counts
/// and the rankings as reported.
/// </summary>
[Collection(PagesCollection.Name)]
public sealed class NevadaPageTests(Browser browser, NevadaWebHost host) : IClassFixture<NevadaWebHost>
{
    // Each test its own precincts (and the war room its own county), so they stand in any order on the shared server.
    private const string Carson103 = "carson-city/103";
    private const string Carson113 = "carson-city/113";
    private const string Churchill1 = "churchill/1";
    private const string ParkMgm = "clark/park-mgm";

    [Fact]
    public async Task The_report_page_takes_in_person_counts_and_early_rankings_shows_them_merged_with_CCD_and_the_server_stores_the_merged_counts()
    {
        var captain = await host.IssueTokenAsync("precinct", CarsonCityExample.Precinct);
        await using var tab = await browser.OpenAsync(width: 390, height: 844);
        var page = tab.Page;
        await page.GotoAsync(new Uri(host.BaseAddress, $"/report#token={captain}&precinct={Uri.EscapeDataString(CarsonCityExample.Precinct)}").ToString());
        await Assertions.Expect(page.Locator("#precinct-name")).ToContainTextAsync("Carson City — 101");
        await Assertions.Expect(page.Locator("#precinct-name")).ToContainTextAsync("D = 9");

        await CarsonCityExample.TypeAsync(page.Locator("#tally"));
        var math = page.Locator("#math");
        await Assertions.Expect(math).ToContainTextAsync("Viability threshold: 10 of 62");
        await Assertions.Expect(math).ToContainTextAsync("Early vote: 18 cards (0 void");
        await Assertions.Expect(math).ToContainTextAsync("Decided by the rules.");
        await Assertions.Expect(math.Locator("thead th")).ToHaveTextAsync(
            ["Group", "First: in person + early", "Final: in person + early", "Viability", "Delegates", "CCD"]);
        // In person, early, merged: Warren's and Klobuchar's cards make them viable; Yang's room of 4 is not.
        var row = (string group) => math.Locator("tbody tr", new() { HasText = group }).Locator("td");
        await Assertions.Expect(row("Warren").Nth(0)).ToHaveTextAsync("6 + 10 = 16");
        await Assertions.Expect(row("Warren").Nth(1)).ToHaveTextAsync("6 + 10 = 16");
        await Assertions.Expect(row("Klobuchar").Nth(1)).ToHaveTextAsync("5 + 8 = 13");
        await Assertions.Expect(row("Klobuchar").Nth(2)).ToHaveTextAsync("viable");
        await Assertions.Expect(row("Yang").Nth(2)).ToHaveTextAsync("not viable");
        await tab.ScreenshotAsync("nevada-report-typed");

        await page.GetByRole(AriaRole.Button, new() { Name = "Send the report" }).ClickAsync();
        await Assertions.Expect(page.Locator("#delivery")).ToHaveAttributeAsync("data-state", "stored");

        var counted = (await host.GetAsync($"api/v1/precincts/{Uri.EscapeDataString(CarsonCityExample.Precinct)}")).GetProperty("counted");
        Assert.Equal(62, counted.GetProperty("attendees").GetInt32());
        Assert.Equal("captain", counted.GetProperty("source").GetString());
        foreach (var (group, merged) in CarsonCityExample.MergedFinal) Assert.Equal(merged, counted.GetProperty("final").GetProperty(group).GetInt32());
        Assert.Equal(44, counted.GetProperty("early").GetProperty("inPersonAttendees").GetInt32());
        tab.AssertNoScriptOrPolicyErrors();
    }

    // Memo Principle 4 B in Carson City 113 (D = 9): two groups of 7 of 14 give R = 4.5 each, halves up 5 + 5 = 10, one
    // too many, equal on four decimals: a card draw. The King of hearts beats the two of clubs: Biden keeps the fifth.
    [Fact]
    public async Task The_hotline_asks_for_the_cards_of_a_tied_precinct_reads_them_back_and_the_allocation_follows_the_cards()
    {
        const string tied = Carson113;
        await using var tab = await browser.OpenAsync(1280, 900);
        var page = tab.Page;
        await page.GotoAsync(new Uri(host.BaseAddress, $"/hotline#token={await host.IssueTokenAsync("hotline")}").ToString());
        await Assertions.Expect(page.GetByLabel("Search by county and name")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync("carson 113");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#precinct-chosen")).ToContainTextAsync("Carson City — 113");
        await page.GetByLabel("Attendance").FillAsync("14");
        foreach (var group in new[] { "Biden", "Sanders" })
        {
            // The hotline shows only the groups the caller names: each is added by its first letters and Enter.
            await page.GetByLabel("Add a group").FillAsync(group[..2]);
            await page.GetByLabel("Add a group").PressAsync("Enter");
            await page.GetByLabel($"{group}, first alignment").FillAsync("7");
            await page.GetByLabel($"{group}, final alignment").FillAsync("7");
        }

        var tie = page.Locator(".toss");
        await Assertions.Expect(tie.Locator("legend")).ToHaveTextAsync("Which card did each group draw?");
        await Assertions.Expect(page.Locator("#math")).ToContainTextAsync("Provisional: a card draw decides part of it");
        await tie.GetByLabel("Biden's card: rank").SelectOptionAsync("King");
        await tie.GetByLabel("Biden's card: suit").SelectOptionAsync("hearts");
        await tie.GetByLabel("Sanders's card: rank").SelectOptionAsync("2");
        await tie.GetByLabel("Sanders's card: suit").SelectOptionAsync("clubs");
        await Assertions.Expect(page.Locator("#math")).ToContainTextAsync("Decided, with the card draw as entered.");
        await Assertions.Expect(page.Locator("#math tbody tr", new() { HasText = "Biden" }).Locator("td").Nth(3)).ToHaveTextAsync("5");

        await page.GetByRole(AriaRole.Button, new() { Name = "Read back" }).ClickAsync();
        var readBack = page.Locator("#read-back-text");
        await Assertions.Expect(readBack).ToContainTextAsync("Card draw: Biden King of hearts, Sanders 2 of clubs.");
        await Assertions.Expect(readBack).ToContainTextAsync("That gives: Biden 5, Sanders 4.");
        await tab.ScreenshotAsync("nevada-hotline-card-draw");
        await page.GetByRole(AriaRole.Button, new() { Name = "Caller confirms: send" }).ClickAsync();
        var sent = page.Locator($"#queue li[data-precinct='{tied}']");
        await Assertions.Expect(sent).ToHaveAttributeAsync("data-state", "stored");
        await Assertions.Expect(sent.Locator("[data-double-entry]")).ToHaveAttributeAsync("data-double-entry", "awaiting-second-entry");

        // The second operator enters the same numbers and cards: the report counts, tie-broken as the cards say.
        await host.SubmitAsync(await host.IssueTokenAsync("hotline"), tied, """
            {"attendees":14,"source":"hotline","first":{"Biden":7,"Sanders":7},"final":{"Biden":7,"Sanders":7},
             "tieBreaks":[{"groups":["Biden","Sanders"],"cards":[{"group":"Biden","rank":13,"suit":"hearts"},{"group":"Sanders","rank":2,"suit":"clubs"}]}]}
            """);
        await Assertions.Expect(sent.Locator("[data-double-entry]")).ToHaveAttributeAsync("data-double-entry", "confirmed");
        var allocation = (await host.GetAsync($"api/v1/precincts/{Uri.EscapeDataString(tied)}")).GetProperty("allocation");
        Assert.Equal("tie-broken", allocation.GetProperty("status").GetString());
        Assert.Equal(5, allocation.GetProperty("countyDelegates").GetProperty("Biden").GetInt32());
        Assert.Equal(4, allocation.GetProperty("countyDelegates").GetProperty("Sanders").GetInt32());
        // The search's example is one of this election's precincts, not Iowa's.
        Assert.DoesNotContain("adair", await page.GetByLabel("Search by county and name").GetAttributeAsync("placeholder") ?? "", StringComparison.OrdinalIgnoreCase);
        tab.AssertNoScriptOrPolicyErrors();
    }

    [Fact]
    public async Task The_war_room_speaks_of_county_convention_delegates_on_a_17_county_map()
    {
        await host.SubmitAsync(WebHost.AdminToken, Churchill1, """{"attendees":30,"source":"official","first":{"Sanders":20,"Biden":10},"final":{"Sanders":20,"Biden":10}}""");
        await host.SubmitAsync(WebHost.AdminToken, "clark/1038", """{"attendees":25,"source":"official","first":{"Buttigieg":15,"Warren":10},"final":{"Buttigieg":15,"Warren":10}}""");
        // Park MGM (D = 33) split evenly: 16.5 each, halves up one too many, a card draw for 17 of 33 that can change the
        // statewide leader: the leader alert is up, in the election's unit.
        await host.SubmitAsync(WebHost.AdminToken, ParkMgm, """{"attendees":40,"source":"official","first":{"Sanders":20,"Biden":20},"final":{"Sanders":20,"Biden":20}}""");
        await using var tab = await browser.OpenAsync(1280, 900);
        var page = tab.Page;
        await page.GotoAsync(new Uri(host.BaseAddress, $"/#token={await host.IssueTokenAsync("warroom")}").ToString());
        await Assertions.Expect(page.Locator("#connection")).ToHaveTextAsync("Live");
        await Assertions.Expect(page.Locator("#sde-heading")).ToHaveTextAsync("County convention delegates");
        await Assertions.Expect(page.Locator("#county-unit")).ToHaveTextAsync("CCD");
        await Assertions.Expect(page.Locator("#attention-counts [data-kind='pending']")).ToHaveTextAsync("1 pending card draw");
        await Assertions.Expect(page.Locator($"#attention-list li[data-kind='pending'][data-precinct='{ParkMgm}']")).ToContainTextAsync("Clark — Park MGM");
        await Assertions.Expect(page.Locator("#leader-alert")).ToHaveAttributeAsync("data-at-risk", "true");
        await Assertions.Expect(page.Locator("svg.map path")).ToHaveCountAsync(17);
        await Assertions.Expect(page.Locator("#county-table tbody tr")).ToHaveCountAsync(17);
        await Assertions.Expect(page.GetByRole(AriaRole.Img, new() { Name = "2020 Nevada Democratic Caucuses", Exact = false })).ToBeVisibleAsync();
        // Churchill 1 (D = 6): Sanders 4, Biden 2 county convention delegates, one unit each (no weighting by county).
        var churchill = page.Locator("svg.map path[data-county='Churchill']");
        await Assertions.Expect(churchill).ToHaveAttributeAsync("data-leader", "Sanders");
        await churchill.HoverAsync();
        await Assertions.Expect(page.Locator("#map-tooltip")).ToContainTextAsync("Sanders: 4");
        await Assertions.Expect(page.Locator("#map-tooltip")).ToContainTextAsync("CCD");

        await page.Locator("details:has(#county-table) summary").ClickAsync();
        await tab.ScreenshotAsync("nevada-warroom-few");
        // Every word on the page (the leader alert's reason, from the server, included) in Nevada's terms.
        var text = await page.Locator("body").InnerTextAsync();
        Assert.DoesNotContain("SDE", text, StringComparison.Ordinal);
        Assert.DoesNotContain("State delegate", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("toss", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("undefined", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("[object", text, StringComparison.Ordinal);
        Assert.DoesNotContain("NaN", text, StringComparison.Ordinal);
        tab.AssertNoScriptOrPolicyErrors("status of 503");
    }

    // Carson City 103 (D = 8) with the example's room and cards: 17, 16, 16 and 13 of 62 give Biden 2.19, Sanders and
    // Warren 2.06, Klobuchar 1.68: two each. The chair's sheet gives Klobuchar none and Biden 4: not what the rules give.
    [Fact]
    public async Task The_admin_page_lists_a_Nevada_report_that_breaks_the_rules_and_a_correction_starts_from_in_person_counts_and_rankings_and_keeps_the_merged_counts()
    {
        await host.SubmitAsync(WebHost.AdminToken, Carson103, CarsonCityExample.Body("chair", reportedDelegates: """{"Biden":4,"Sanders":2,"Warren":2}"""));
        var before = (await host.GetAsync($"api/v1/precincts/{Uri.EscapeDataString(Carson103)}")).GetProperty("counted");

        await using var tab = await browser.OpenAsync(1280, 900);
        var page = tab.Page;
        await page.GotoAsync(new Uri(host.BaseAddress, $"/admin#token={await host.IssueTokenAsync("admin")}").ToString());
        await Assertions.Expect(page.Locator("#connection")).ToHaveTextAsync("Live");
        var item = page.Locator($"article.review-item[data-precinct='{Carson103}'][data-reason='rules-broken']");
        await Assertions.Expect(item.Locator("h3")).ToHaveTextAsync("Carson City — 103 Rules broken");
        await Assertions.Expect(item.Locator("tr[data-group='Klobuchar'] td[data-differs='true']")).ToHaveTextAsync("≠ 0 (not what the rules give)");
        // The versions table shows the counts as counted: early cards merged in.
        await Assertions.Expect(item.Locator("tr[data-group='Warren'] td").Nth(1)).ToHaveTextAsync("16");
        await Assertions.Expect(item.Locator(".versions-box")).ToContainTextAsync("the counts include the early vote: 44 in person, 18 early cards");
        await Assertions.Expect(item.Locator(".versions-box")).Not.ToContainTextAsync("[object");

        await item.GetByRole(AriaRole.Button, new() { Name = "Enter a correction" }).ClickAsync();
        var correction = item.Locator(".correction");
        await Assertions.Expect(correction.GetByLabel("Attendance")).ToHaveValueAsync("44");
        await Assertions.Expect(correction.GetByLabel("Warren, final alignment")).ToHaveValueAsync("6");
        await Assertions.Expect(correction.GetByLabel("Yang, first alignment")).ToHaveValueAsync("4");
        var rows = correction.Locator(".early-row");
        await Assertions.Expect(rows.Nth(0).GetByLabel("Cards")).ToHaveValueAsync("10");
        await Assertions.Expect(rows.Nth(0).GetByLabel("Ranking 1, choice 1", new() { Exact = true })).ToHaveValueAsync("Warren");
        await Assertions.Expect(rows.Nth(1).GetByLabel("Cards")).ToHaveValueAsync("8");
        await Assertions.Expect(rows.Nth(1).GetByLabel("Ranking 2, choice 3", new() { Exact = true })).ToHaveValueAsync("Steyer");
        await Assertions.Expect(correction).ToContainTextAsync("Viability threshold: 10 of 62");
        await correction.GetByLabel("Note (optional)").FillAsync("delegates as the rules give them");
        await tab.ScreenshotAsync("nevada-admin-correction");

        await correction.GetByRole(AriaRole.Button, new() { Name = "Send the correction" }).ClickAsync();
        await Assertions.Expect(page.Locator("#last-decision")).ToContainTextAsync("Correction for Carson City — 103 stored as revision 2");
        var after = (await host.GetAsync($"api/v1/precincts/{Uri.EscapeDataString(Carson103)}")).GetProperty("counted");
        Assert.Equal("official", after.GetProperty("source").GetString());
        // Counted again from the in-person counts and the same cards: the same merged counts, not the merged counts taken
        // as if all were in person (which would add the early cards twice).
        Assert.Equal(62, after.GetProperty("attendees").GetInt32());
        foreach (var round in new[] { "first", "final" })
        {
            Assert.Equal(Counts(before.GetProperty(round)), Counts(after.GetProperty(round)));
        }
        Assert.Equal(44, after.GetProperty("early").GetProperty("inPersonAttendees").GetInt32());
        tab.AssertNoScriptOrPolicyErrors();
    }

    private static SortedDictionary<string, int> Counts(JsonElement counts) =>
        new(counts.EnumerateObject().Where(p => p.Value.GetInt32() != 0).ToDictionary(p => p.Name, p => p.Value.GetInt32()), StringComparer.Ordinal);
}
