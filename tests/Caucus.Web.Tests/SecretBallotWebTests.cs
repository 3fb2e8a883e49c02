using System.Net;
using Caucus.Web.Tests.Infrastructure;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Caucus.Web.Tests;

/// <summary>The shipped Iowa GOP 2024 folder (secret-ballot): the service counts it as any election.</summary>
public sealed class SecretBallotWebHost() : WebHost("iowa-gop-2024");

/// <summary>
/// The war room and the report page on a secret ballot mid-night: one round of votes in, the national delegates as they
/// would fall on the count, each candidate's range with the votes still out, the map by vote leader; axe on both.
/// </summary>
[Collection(PagesCollection.Name)]
public sealed class SecretBallotWebTests(Browser browser, SecretBallotWebHost host) : IClassFixture<SecretBallotWebHost>
{
    private static string Votes(params (string Candidate, int Votes)[] votes) =>
        "{\"attendees\":" + votes.Sum(v => v.Votes) + ",\"source\":\"official\",\"final\":{" +
        string.Join(",", votes.Select(v => $"\"{v.Candidate}\":{v.Votes}")) + "}}";

    [Fact]
    public async Task Mid_night_the_war_room_shows_the_vote_the_delegates_on_the_count_their_open_ranges_and_the_map_by_vote_leader_and_a_unit_reports_its_votes()
    {
        // Four of the 99 units in (each under the 20,200 a unit without figures may report).
        await host.SubmitAsync(WebHost.AdminToken, "polk", Votes(("Trump", 9_000), ("Haley", 5_000), ("DeSantis", 4_000), ("Ramaswamy", 1_200)));
        await host.SubmitAsync(WebHost.AdminToken, "sioux", Votes(("Trump", 3_000), ("DeSantis", 2_600), ("Haley", 600), ("Binkley", 90)));
        await host.SubmitAsync(WebHost.AdminToken, "johnson", Votes(("Haley", 2_500), ("Trump", 2_400), ("DeSantis", 900), ("Hutchinson", 40)));
        await host.SubmitAsync(WebHost.AdminToken, "linn", Votes(("Trump", 6_000), ("DeSantis", 2_700), ("Haley", 2_900), ("Ramaswamy", 800)));

        // The report page on a phone: one column of votes, the math says votes and ballots, no delegate to elect.
        await using (var phone = await browser.OpenAsync(390, 844))
        {
            var page = phone.Page;
            var captain = await host.IssueTokenAsync("precinct", "adair");
            await page.GotoAsync(new Uri(host.BaseAddress, $"/report#token={captain}&precinct=adair").ToString());
            await Assertions.Expect(page.Locator("#precinct-name")).ToContainTextAsync("Adair — Adair County");
            await Assertions.Expect(page.Locator("#precinct-name")).ToContainTextAsync("One round of votes");
            await Assertions.Expect(page.Locator("#tally input[data-round='first']")).ToHaveCountAsync(0);
            await page.GetByLabel("Ballots cast").FillAsync("500");
            await page.GetByLabel("Trump, votes").FillAsync("300");
            await page.GetByLabel("DeSantis, votes").FillAsync("120");
            await page.GetByLabel("Haley, votes").FillAsync("80");
            await Assertions.Expect(page.Locator("#math")).ToContainTextAsync("500 votes of 500 ballots cast", new() { Timeout = 20_000 });
            await Assertions.Expect(page.Locator("#math")).ToContainTextAsync("National delegates are allocated statewide");
            await phone.ScreenshotAsync("secret-ballot-report");
            var axe = await page.RunAxe();
            Assert.True(axe.Violations.Length == 0, string.Join("\n", axe.Violations.Select(v => $"report: {v.Impact} {v.Id}: {v.Help}")));
            Assert.Empty(await PageChecks.ProblemsAsync(page, "report"));
            await page.GetByRole(AriaRole.Button, new() { Name = "Send the report" }).ClickAsync();
            await Assertions.Expect(page.Locator("[data-state]").First).ToHaveAttributeAsync("data-state", "stored", new() { Timeout = 20_000 });
            phone.AssertNoScriptOrPolicyErrors();
        }
        var adair = await host.GetAsync("api/v1/precincts/adair");
        Assert.Equal(300, adair.GetProperty("counted").GetProperty("final").GetProperty("Trump").GetInt32());

        await using var tab = await browser.OpenAsync(1366, 900);
        var wall = tab.Page;
        await wall.GotoAsync(new Uri(host.BaseAddress, $"/#token={await host.IssueTokenAsync("warroom")}").ToString());
        await Assertions.Expect(wall.Locator("#connection")).ToHaveTextAsync("Live");
        await Assertions.Expect(wall.Locator("#sde-heading")).ToHaveTextAsync("National delegates");
        await Assertions.Expect(wall.Locator("#reporting")).ToHaveTextAsync("5 of 99 precincts reporting");
        // Trump has 20,700 of 44,230 votes: a quota of 18.72 of 40, rounded to 19 (Ramaswamy's 1.81 to 2, Haley's 10.02
        // and DeSantis's 9.33 down: 40); 94 units out can still move every delegate.
        await Assertions.Expect(wall.Locator("#sde-bars li[data-candidate='Trump'] .value[data-sde='Trump']")).ToHaveTextAsync("19");
        await Assertions.Expect(wall.Locator("#sde-range-key")).ToContainTextAsync("Called: 0 of 40 delegates can no longer change hands.");
        await Assertions.Expect(wall.Locator("#sde-range-key")).ToContainTextAsync("20,200 ballots where it does not");
        await Assertions.Expect(wall.Locator("#sde-bars li[data-candidate='Trump'] .note")).ToHaveTextAsync("0 – 40 still open with the votes out");
        await Assertions.Expect(wall.Locator("#left")).ToContainTextAsync("votes at most");
        await Assertions.Expect(wall.Locator("#vote thead th")).ToHaveTextAsync(["Candidate", "Votes", "%"]);
        // Counties carry votes only: coloured by their vote leader (Haley leads Johnson), the table shows votes.
        await Assertions.Expect(wall.Locator("svg.map path")).ToHaveCountAsync(99);
        await Assertions.Expect(wall.Locator("svg.map path[data-county='Johnson']")).ToHaveAttributeAsync("data-leader", "Haley");
        await Assertions.Expect(wall.Locator("svg.map path[data-county='Polk']")).ToHaveAttributeAsync("data-leader", "Trump");
        await Assertions.Expect(wall.Locator("#map-heading")).ToHaveTextAsync("Counties by vote leader");
        await Assertions.Expect(wall.Locator("#county-unit")).ToHaveTextAsync("Votes");
        await wall.Locator("details:has(#county-table) summary").ClickAsync();
        await Assertions.Expect(wall.Locator("#county-table tbody tr:has(th:text-is('Polk')) td").Nth(1)).ToHaveTextAsync("9,000");
        await tab.ScreenshotAsync("secret-ballot-warroom-mid-night");

        var result = await wall.RunAxe();
        Assert.True(result.Violations.Length == 0, string.Join("\n", result.Violations.Select(v =>
            $"{v.Impact} {v.Id}: {v.Help} — {string.Join(", ", v.Nodes.Take(3).Select(n => string.Join(" ", n.Target)))}")));
        Assert.Empty(await PageChecks.ProblemsAsync(wall, "war room"));
        var text = await wall.Locator("body").InnerTextAsync();
        Assert.DoesNotContain("SDE", text, StringComparison.Ordinal);
        Assert.DoesNotContain("alignment", text, StringComparison.OrdinalIgnoreCase);
        tab.AssertNoScriptOrPolicyErrors("status of 503");
    }
}
