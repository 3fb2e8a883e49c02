using System.Globalization;
using System.Text.Json;
using Caucus.Web.Tests.Infrastructure;
using Microsoft.Playwright;
using static Caucus.Web.Tests.Infrastructure.RuleSetNightPages;

namespace Caucus.Web.Tests;

/// <summary>
/// The four pages on a walking subcaucus's night (elections/mn-dfl-example, its synthetic night: every other precinct
/// in, then all): the war room lists the subcaucuses by name with the delegates and members the results document gives
/// them, the report page adds a subcaucus the suggestions lack, the hotline takes a new subcaucus by its name and sends
/// it, and the admin page has the review queue's cards and the panel that merges spellings, with the spellings the
/// groups document lists. Photographed at 1920×1080, 1366×768 and 390×844 into screenshots/walking-subcaucus/ with
/// PageChecks and axe clean at each size.
/// </summary>
[Collection(PagesCollection.Name)]
public sealed class WalkingSubcaucusNightTests(Browser browser, WalkingSubcaucusNightTests.Night night) : IClassFixture<WalkingSubcaucusNightTests.Night>
{
    private const string RuleSet = "walking-subcaucus";

    public sealed class Night() : HalfNight(new SubcaucusWebHost());

    private WebHost Host => night.Host;

    [Fact]
    public async Task The_four_pages_show_each_user_the_subcaucuses_mid_night_and_at_the_end_at_three_sizes()
    {
        // The rest of the night: one precinct the report page sends, one the hotline, one sent twice with different numbers.
        var rest = night.Rest.ToList();
        Assert.True(rest.Count >= 3, $"{rest.Count} precincts left of the synthetic night");
        var (byReport, byHotline, disputed) = (rest[0], rest[1], rest[2]);
        rest.RemoveRange(0, 3);
        var form = (await Host.GetAsync("api/v1/election")).GetProperty("form");
        var suggested = (await Host.GetAsync("api/v1/election")).GetProperty("candidates").EnumerateArray().Select(c => c.GetString()!).ToList();
        // The captain's report names a subcaucus no one suggested (the synthetic night's own numbers, one group renamed).
        var report = Numbers(byReport.Body);
        var renamed = report.Groups.FindIndex(g => suggested.Contains(g.Name));
        report.Groups[renamed] = report.Groups[renamed] with { Name = "Tenants United" };
        await Host.SubmitAsync(await Host.IssueTokenAsync("precinct", disputed.Precinct), disputed.Precinct,
            """{"attendees":40,"source":"captain","first":{"Peace":20,"Housing":20},"final":{"Peace":20,"Housing":20}}""");
        await Host.SubmitAsync(await Host.IssueTokenAsync("hotline"), disputed.Precinct,
            """{"attendees":40,"source":"hotline","first":{"Peace":22,"Housing":18},"final":{"Peace":22,"Housing":18}}""");

        await using var warroom = await OpenAsync(browser, Host, "/", "warroom");
        await using var reportTab = await OpenAsync(browser, Host, "/report", "precinct", byReport.Precinct);
        await using var hotline = await OpenAsync(browser, Host, "/hotline", "hotline");
        await using var admin = await OpenAsync(browser, Host, "/admin", "admin");

        await TypeReportAsync(reportTab.Page, form, suggested, report);
        var call = Numbers(byHotline.Body);
        await TypeCallAsync(hotline.Page, byHotline.Precinct, call);
        var problems = new List<string>();
        foreach (var state in new[] { "mid-night", "end" })
        {
            if (state == "end")
            {
                await PublishedNight.PostAsync(Host, rest);
                await reportTab.Page.GetByRole(AriaRole.Button, new() { Name = "Send the report" }).ClickAsync();
                await Assertions.Expect(reportTab.Page.Locator("#delivery")).ToHaveAttributeAsync("data-state", "stored");
                await hotline.Page.GetByRole(AriaRole.Button, new() { Name = "Caller confirms: send" }).ClickAsync();
                await Assertions.Expect(hotline.Page.Locator($"#queue li[data-precinct='{byHotline.Precinct}']")).ToHaveAttributeAsync("data-state", "stored");
                // The console's entry counts once a second operator enters the same numbers (double entry). A name the
                // caller spells as a suggestion in other letter case is the suggestion on a console (it is heard, not seen).
                var heard = call with { Groups = [.. call.Groups.Select(g => g with { Name = suggested.FirstOrDefault(s => s.Equals(g.Name, StringComparison.OrdinalIgnoreCase)) ?? g.Name })] };
                await Host.SubmitAsync(await Host.IssueTokenAsync("hotline"), byHotline.Precinct, Body(heard, "hotline"));
            }
            await WarRoomAsync(warroom.Page, admin.Page, state);
            await AdminAsync(admin.Page, state);
            problems.AddRange(await LookAsync(warroom, "warroom", RuleSet, state));
            problems.AddRange(await LookAsync(reportTab, "report", RuleSet, state, fullPage: false));
            problems.AddRange(await LookAsync(hotline, "hotline", RuleSet, state));
            problems.AddRange(await LookAsync(admin, "admin", RuleSet, state, fullPage: false));
        }

        // What the two pages sent is what the server counts, the new subcaucus by its name.
        foreach (var (precinct, sent) in new[] { (byReport.Precinct, report), (byHotline.Precinct, call) })
        {
            var document = await Host.GetAsync($"api/v1/precincts/{Uri.EscapeDataString(precinct)}");
            var counted = document.GetProperty("counted");
            Assert.True(counted.ValueKind == JsonValueKind.Object, $"{precinct} counts no report: {document}");
            var final = counted.GetProperty("final").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32(), StringComparer.OrdinalIgnoreCase);
            foreach (var g in sent.Groups) Assert.Equal(g.Final, final.GetValueOrDefault(g.Name));
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        foreach (var tab in new[] { warroom, reportTab, hotline, admin }) tab.AssertNoScriptOrPolicyErrors("status of 503");
    }

    /// <summary>The war room: the reporting count, each subcaucus by name with its delegates and final count as the results document has them.</summary>
    private async Task WarRoomAsync(IPage page, IPage admin, string state)
    {
        var results = await CaughtUpAsync(Host, page, admin);
        var precincts = results.GetProperty("precincts");
        await Assertions.Expect(page.Locator("#reporting")).ToHaveTextAsync(
            $"{N(precincts.GetProperty("reporting").GetInt32())} of {N(precincts.GetProperty("total").GetInt32())} precincts reporting");
        var groups = results.GetProperty("candidates").EnumerateArray().ToList();
        var withDelegates = groups.Where(c => decimal.Parse(c.GetProperty("sde").GetString()!, CultureInfo.InvariantCulture) > 0).ToList();
        Assert.True(withDelegates.Count >= 2, $"{state}: several subcaucuses have delegates");
        foreach (var c in withDelegates)
        {
            var name = c.GetProperty("name").GetString()!;
            var value = page.Locator("#sde-bars li").Filter(new() { Has = page.Locator($".name:text-is('{name}')") }).Locator(".value").First;
            await Assertions.Expect(value).ToBeVisibleAsync();
            AssertShows(await value.InnerTextAsync(), c.GetProperty("sde").GetString()!, $"{state}: {name}'s delegates");
            var row = page.Locator("#vote tbody tr").Filter(new() { Has = page.Locator($"th:text-is('{name}')") });
            await Assertions.Expect(row.Locator("td").Nth(2)).ToHaveTextAsync(N(c.GetProperty("finalAlignment").GetInt64()));
        }
        var disagreements = (await Host.GetAsync("api/v1/flags")).GetProperty("sourceDisagreements").GetArrayLength();
        await Assertions.Expect(page.Locator("#attention-counts [data-kind='disagreement'] .count")).ToHaveTextAsync(N(disagreements));
        if (state == "end") await Assertions.Expect(page.Locator("#sde-bars")).ToContainTextAsync("Tenants United");
    }

    /// <summary>The admin page: a card per precinct the review document lists; the spellings as the groups document lists them, and the merge form.</summary>
    private async Task AdminAsync(IPage page, string state)
    {
        var review = await Host.GetAsync("api/v1/review");
        var precincts = review.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("precinct").GetString()!).Distinct().ToList();
        Assert.True(precincts.Count > 0, $"{state}: the review queue has items");
        await Assertions.Expect(page.Locator("#review-items > section.precinct-card")).ToHaveCountAsync(precincts.Count);
        var disputed = page.Locator("section.precinct-card[data-reasons~='sources-disagree']");
        await Assertions.Expect(disputed).ToHaveCountAsync(1);
        var head = disputed.Locator(".card-head");
        if (await head.GetAttributeAsync("aria-expanded") != "true") await head.ClickAsync();
        var item = disputed.Locator("article.review-item[data-reason='sources-disagree']");
        // Both versions' counts side by side, the differing ones marked.
        var peace = item.Locator("tr[data-group='Peace'] td[data-differs='true']");
        await Assertions.Expect(peace.Nth(0)).ToHaveTextAsync("≠ 22 (differs between the versions)");
        await Assertions.Expect(peace.Nth(1)).ToHaveTextAsync("≠ 22 (differs between the versions)");

        await Assertions.Expect(page.Locator("#queue-order")).ToContainTextAsync("Heaviest first: ordered by the delegates a precinct's delegates carry");
        var groups = await Host.GetAsync("api/v1/groups");
        var spellings = groups.GetProperty("spellings").EnumerateArray().ToList();
        var panel = page.Locator("#groups-panel");
        await Assertions.Expect(panel).ToBeVisibleAsync();
        await Assertions.Expect(panel.Locator("#group-spellings tbody tr")).ToHaveCountAsync(spellings.Count, new() { Timeout = 20_000 });
        foreach (var s in spellings)
        {
            var row = panel.Locator("#group-spellings tbody tr").Filter(new() { Has = page.Locator($"th:text-is('{s.GetProperty("spelling").GetString()}')") });
            await Assertions.Expect(row.Locator("td").First).ToHaveTextAsync($"{s.GetProperty("precincts").GetInt32()}");
            await Assertions.Expect(row.Locator("td").Nth(1)).ToHaveTextAsync(s.GetProperty("group").GetString()!);
        }
        await Assertions.Expect(panel.GetByLabel("Merge this spelling")).ToBeVisibleAsync();
        // At 1920×1080 the panel is beside the queue, under the checklist, on the first screen.
        var box = await panel.BoundingBoxAsync();
        var queue = await page.Locator(".queue-panel").BoundingBoxAsync();
        Assert.True(box is not null && queue is not null && box.Y < 1080 - 200 && box.X > queue.X + queue.Width,
            $"{state}: the group names start at ({box?.X}, {box?.Y}), the queue ends at x {queue?.X + queue?.Width}");
        await Assertions.Expect(panel.GetByLabel("Merge this spelling").Locator("option")).ToHaveCountAsync(spellings.Count);
    }

    private sealed record Group(string Name, int First, int Final);

    private sealed record Report(int Attendees, List<Group> Groups);

    private static Report Numbers(string body)
    {
        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        Assert.False(root.TryGetProperty("tieBreaks", out var ties) && ties.GetArrayLength() > 0, $"a report without a lot to draw: {body}");
        var first = root.GetProperty("first").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32());
        var final = root.GetProperty("final").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32());
        return new(root.GetProperty("attendees").GetInt32(),
            [.. first.Keys.Union(final.Keys).Select(g => new Group(g, first.GetValueOrDefault(g), final.GetValueOrDefault(g)))]);
    }

    private static string Body(Report report, string source) => JsonSerializer.Serialize(new
    {
        attendees = report.Attendees,
        source,
        first = report.Groups.ToDictionary(g => g.Name, g => g.First),
        final = report.Groups.ToDictionary(g => g.Name, g => g.Final),
    });

    /// <summary>The report page: a suggested subcaucus in its row; any other by "Add a subcaucus", its name and two counts.</summary>
    private static async Task TypeReportAsync(IPage page, JsonElement form, List<string> suggested, Report report)
    {
        await Assertions.Expect(page.Locator("#precinct-name")).ToContainTextAsync("delegates");
        await page.GetByLabel(form.GetProperty("attendeesLabel").GetString()!, new() { Exact = true }).FillAsync($"{report.Attendees}");
        var (firstLabel, finalLabel) = (form.GetProperty("firstLabel").GetString()!, form.GetProperty("finalLabel").GetString()!);
        var row = 0;
        foreach (var g in report.Groups)
        {
            if (suggested.Contains(g.Name))
            {
                await page.GetByLabel($"{g.Name}, {firstLabel.ToLowerInvariant()}", new() { Exact = true }).FillAsync($"{g.First}");
                await page.GetByLabel($"{g.Name}, {finalLabel.ToLowerInvariant()}", new() { Exact = true }).FillAsync($"{g.Final}");
                continue;
            }
            row++;
            await page.GetByRole(AriaRole.Button, new() { Name = "Add a subcaucus" }).ClickAsync();
            await page.GetByLabel($"Subcaucus name (row {row})").FillAsync(g.Name);
            await page.GetByLabel($"{firstLabel} of the subcaucus in row {row}").FillAsync($"{g.First}");
            await page.GetByLabel($"{finalLabel} of the subcaucus in row {row}").FillAsync($"{g.Final}");
        }
        Assert.True(row > 0, "the report names a subcaucus no one suggested");
        await Assertions.Expect(page.Locator("#math tbody tr", new() { HasText = "Tenants United" })).ToHaveCountAsync(1, new() { Timeout = 20_000 });
    }

    /// <summary>The hotline: the precinct by its id, attendance, each subcaucus by its name in full and its two counts, then read back.</summary>
    private async Task TypeCallAsync(IPage page, string precinct, Report call)
    {
        var name = (await Host.GetAsync($"api/v1/precincts/{Uri.EscapeDataString(precinct)}")).GetProperty("name").GetString()!;
        await page.GetByLabel("Search by county and name").FillAsync(precinct);
        await page.GetByLabel("Search by county and name").PressAsync("Enter");
        await Assertions.Expect(page.Locator("#precinct-chosen")).ToContainTextAsync(name);
        await page.GetByLabel("Attendance").FillAsync($"{call.Attendees}");
        var add = page.GetByLabel("Add a subcaucus");
        foreach (var g in call.Groups)
        {
            await add.FillAsync(g.Name);
            await add.PressAsync("Enter");
            var first = page.Locator($"#hotline-groups input[data-round='first'], .hotline-groups input[data-round='first']").Last;
            await Assertions.Expect(first).ToBeFocusedAsync();
            await first.FillAsync($"{g.First}");
            await page.Locator(".hotline-groups input[data-round='final']").Last.FillAsync($"{g.Final}");
        }
        // The server's math heads each column once (the headline unit here is the delegates themselves).
        await Assertions.Expect(page.Locator("#math thead th")).ToHaveTextAsync(["Group", "First", "Final", "Viability", "Delegates"]);
        await page.GetByRole(AriaRole.Button, new() { Name = "Read back" }).ClickAsync();
        await Assertions.Expect(page.Locator("#read-back-text")).ToContainTextAsync(call.Groups[0].Name, new() { IgnoreCase = true });
        await Assertions.Expect(page.Locator("#submit")).ToBeEnabledAsync();
    }
}
