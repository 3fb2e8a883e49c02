using System.Globalization;
using System.Text.Json;
using Caucus.Web.Tests.Infrastructure;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Caucus.Web.Tests;

/// <summary>
/// The admin page as a triage queue on the party's published Iowa night, half in (every other precinct in file
/// order): one card per precinct heaviest first, chips by reason with the API's counts, search, j/k between cards,
/// senders by name, a live certification checklist and a Certify that asks first. The issue's replay found 258
/// ~600 px cards, 33 precincts twice or more, token ids as senders, a stale refusal and Certify in one click.
/// </summary>
[Collection(PagesCollection.Name)]
public sealed class AdminTriageTests(Browser browser, AdminTriageTests.MidNight night) : IClassFixture<AdminTriageTests.MidNight>
{
    private static readonly (string Name, int Width, int Height)[] Sizes = [("1920", 1920, 1080), ("1366", 1366, 768), ("390", 390, 844)];

    /// <summary>
    /// Iowa half in, plus one precinct of the other half sent by a captain's and a hotline operator's credentials with
    /// different final alignments (sources disagree: two versions, two senders with token ids).
    /// </summary>
    public sealed class MidNight : IAsyncLifetime
    {
        public WebHost Host { get; } = new();
        public List<(string Precinct, string Body)> Rest { get; private set; } = [];
        public string Disputed { get; private set; } = "";

        public async Task InitializeAsync()
        {
            await Host.InitializeAsync();
            var reports = PublishedNight.Reports(Host);
            await PublishedNight.PostAsync(Host, reports.Where((_, i) => i % 2 == 1));
            Rest = [.. reports.Where((_, i) => i % 2 == 0)];
            Disputed = Rest[0].Precinct;
            Rest.RemoveAt(0);
            var captain = await Host.IssueTokenAsync("precinct", Disputed);
            var hotline = await Host.IssueTokenAsync("hotline");
            await Host.SubmitAsync(captain, Disputed, """{"attendees":30,"first":{"Sanders":20,"Warren":10},"final":{"Sanders":20,"Warren":10},"source":"captain"}""");
            await Host.SubmitAsync(hotline, Disputed, """{"attendees":30,"first":{"Sanders":20,"Warren":10},"final":{"Sanders":19,"Warren":11},"source":"hotline"}""");
        }

        public Task DisposeAsync() => Host.DisposeAsync();
    }

    private WebHost Host => night.Host;

    /// <summary>Opens the page and waits until its queue shows the server's current review version.</summary>
    private async Task<(IPage Page, JsonElement Review)> OpenAsync(BrowserPage tab)
    {
        var admin = await Host.IssueTokenAsync("admin");
        await tab.Page.GotoAsync(new Uri(Host.BaseAddress, $"/admin#token={admin}").ToString());
        await Assertions.Expect(tab.Page.Locator("#connection")).ToHaveTextAsync("Live");
        var review = await Host.GetAsync("api/v1/review");
        await Assertions.Expect(tab.Page.Locator("#queue-summary"))
            .ToContainTextAsync($"results version {review.GetProperty("version").GetInt64()}", new() { Timeout = 30_000 });
        return (tab.Page, review);
    }

    private static List<JsonElement> Items(JsonElement review) => [.. review.GetProperty("items").EnumerateArray()];

    [Fact]
    public async Task Mid_night_the_queue_is_one_card_per_precinct_heaviest_first_and_the_page_is_clean_at_three_sizes()
    {
        await using var tab = await browser.OpenAsync(1920, 1080);
        var (page, review) = await OpenAsync(tab);
        var items = Items(review);
        var precincts = items.Select(i => i.GetProperty("precinct").GetString()!).Distinct().ToList();
        Assert.True(items.Count > precincts.Count, $"the half night should have precincts with several items ({items.Count} items, {precincts.Count} precincts)");

        var cards = page.Locator("#review-items > section.precinct-card");
        await Assertions.Expect(cards).ToHaveCountAsync(precincts.Count);
        var shown = await cards.EvaluateAllAsync<string[]>("cards => cards.map(c => c.dataset.precinct)");
        Assert.Equal(shown.Length, shown.Distinct().Count());
        Assert.Equal(precincts.Order(), shown.Order());
        // Every item is inside its own precinct's card.
        Assert.Equal(items.Count, await page.Locator("section.precinct-card article.review-item").CountAsync());

        // Heaviest first: the weights on the cards never increase, and they are the API's.
        var weights = (await cards.EvaluateAllAsync<string[]>("cards => cards.map(c => c.dataset.weight)"))
            .Select(w => decimal.Parse(w, CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(weights.OrderDescending(), weights);
        var heaviest = items.MaxBy(i => decimal.Parse(i.GetProperty("weight").GetString()!, CultureInfo.InvariantCulture));
        Assert.Equal(decimal.Parse(heaviest.GetProperty("weight").GetString()!, CultureInfo.InvariantCulture), weights[0]);
        await Assertions.Expect(page.Locator("#queue-order")).ToContainTextAsync("Heaviest first");
        await Assertions.Expect(page.Locator("#queue-order")).ToContainTextAsync("(SDE)");
        // Collapsed: a card is one or two lines until opened.
        var first = cards.First;
        await Assertions.Expect(first.Locator(".card-head")).ToHaveAttributeAsync("aria-expanded", "false");
        Assert.True((await first.BoundingBoxAsync())!.Height < 110, "a closed card is a line or two");

        // Photographed closed, as the admin first sees the queue; then the first card opens on a click.
        var problems = new List<string>();
        var tall = 0;
        foreach (var (size, width, height) in Sizes)
        {
            await page.SetViewportSizeAsync(width, height);
            await tab.ScreenshotAsync($"admin-mid-night-{size}", fullPage: false);
            problems.AddRange(await PageChecks.ProblemsAsync(page, $"admin at {size}"));
            if (size == "1920") tall = await page.EvaluateAsync<int>("() => document.documentElement.scrollHeight");
        }
        await first.Locator(".card-head").ClickAsync();
        await Assertions.Expect(first.Locator("article.review-item").First).ToBeVisibleAsync();
        await tab.ScreenshotAsync("admin-mid-night-390-open", fullPage: false);
        // Axe on the night's queue with a card open and the checklist red: no violation of any impact.
        var axe = await page.RunAxe();
        problems.AddRange(axe.Violations.Select(v => $"axe {v.Impact} {v.Id}: {v.Help} — {string.Join(", ", v.Nodes.Take(3).Select(n => string.Join(" ", n.Target)))}"));
        problems.AddRange(await PageChecks.ProblemsAsync(page, "admin at 390 with a card open"));
        Assert.True(problems.Count == 0, string.Join("\n", problems));

        // The issue's page was 126,149 px at 258 cards of ~600 px: closed cards are a line each.
        Assert.True(tall < precincts.Count * 80, $"the page is {tall} px tall at 1920 for {precincts.Count} precincts");
        tab.AssertNoScriptOrPolicyErrors();
    }

    [Fact]
    public async Task Chips_count_the_reasons_as_the_API_does_and_a_chip_or_a_search_narrows_the_list()
    {
        await using var tab = await browser.OpenAsync(1366, 768);
        var (page, review) = await OpenAsync(tab);
        var items = Items(review);
        var byReason = items.GroupBy(i => i.GetProperty("reason").GetString()!).ToDictionary(g => g.Key, g => g.ToList());
        Assert.True(byReason.Count >= 2, "the half night has several reasons");

        await Assertions.Expect(page.Locator("#queue-chips .chip[data-reason='all'] .chip-count")).ToHaveTextAsync(items.Count.ToString("N0", CultureInfo.InvariantCulture));
        foreach (var (reason, list) in byReason)
        {
            await Assertions.Expect(page.Locator($"#queue-chips .chip[data-reason='{reason}'] .chip-count")).ToHaveTextAsync(list.Count.ToString("N0", CultureInfo.InvariantCulture));
        }

        // The rarest reason: only the precincts with such an item are shown.
        var (rare, rareItems) = byReason.MinBy(r => r.Value.Count);
        var rarePrecincts = rareItems.Select(i => i.GetProperty("precinct").GetString()!).Distinct().Order().ToList();
        await page.Locator($"#queue-chips .chip[data-reason='{rare}']").ClickAsync();
        await Assertions.Expect(page.Locator($"#queue-chips .chip[data-reason='{rare}']")).ToHaveAttributeAsync("aria-pressed", "true");
        var visible = page.Locator("#review-items > section.precinct-card:visible");
        await Assertions.Expect(visible).ToHaveCountAsync(rarePrecincts.Count);
        Assert.Equal(rarePrecincts, (await visible.EvaluateAllAsync<string[]>("cards => cards.map(c => c.dataset.precinct)")).Order());

        // Back to all, then a search by county: only that county's precincts.
        await page.Locator("#queue-chips .chip[data-reason='all']").ClickAsync();
        var county = items[0].GetProperty("county").GetString()!;
        var inCounty = items.Where(i => i.GetProperty("county").GetString() == county).Select(i => i.GetProperty("precinct").GetString()).Distinct().Count();
        await page.GetByLabel("Search county or precinct").FillAsync(county.ToUpperInvariant());
        await Assertions.Expect(visible).ToHaveCountAsync(inCounty);
        await Assertions.Expect(page.Locator("#queue-summary")).ToContainTextAsync($"{inCounty.ToString("N0", CultureInfo.InvariantCulture)} precinct{(inCounty == 1 ? "" : "s")} shown");
        foreach (var place in await visible.Locator(".card-place").AllInnerTextsAsync())
        {
            Assert.StartsWith($"{county} — ", place, StringComparison.Ordinal);
        }
        tab.AssertNoScriptOrPolicyErrors();
    }

    [Fact]
    public async Task The_keyboard_moves_the_focus_between_cards_and_the_page_says_how()
    {
        await using var tab = await browser.OpenAsync(1366, 768);
        var (page, _) = await OpenAsync(tab);
        await Assertions.Expect(page.Locator("#queue-order")).ToContainTextAsync("j / k");
        var heads = page.Locator("#review-items > section.precinct-card > .card-head");
        await heads.Nth(0).FocusAsync();
        await page.Keyboard.PressAsync("j");
        await Assertions.Expect(heads.Nth(1)).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("ArrowDown");
        await Assertions.Expect(heads.Nth(2)).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("k");
        await Assertions.Expect(heads.Nth(1)).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(heads.Nth(1)).ToHaveAttributeAsync("aria-expanded", "true");
        // Typing a j into a field stays in the field.
        var reason = page.Locator("#review-items > section.precinct-card").Nth(1).GetByLabel("Reason for your decision").First;
        await reason.FocusAsync();
        await page.Keyboard.TypeAsync("j");
        await Assertions.Expect(reason).ToBeFocusedAsync();
        await Assertions.Expect(reason).ToHaveValueAsync("j");

        // Deciding a precinct's only item takes its card away: the focus goes to the card now in its place, not to the top.
        var cards = page.Locator("#review-items > section.precinct-card");
        var order = await cards.EvaluateAllAsync<string[]>("cards => cards.map(c => c.dataset.precinct)");
        // A card of one item that Enter in its reason clears (a held report waits for Confirm or Clear instead).
        var single = await page.Locator("#review-items > section.precinct-card:not([data-reasons~='implausible'])")
            .Filter(new() { HasNot = page.Locator(".card-count") }).Nth(1).GetAttributeAsync("data-precinct");
        var next = order[Array.IndexOf(order, single) + 1];
        var card = page.Locator($"section.precinct-card[data-precinct='{single}']");
        await card.Locator(".card-head").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await card.GetByLabel("Reason for your decision").FillAsync("checked with the county chair");
        await card.GetByLabel("Reason for your decision").PressAsync("Enter");
        await Assertions.Expect(card).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator($"section.precinct-card[data-precinct='{next}'] > .card-head")).ToBeFocusedAsync();
        tab.AssertNoScriptOrPolicyErrors();
    }

    [Fact]
    public async Task Senders_are_named_as_their_credentials_were_issued_never_by_token_id()
    {
        await using var tab = await browser.OpenAsync(1366, 768);
        var (page, review) = await OpenAsync(tab);
        var disputed = Items(review).Single(i => i.GetProperty("precinct").GetString() == night.Disputed && i.GetProperty("reason").GetString() == "sources-disagree");
        var actors = disputed.GetProperty("versions").EnumerateArray().Select(v => v.GetProperty("actor").GetString()!).ToList();
        Assert.All(actors, a => Assert.StartsWith("tok_", a, StringComparison.Ordinal));

        // The whole queue's text, closed cards included (textContent, not what happens to be open): no token id anywhere.
        var queue = page.Locator("#review-items");
        var queueText = await queue.TextContentAsync() ?? "";
        Assert.DoesNotContain("tok_", queueText, StringComparison.Ordinal);
        Assert.DoesNotContain("env-admin", queueText, StringComparison.Ordinal);
        Assert.Contains("from Hotline operator 1", queueText, StringComparison.Ordinal);
        Assert.Contains("from the admin (CAUCUS_ADMIN_TOKEN)", queueText, StringComparison.Ordinal);

        var card = page.Locator($"section.precinct-card[data-precinct='{night.Disputed}']");
        await card.Locator(".card-head").ClickAsync();
        var heads = card.Locator("article.review-item[data-reason='sources-disagree'] .version-head");
        await Assertions.Expect(heads.Nth(0)).ToContainTextAsync("from Hotline operator 1");
        await Assertions.Expect(heads.Nth(1)).ToContainTextAsync("from Captain of");
        tab.AssertNoScriptOrPolicyErrors();
    }

    [Fact]
    public async Task Certify_asks_first_stating_the_version_reporting_and_leader_and_Cancel_certifies_nothing()
    {
        await using var tab = await browser.OpenAsync(1366, 768);
        var (page, _) = await OpenAsync(tab);
        var results = await Host.GetAsync("api/v1/results");
        var version = results.GetProperty("version").GetInt64();
        var reporting = results.GetProperty("precincts").GetProperty("reporting").GetInt32();
        var leader = results.GetProperty("candidates").EnumerateArray().MaxBy(c => decimal.Parse(c.GetProperty("sde").GetString()!, CultureInfo.InvariantCulture));
        await Assertions.Expect(page.Locator("#last-update")).ToContainTextAsync($"version {version}");

        await page.GetByRole(AriaRole.Button, new() { Name = "Certify" }).ClickAsync();
        var dialog = page.Locator("#certify-dialog");
        await Assertions.Expect(dialog).ToBeVisibleAsync();
        await Assertions.Expect(dialog).ToContainTextAsync($"results version {version}");
        await Assertions.Expect(dialog).ToContainTextAsync($"{reporting.ToString("N0", CultureInfo.InvariantCulture)} of ");
        await Assertions.Expect(dialog).ToContainTextAsync($"Leader: {leader.GetProperty("name").GetString()} with {leader.GetProperty("sde").GetString()} SDE");
        await tab.ScreenshotAsync("admin-certify-question", fullPage: false);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Assertions.Expect(dialog).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("#certify-result")).ToBeEmptyAsync();
        var after = await Host.GetAsync("api/v1/results");
        Assert.NotEqual("certified", after.GetProperty("status").GetString());
        tab.AssertNoScriptOrPolicyErrors();
    }

    [Fact]
    public async Task A_refusal_is_replaced_once_the_checklist_it_was_given_against_changes()
    {
        await using var tab = await browser.OpenAsync(1366, 768);
        var (page, review) = await OpenAsync(tab);
        // The review line counts what the server would refuse for (items that could change a count), not every item.
        var blocking = Items(review).Count(i => i.GetProperty("blocksCertification").GetBoolean());
        Assert.InRange(blocking, 1, Items(review).Count - 1);
        await Assertions.Expect(page.Locator("#certify-checklist li[data-check='review']"))
            .ToContainTextAsync($"{blocking.ToString("N0", CultureInfo.InvariantCulture)} open review item{(blocking == 1 ? "" : "s")} that could change a count");
        var reportingCheck = page.Locator("#certify-checklist li[data-check='reporting']");
        await Assertions.Expect(reportingCheck).ToHaveAttributeAsync("data-ok", "false");
        await Assertions.Expect(page.Locator("#certify-checklist li[data-check='review']")).ToHaveAttributeAsync("data-ok", "false");
        await Assertions.Expect(page.Locator("#certify-checklist li[data-check='test']")).ToHaveAttributeAsync("data-ok", "true");

        await page.GetByRole(AriaRole.Button, new() { Name = "Certify" }).ClickAsync();
        await page.Locator("#certify-dialog").GetByRole(AriaRole.Button, new() { Name = "Confirm" }).ClickAsync();
        var refusal = page.Locator("#certify-result [data-outcome='refused']");
        await Assertions.Expect(refusal).ToContainTextAsync("Results cannot be certified yet.");
        Assert.NotEqual("certified", (await Host.GetAsync("api/v1/results")).GetProperty("status").GetString());

        // More precincts report: the state the refusal described is gone, and so is the refusal.
        var before = await reportingCheck.InnerTextAsync();
        await PublishedNight.PostAsync(Host, night.Rest.Take(3));
        await Assertions.Expect(reportingCheck).Not.ToHaveTextAsync(before);
        await Assertions.Expect(refusal).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#certify-result")).ToContainTextAsync("no longer describes the results");
        tab.AssertNoScriptOrPolicyErrors("status of 409");
    }
}
