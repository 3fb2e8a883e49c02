using Caucus.Web.Tests.Infrastructure;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Caucus.Web.Tests;

/// <summary>The server on the shipped walking-subcaucus example, whose groups are named by the reports.</summary>
public sealed class SubcaucusWebHost() : WebHost("mn-dfl-example");

/// <summary>
/// Open groups on the pages: a captain adds a subcaucus named on the night from a phone, by keyboard, and the server
/// counts it; headquarters merges one spelling into another on the admin page and undoes it. Axe on both.
/// </summary>
[Collection(PagesCollection.Name)]
public sealed class OpenGroupPageTests(Browser browser, SubcaucusWebHost host) : IClassFixture<SubcaucusWebHost>
{
    private const string Precinct = "hennepin/minneapolis-w-1-p-1";

    [Fact]
    public async Task A_captain_adds_a_subcaucus_named_on_the_night_on_a_phone_and_the_server_counts_it()
    {
        var captain = await host.IssueTokenAsync("precinct", Precinct);
        await using var tab = await browser.OpenAsync(width: 390, height: 844);
        var page = tab.Page;
        await page.GotoAsync(new Uri(host.BaseAddress, $"/report#token={captain}&precinct={Uri.EscapeDataString(Precinct)}").ToString());
        await Assertions.Expect(page.Locator("#precinct-name")).ToContainTextAsync("D = 8");

        await page.GetByLabel("Attendance (people signed in)").FillAsync("60");
        await page.GetByLabel("Climate Action, first count (members of each subcaucus)").FillAsync("20");
        await page.GetByLabel("Climate Action, final count (members of each subcaucus)").FillAsync("20");
        // Keyboard: the new row's name, Enter to its first count, Enter to its final count.
        await page.GetByRole(AriaRole.Button, new() { Name = "Add a subcaucus" }).ClickAsync();
        var name = page.GetByLabel("Subcaucus name (row 1)");
        await Assertions.Expect(name).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync("  Tenants   United ");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByLabel("First count (members of each subcaucus) of the subcaucus in row 1")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync("40");
        await page.Keyboard.PressAsync("Enter");
        await page.Keyboard.TypeAsync("40");

        // 60 members, 8 delegates: viability ⌈60/8⌉ = 8; divisor 7.5: Tenants United 5.33 → 5, Climate Action 2.67 → 2, the last to Climate.
        var math = page.Locator("#math");
        await Assertions.Expect(math).ToContainTextAsync("Viability threshold: 8");
        var row = math.Locator("tbody tr", new() { HasText = "Tenants United" }).Locator("td");
        await Assertions.Expect(row.Nth(2)).ToHaveTextAsync("viable");
        await Assertions.Expect(row.Nth(3)).ToHaveTextAsync("5");
        await tab.ScreenshotAsync("subcaucus-report-added");
        Assert.Empty(await PageChecks.ProblemsAsync(page, "report"));
        var axe = await page.RunAxe();
        Assert.True(axe.Violations.Length == 0, string.Join("\n", axe.Violations.Select(v => $"{v.Impact} {v.Id}: {v.Help}")));

        await page.GetByRole(AriaRole.Button, new() { Name = "Send the report" }).ClickAsync();
        await Assertions.Expect(page.Locator("#delivery")).ToHaveAttributeAsync("data-state", "stored");
        var counted = (await host.GetAsync($"api/v1/precincts/{Uri.EscapeDataString(Precinct)}")).GetProperty("counted");
        Assert.Equal(40, counted.GetProperty("final").GetProperty("Tenants United").GetInt32());
        var results = await host.GetAsync("api/v1/results");
        Assert.Contains(results.GetProperty("candidates").EnumerateArray(), c => c.GetProperty("name").GetString() == "Tenants United");
        tab.AssertNoScriptOrPolicyErrors();
    }

    [Fact]
    public async Task Headquarters_merges_a_spelling_into_another_on_the_admin_page_and_unmerges_it()
    {
        await host.SubmitAsync(WebHost.AdminToken, "hennepin/minneapolis-w-1-p-2",
            """{"attendees":20,"source":"official","first":{"Housing Now":12,"Peace":8},"final":{"Housing Now":12,"Peace":8}}""");
        await host.SubmitAsync(WebHost.AdminToken, "hennepin/minneapolis-w-1-p-3",
            """{"attendees":20,"source":"official","first":{"Housing":15,"Peace":5},"final":{"Housing":15,"Peace":5}}""");
        await using var tab = await browser.OpenAsync(1280, 900);
        var page = tab.Page;
        await page.GotoAsync(new Uri(host.BaseAddress, $"/admin#token={await host.IssueTokenAsync("admin")}").ToString());
        var panel = page.Locator("#groups-panel");
        await Assertions.Expect(panel.Locator("#group-spellings tbody tr", new() { HasText = "Housing Now" })).ToContainTextAsync("1");

        await panel.GetByLabel("Merge this spelling").SelectOptionAsync("Housing Now");
        await panel.GetByLabel("into this one").SelectOptionAsync("Housing");
        await panel.GetByRole(AriaRole.Button, new() { Name = "Merge", Exact = true }).ClickAsync();
        await Assertions.Expect(panel.Locator("#groups-message")).ToHaveTextAsync("Merged “Housing Now” into “Housing”.");
        await Assertions.Expect(panel.Locator("#group-merges")).ToContainTextAsync("“Housing Now” adds up under “Housing”.");
        var housing = (await host.GetAsync("api/v1/results")).GetProperty("candidates").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "Housing");
        Assert.Equal(27, housing.GetProperty("finalAlignment").GetInt64());
        await tab.ScreenshotAsync("subcaucus-admin-merged");
        var axe = await page.RunAxe();
        Assert.True(axe.Violations.Length == 0, string.Join("\n", axe.Violations.Select(v => $"{v.Impact} {v.Id}: {v.Help}")));

        await panel.GetByRole(AriaRole.Button, new() { Name = "Unmerge “Housing Now”" }).ClickAsync();
        await Assertions.Expect(panel.Locator("#group-merges")).ToHaveTextAsync("No spelling is merged.");
        Assert.Contains((await host.GetAsync("api/v1/results")).GetProperty("candidates").EnumerateArray(), c => c.GetProperty("name").GetString() == "Housing Now");
        tab.AssertNoScriptOrPolicyErrors();
    }

    [Fact]
    public async Task The_hotline_takes_a_new_subcaucus_by_its_full_name()
    {
        await using var tab = await browser.OpenAsync(1280, 900);
        var page = tab.Page;
        await page.GotoAsync(new Uri(host.BaseAddress, $"/hotline#token={await host.IssueTokenAsync("hotline")}").ToString());
        await Assertions.Expect(page.GetByLabel("Search by county and name")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync("roseville");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#precinct-chosen")).ToContainTextAsync("Roseville P-4");
        await page.GetByLabel("Attendance").FillAsync("30");
        // A suggestion by its first letters; a new name, digits and all, in full.
        foreach (var (name, typed) in new[] { ("Peace", "pea"), ("Ward 5 Housing", "Ward 5 Housing") })
        {
            await page.GetByLabel("Add a subcaucus").FillAsync(typed);
            await page.GetByLabel("Add a subcaucus").PressAsync("Enter");
            await Assertions.Expect(page.GetByLabel($"{name}, first count (members of each subcaucus)")).ToBeFocusedAsync();
            await page.Keyboard.TypeAsync("15");
            await page.Keyboard.PressAsync("Enter");
            await page.Keyboard.TypeAsync("15");
        }
        var row = page.Locator("#math tbody tr", new() { HasText = "Ward 5 Housing" }).Locator("td");
        await Assertions.Expect(row.Nth(2)).ToHaveTextAsync("viable");
        var axe = await page.RunAxe();
        Assert.True(axe.Violations.Length == 0, string.Join("\n", axe.Violations.Select(v => $"{v.Impact} {v.Id}: {v.Help}")));
        tab.AssertNoScriptOrPolicyErrors();
    }

    [Fact]
    public async Task The_war_room_lists_a_subcaucus_by_name_and_its_precinct_view_says_who_won_and_lost_the_lot()
    {
        const string lot = "hennepin/st-anthony-p-1";
        await host.SubmitAsync(WebHost.AdminToken, lot, """
            {"attendees":60,"source":"official","first":{"Tenants United":20,"Jobs":20,"Peace":20},"final":{"Tenants United":20,"Jobs":20,"Peace":20},
             "tieBreaks":[{"groups":["Jobs","Peace","Tenants United"],"winners":["Tenants United"]}]}
            """);
        await using var tab = await browser.OpenAsync(1280, 900);
        var page = tab.Page;
        await page.GotoAsync(new Uri(host.BaseAddress, $"/#token={await host.IssueTokenAsync("warroom")}").ToString());
        await Assertions.Expect(page.Locator("#connection")).ToHaveTextAsync("Live");
        await Assertions.Expect(page.Locator("#sde-bars")).ToContainTextAsync("Tenants United");
        // The precinct's numbers, as "Needs attention" opens them.
        await page.EvaluateAsync("id => { location.hash = 'precinct=' + encodeURIComponent(id); }", lot);
        await Assertions.Expect(page.Locator("#precinct-body .decided-tie")).ToContainTextAsync("won by Tenants United; lost by Jobs, Peace");
        Assert.Empty(await PageChecks.ProblemsAsync(page, "war room"));
        tab.AssertNoScriptOrPolicyErrors();
    }

    // Each count is a revision: the first count sent alone shows who is viable; the final count, typed into the same form
    // later, is the next revision of the same report.
    [Fact]
    public async Task A_captain_sends_the_first_count_then_the_final_count_as_the_next_revision()
    {
        const string precinct = "ramsey/roseville-p-4";
        var captain = await host.IssueTokenAsync("precinct", precinct);
        await using var tab = await browser.OpenAsync(width: 390, height: 844);
        var page = tab.Page;
        await page.GotoAsync(new Uri(host.BaseAddress, $"/report#token={captain}&precinct={Uri.EscapeDataString(precinct)}").ToString());
        await Assertions.Expect(page.Locator("#precinct-name")).ToContainTextAsync("D = 3");
        await page.GetByLabel("Attendance (people signed in)").FillAsync("30");
        await page.GetByLabel("Peace, first count (members of each subcaucus)").FillAsync("26");
        await page.GetByLabel("Housing, first count (members of each subcaucus)").FillAsync("4");
        // 30 members, 3 delegates: viability 10; Housing's 4 are not viable.
        var math = page.Locator("#math");
        await Assertions.Expect(math).ToContainTextAsync("Viability threshold: 10");
        await Assertions.Expect(math.Locator("tbody tr", new() { HasText = "Housing" }).Locator("td").Nth(2)).ToHaveTextAsync("not viable");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send the report" }).ClickAsync();
        await Assertions.Expect(page.Locator("#delivery")).ToHaveAttributeAsync("data-state", "stored");
        var first = (await host.GetAsync($"api/v1/precincts/{Uri.EscapeDataString(precinct)}")).GetProperty("revision").GetInt32();

        await page.GetByLabel("Peace, final count (members of each subcaucus)").FillAsync("29");
        await page.GetByLabel("Housing, final count (members of each subcaucus)").FillAsync("0");
        await Assertions.Expect(math.Locator("tbody tr", new() { HasText = "Peace" }).Locator("td").Nth(3)).ToHaveTextAsync("3");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send the report" }).ClickAsync();
        await Assertions.Expect(page.Locator("#delivery")).ToContainTextAsync($"(revision {first + 1})");
        var counted = (await host.GetAsync($"api/v1/precincts/{Uri.EscapeDataString(precinct)}")).GetProperty("counted");
        Assert.Equal(29, counted.GetProperty("final").GetProperty("Peace").GetInt32());
        tab.AssertNoScriptOrPolicyErrors();
    }
}
