using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Caucus.Web.Tests.Infrastructure;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Caucus.Web.Tests;

/// <summary>
/// The admin page against the server's review queue and certification: Adair 4SE ORIENT as the party published
/// it (the rounding adjustment went to Warren, where the rules give it to Sanders), a two-million-attendee report
/// held out of the totals until confirmed, two sources that disagree, a correction, and certification refused.
/// </summary>
[Collection(PagesCollection.Name)]
public sealed class AdminPageTests(Browser browser, WebHost host) : IClassFixture<WebHost>
{
    private const string Orient = "adair/4se-orient";
    private const string OrientGroups = """{"Biden":7,"Buttigieg":6,"Klobuchar":6,"Sanders":6,"Warren":9}""";
    private const string Adams1 = "adams/adams-1";
    private const string Adams2 = "adams/adams-2";

    private static long FirstAlignment(JsonElement results, string name) =>
        results.GetProperty("candidates").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name).GetProperty("firstAlignment").GetInt64();

    private async Task<IPage> OpenAdminAsync(BrowserPage tab)
    {
        var admin = await host.IssueTokenAsync("admin");
        await tab.Page.GotoAsync(new Uri(host.BaseAddress, $"/admin#token={admin}").ToString());
        await Assertions.Expect(tab.Page.Locator("#connection")).ToHaveTextAsync("Live");
        Assert.DoesNotContain("token", tab.Page.Url, StringComparison.Ordinal);
        return tab.Page;
    }

    [Fact]
    public async Task Orient_as_published_and_a_held_report_are_listed_confirming_makes_the_held_one_count_and_clearing_with_a_reason_removes_Orient()
    {
        await host.SubmitAsync(WebHost.AdminToken, Orient,
            $$"""{"attendees":34,"first":{{OrientGroups}},"final":{{OrientGroups}},"reportedDelegates":{"Biden":2,"Buttigieg":2,"Klobuchar":2,"Sanders":1,"Warren":3},"source":"official"}""");
        var captain = await host.IssueTokenAsync("precinct", Adams1);
        var (status, _) = await host.PostReportAsync(captain, Adams1,
            """{"attendees":2000000,"first":{"Sanders":1500000,"Warren":500000},"final":{"Sanders":1500000,"Warren":500000},"source":"captain"}""");
        Assert.Equal(HttpStatusCode.Accepted, status);
        var before = await host.GetAsync("api/v1/results");

        await using var tab = await browser.OpenAsync(1280, 900);
        var page = await OpenAdminAsync(tab);

        // Orient: one version; the reported delegates that are not what the rules give are marked, in words too.
        var orient = page.Locator($"article.review-item[data-precinct='{Orient}'][data-reason='rules-broken']");
        await Assertions.Expect(orient.Locator("h3")).ToContainTextAsync("Adair — 4SE ORIENT");
        await Assertions.Expect(orient.Locator("h3")).ToContainTextAsync("Rules broken");
        await Assertions.Expect(orient.Locator(".detail")).ToContainTextAsync("Warren reported 3, rules give 2");
        await Assertions.Expect(orient.Locator("tr[data-group='Warren'] td[data-differs='true']")).ToHaveTextAsync("≠ 3 (not what the rules give)");
        await Assertions.Expect(orient.Locator("tr[data-group='Sanders'] td[data-differs='true']")).ToHaveTextAsync("≠ 1 (not what the rules give)");
        await Assertions.Expect(orient.Locator("tr[data-group='Biden'] td[data-differs='true']")).ToHaveCountAsync(0);
        await Assertions.Expect(orient.GetByRole(AriaRole.Button, new() { Name = "Confirm" })).ToHaveCountAsync(0);

        var held = page.Locator($"article.review-item[data-precinct='{Adams1}'][data-reason='implausible']");
        await Assertions.Expect(held.Locator("tbody")).ToContainTextAsync("2,000,000");
        await Assertions.Expect(held.Locator(".version-head")).ToContainTextAsync("held out of the totals");
        await tab.ScreenshotAsync("admin");

        // Confirming needs a reason; with one, the held report counts.
        await held.GetByRole(AriaRole.Button, new() { Name = "Confirm" }).ClickAsync();
        await Assertions.Expect(held.Locator(".decision .message")).ToContainTextAsync("Say why you confirm it first");
        await Assertions.Expect(held.GetByLabel("Reason for your decision")).ToBeFocusedAsync();
        await held.GetByLabel("Reason for your decision").FillAsync("checked with the county chair: the captain typed the county's population");
        await held.GetByRole(AriaRole.Button, new() { Name = "Confirm" }).ClickAsync();
        await Assertions.Expect(held).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#last-decision")).ToContainTextAsync("Confirmed Adams — Adams 1");
        var after = await host.GetAsync("api/v1/results");
        Assert.Equal(FirstAlignment(before, "Sanders") + 1_500_000, FirstAlignment(after, "Sanders"));
        Assert.Equal(FirstAlignment(before, "Warren") + 500_000, FirstAlignment(after, "Warren"));

        // Clearing Orient with a reason takes it off the page and off the server's queue.
        var orientKey = await orient.GetAttributeAsync("data-key");
        await orient.GetByLabel("Reason for your decision").FillAsync("the party's published numbers, kept as reported");
        await orient.GetByRole(AriaRole.Button, new() { Name = "Clear" }).ClickAsync();
        await Assertions.Expect(orient).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#last-decision")).ToContainTextAsync("Cleared Adair — 4SE ORIENT");
        Assert.DoesNotContain((await host.GetAsync("api/v1/review")).GetProperty("items").EnumerateArray(),
            i => i.GetProperty("key").GetString() == orientKey);
        tab.AssertNoScriptOrPolicyErrors();
    }

    [Fact]
    public async Task Two_disagreeing_sources_stand_side_by_side_with_the_differences_marked_and_a_correction_from_the_page_is_stored_as_official()
    {
        await using var tab = await browser.OpenAsync(1280, 900);
        var page = await OpenAdminAsync(tab);
        var item = page.Locator($"article.review-item[data-precinct='{Adams2}'][data-reason='sources-disagree']");
        await Assertions.Expect(page.Locator("#queue-summary")).ToContainTextAsync("version");

        // Arrives while the page is open: the stream's next results event brings it in.
        await host.SubmitAsync(WebHost.AdminToken, Adams2, """{"attendees":30,"first":{"Sanders":20,"Warren":10},"final":{"Sanders":20,"Warren":10},"source":"captain"}""");
        await host.SubmitAsync(WebHost.AdminToken, Adams2, """{"attendees":30,"first":{"Sanders":20,"Warren":10},"final":{"Sanders":19,"Warren":11},"source":"hotline"}""");
        await Assertions.Expect(item.Locator(".version-head")).ToHaveCountAsync(2);
        await Assertions.Expect(item.Locator(".version-head").Nth(0)).ToContainTextAsync("hotline");
        await Assertions.Expect(item.Locator(".version-head").Nth(1)).ToContainTextAsync("captain");
        // First alignment agrees; final alignment and the delegates it gives differ, marked in both columns.
        var sanders = item.Locator("tr[data-group='Sanders'] td");
        await Assertions.Expect(sanders).ToHaveTextAsync(["20", "≠ 19 (differs between the versions)", "≠ 4 (differs between the versions)",
            "20", "≠ 20 (differs between the versions)", "≠ 5 (differs between the versions)"]);

        await item.GetByRole(AriaRole.Button, new() { Name = "Enter a correction" }).ClickAsync();
        var correction = item.Locator(".correction");
        // It starts from the counted version (the hotline's numbers) with the server's math.
        await Assertions.Expect(correction.GetByLabel("Sanders, final alignment")).ToHaveValueAsync("19");
        await Assertions.Expect(correction).ToContainTextAsync("Viability threshold");
        await correction.GetByLabel("Sanders, final alignment").FillAsync("20");
        await correction.GetByLabel("Warren, final alignment").FillAsync("10");
        await correction.GetByLabel("Note (optional)").FillAsync("read back with the chair");
        await tab.ScreenshotAsync("admin-correction");
        var axe = await page.RunAxe();
        var serious = axe.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(serious.Count == 0, string.Join("\n", serious.Select(v =>
            $"{v.Impact} {v.Id}: {v.Help} — {string.Join(", ", v.Nodes.Take(3).Select(n => string.Join(" ", n.Target)))}")));

        await correction.GetByRole(AriaRole.Button, new() { Name = "Send the correction" }).ClickAsync();
        await Assertions.Expect(page.Locator("#last-decision")).ToContainTextAsync("Correction for Adams — Adams 2 stored as revision 3");
        var audit = await host.GetAsync($"api/v1/audit/precincts/{Uri.EscapeDataString(Adams2)}");
        var official = audit.GetProperty("revisions").EnumerateArray().Single(r => r.GetProperty("revision").GetInt32() == 3);
        Assert.Equal("official", official.GetProperty("source").GetString());
        Assert.False(string.IsNullOrEmpty(official.GetProperty("idempotencyKey").GetString()));
        Assert.Contains("read back with the chair", official.GetProperty("rawBody").GetString(), StringComparison.Ordinal);
        tab.AssertNoScriptOrPolicyErrors();
    }

    [Fact]
    public async Task Revoke_asks_first_then_revokes_the_credential_and_shows_it_as_revoked()
    {
        using var issuer = host.Client();
        using var issued = await issuer.PostAsJsonAsync("api/v1/admin/tokens", new { role = "hotline" });
        var credential = await issued.Content.ReadFromJsonAsync<JsonElement>();
        var (token, id) = (credential.GetProperty("token").GetString()!, credential.GetProperty("id").GetString()!);
        await using var tab = await browser.OpenAsync(1280, 900);
        var page = await OpenAdminAsync(tab);
        var accept = false;
        var asked = new List<string>();
        page.Dialog += async (_, dialog) =>
        {
            asked.Add(dialog.Message);
            if (accept) await dialog.AcceptAsync();
            else await dialog.DismissAsync();
        };

        var row = page.Locator($"#credentials tr[data-token-id='{id}']");
        await Assertions.Expect(row).ToContainTextAsync("hotline");
        await Assertions.Expect(row).ToContainTextAsync("Working");
        // Named as the review queue names its sender, so "Hotline operator N" on a card can be found here and revoked.
        await Assertions.Expect(row.Locator("td").First).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^Hotline operator \\d+$"));

        // Cancelled at the question: nothing happens.
        await row.GetByRole(AriaRole.Button, new() { Name = $"Revoke {id}" }).ClickAsync();
        await Assertions.Expect(row).ToHaveAttributeAsync("data-revoked", "false");
        Assert.Contains(id, Assert.Single(asked), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await host.Client(token).GetAsync("api/v1/results")).StatusCode);

        accept = true;
        await row.GetByRole(AriaRole.Button, new() { Name = $"Revoke {id}" }).ClickAsync();
        await Assertions.Expect(row).ToHaveAttributeAsync("data-revoked", "true");
        await Assertions.Expect(row).ToContainTextAsync("Revoked");
        await Assertions.Expect(row.Locator("td").First).ToContainTextAsync("Hotline operator");
        await Assertions.Expect(row.GetByRole(AriaRole.Button)).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#credentials-message")).ToContainTextAsync($"Revoked {id}");
        using var revoked = host.Client(token);
        Assert.Equal(HttpStatusCode.Unauthorized, (await revoked.GetAsync("api/v1/results")).StatusCode);
        Assert.Equal(2, asked.Count);
        tab.AssertNoScriptOrPolicyErrors();
    }

    [Fact]
    public async Task Certifying_from_the_page_while_precincts_are_missing_is_refused_with_the_reason()
    {
        await using var tab = await browser.OpenAsync(1280, 900);
        var page = await OpenAdminAsync(tab);
        await Assertions.Expect(page.Locator("#certify-checklist li[data-check='reporting']")).ToContainTextAsync("reporting");

        await page.GetByLabel("Note (optional, kept with the certification)").FillAsync("rehearsal");
        await page.GetByRole(AriaRole.Button, new() { Name = "Certify" }).ClickAsync();
        // Certify asks first; only Confirm sends it.
        await page.Locator("#certify-dialog").GetByRole(AriaRole.Button, new() { Name = "Confirm" }).ClickAsync();

        var refusal = page.Locator("#certify-result [role='alert']");
        await Assertions.Expect(refusal).ToHaveAttributeAsync("data-outcome", "refused");
        await Assertions.Expect(refusal).ToContainTextAsync("Results cannot be certified yet.");
        await Assertions.Expect(refusal).ToContainTextAsync("precincts have not reported");
        Assert.NotEqual("certified", (await host.GetAsync("api/v1/results")).GetProperty("status").GetString());
        await tab.ScreenshotAsync("admin-certify-refused");
        tab.AssertNoScriptOrPolicyErrors("status of 409");
    }
}
