using System.Text.Json;
using Caucus.Web.Tests.Infrastructure;
using Microsoft.Playwright;
using static Caucus.Web.Tests.Infrastructure.RuleSetNightPages;

namespace Caucus.Web.Tests;

/// <summary>
/// The four pages on a secret ballot's night (elections/iowa-gop-2024, its synthetic night: every other unit in, then
/// all): the war room states the statewide national delegates with each candidate's open range as the results document
/// has them, the report page takes one column of votes, the hotline enters a unit's votes and sends them, and the admin
/// page's queue has a card per precinct the review document lists. Photographed at 1920×1080, 1366×768 and 390×844 into
/// screenshots/secret-ballot/ with PageChecks and axe clean at each size.
/// </summary>
[Collection(PagesCollection.Name)]
public sealed class SecretBallotNightTests(Browser browser, SecretBallotNightTests.Night night) : IClassFixture<SecretBallotNightTests.Night>
{
    private const string RuleSet = "secret-ballot";

    public sealed class Night() : HalfNight(new SecretBallotWebHost());

    private WebHost Host => night.Host;

    [Fact]
    public async Task The_four_pages_show_each_user_the_secret_ballot_mid_night_and_at_the_end_at_three_sizes()
    {
        // Three units of the rest: one the report page sends, one the hotline, one sent twice with different votes.
        var rest = night.Rest.ToList();
        var (byReport, byHotline, disputed) = (rest[0], rest[1], rest[2]);
        rest.RemoveRange(0, 3);
        var votes = Numbers(byReport.Body);
        await Host.SubmitAsync(await Host.IssueTokenAsync("precinct", disputed.Precinct), disputed.Precinct,
            """{"attendees":300,"source":"captain","final":{"Trump":150,"Haley":100,"DeSantis":50}}""");
        await Host.SubmitAsync(await Host.IssueTokenAsync("hotline"), disputed.Precinct,
            """{"attendees":300,"source":"hotline","final":{"Trump":140,"Haley":110,"DeSantis":50}}""");
        var form = (await Host.GetAsync("api/v1/election")).GetProperty("form");

        await using var warroom = await OpenAsync(browser, Host, "/", "warroom");
        await using var report = await OpenAsync(browser, Host, "/report", "precinct", byReport.Precinct);
        await using var hotline = await OpenAsync(browser, Host, "/hotline", "hotline");
        await using var admin = await OpenAsync(browser, Host, "/admin", "admin");

        // Mid-night: the captain's votes typed in, the hotline operator's call read back.
        await TypeReportAsync(report.Page, form, votes);
        await TypeCallAsync(hotline.Page, byHotline, form);
        var problems = new List<string>();
        foreach (var state in new[] { "mid-night", "end" })
        {
            if (state == "end")
            {
                await PublishedNight.PostAsync(Host, rest);
                await report.Page.GetByRole(AriaRole.Button, new() { Name = "Send the report" }).ClickAsync();
                await Assertions.Expect(report.Page.Locator("#delivery")).ToHaveAttributeAsync("data-state", "stored");
                await hotline.Page.GetByRole(AriaRole.Button, new() { Name = "Caller confirms: send" }).ClickAsync();
                await Assertions.Expect(hotline.Page.Locator($"#queue li[data-precinct='{byHotline.Precinct}']")).ToHaveAttributeAsync("data-state", "stored");
            }
            await WarRoomAsync(warroom.Page, admin.Page, state);
            await AdminAsync(admin.Page, state);
            problems.AddRange(await LookAsync(warroom, "warroom", RuleSet, state));
            problems.AddRange(await LookAsync(report, "report", RuleSet, state, fullPage: false));
            problems.AddRange(await LookAsync(hotline, "hotline", RuleSet, state));
            problems.AddRange(await LookAsync(admin, "admin", RuleSet, state, fullPage: false));
        }

        // What the two pages sent is what the server counts.
        var counted = (await Host.GetAsync($"api/v1/precincts/{Uri.EscapeDataString(byReport.Precinct)}")).GetProperty("counted").GetProperty("final");
        foreach (var (name, count) in votes.Final) Assert.Equal(count, counted.TryGetProperty(name, out var c) ? c.GetInt32() : 0);
        // The console's entry counts once a second operator enters the same numbers (double entry).
        var second = byHotline.Body.Replace("\"source\":\"official\"", "\"source\":\"hotline\"", StringComparison.Ordinal);
        Assert.NotEqual(byHotline.Body, second);
        await Host.SubmitAsync(await Host.IssueTokenAsync("hotline"), byHotline.Precinct, second);
        var called = (await Host.GetAsync($"api/v1/precincts/{Uri.EscapeDataString(byHotline.Precinct)}")).GetProperty("counted").GetProperty("final");
        foreach (var (name, count) in Numbers(byHotline.Body).Final) Assert.Equal(count, called.TryGetProperty(name, out var c) ? c.GetInt32() : 0);
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        foreach (var tab in new[] { warroom, report, hotline, admin }) tab.AssertNoScriptOrPolicyErrors("status of 503");
    }

    /// <summary>The war room: the reporting count, the statewide delegates on the count and each candidate's range, as the results document has them.</summary>
    private async Task WarRoomAsync(IPage page, IPage admin, string state)
    {
        var results = await CaughtUpAsync(Host, page, admin);
        var election = await Host.GetAsync("api/v1/election");
        var precincts = results.GetProperty("precincts");
        await Assertions.Expect(page.Locator("#reporting")).ToHaveTextAsync(
            $"{N(precincts.GetProperty("reporting").GetInt32())} of {N(precincts.GetProperty("total").GetInt32())} precincts reporting");
        await Assertions.Expect(page.Locator("#sde-heading")).ToHaveTextAsync(election.GetProperty("headline").GetProperty("name").GetString()!);
        var head = results.GetProperty("statewideHeadline");
        await Assertions.Expect(page.Locator("#sde-range-key")).ToContainTextAsync($"Called: {N(head.GetProperty("called").GetInt32())} of ");
        await Assertions.Expect(page.Locator("#left")).ToContainTextAsync($"{N(head.GetProperty("votesOut").GetInt64())} votes at most");
        var candidates = results.GetProperty("candidates").EnumerateArray()
            .Where(c => decimal.Parse(c.GetProperty("sde").GetString()!, System.Globalization.CultureInfo.InvariantCulture) > 0).ToList();
        Assert.True(candidates.Count >= 2, $"{state}: several candidates have national delegates");
        foreach (var c in candidates)
        {
            var name = c.GetProperty("name").GetString()!;
            var value = page.Locator($"#sde-bars li[data-candidate='{name}'] .value[data-sde='{name}']");
            await Assertions.Expect(value).ToBeVisibleAsync();
            AssertShows(await value.InnerTextAsync(), c.GetProperty("sde").GetString()!, $"{state}: {name}'s national delegates");
        }
        // The two leading carry their range in words (the others as a title); an exact range that has closed shows none.
        foreach (var c in candidates.Take(2))
        {
            var name = c.GetProperty("name").GetString()!;
            var range = c.GetProperty("sdeRange");
            var (low, high) = (range.GetProperty("low").GetString()!, range.GetProperty("high").GetString()!);
            var note = page.Locator($"#sde-bars li[data-candidate='{name}'] .note");
            if (low == high) await Assertions.Expect(note).ToHaveCountAsync(0);
            else await Assertions.Expect(note).ToHaveTextAsync($"{Whole(low)} – {Whole(high)} still open with the votes out");
        }
        // Needs attention: the disputed unit, with no stake in national delegates (it carries none of its own).
        var disagreements = (await Host.GetAsync("api/v1/flags")).GetProperty("sourceDisagreements");
        await Assertions.Expect(page.Locator("#attention-counts [data-kind='disagreement'] .count")).ToHaveTextAsync(N(disagreements.GetArrayLength()));
        await Assertions.Expect(page.Locator("#attention-list li[data-kind='disagreement']")).ToHaveCountAsync(disagreements.GetArrayLength());
        await Assertions.Expect(page.Locator("#attention-list .stake")).ToHaveCountAsync(0);
        var vote = results.GetProperty("candidates").EnumerateArray().MaxBy(c => c.GetProperty("finalAlignment").GetInt64());
        await Assertions.Expect(page.Locator($"#vote tbody tr:has(th:text-is('{vote.GetProperty("name").GetString()}')) td").First)
            .ToHaveTextAsync(N(vote.GetProperty("finalAlignment").GetInt64()));
    }

    private static string Whole(string value) => N((long)decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>The admin page: a card per precinct the review document lists, the disputed one among them.</summary>
    private async Task AdminAsync(IPage page, string state)
    {
        var review = await Host.GetAsync("api/v1/review");
        var precincts = review.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("precinct").GetString()!).Distinct().ToList();
        Assert.True(precincts.Count > 0, $"{state}: the review queue has items");
        await Assertions.Expect(page.Locator("#review-items > section.precinct-card")).ToHaveCountAsync(precincts.Count);
        await Assertions.Expect(page.Locator("#queue-chips .chip[data-reason='all'] .chip-count")).ToHaveTextAsync(N(review.GetProperty("items").GetArrayLength()));
        var disputed = page.Locator($"section.precinct-card[data-reasons~='sources-disagree']");
        await Assertions.Expect(disputed).ToHaveCountAsync(1);
        // Opened (a short queue starts open), the versions show one column of votes: no first alignment.
        var head = disputed.Locator(".card-head");
        if (await head.GetAttributeAsync("aria-expanded") != "true") await head.ClickAsync();
        await Assertions.Expect(head).ToHaveAttributeAsync("aria-expanded", "true");
        var item = disputed.Locator("article.review-item[data-reason='sources-disagree']");
        await Assertions.Expect(item).ToBeVisibleAsync();
        await Assertions.Expect(item.Locator("th:text-is('First')")).ToHaveCountAsync(0);
        await Assertions.Expect(item.Locator("thead th").First).ToHaveTextAsync("Candidate");
        // No unit carries national delegates of its own: no "0 delegates" on a card, and the order says why it is by name.
        await Assertions.Expect(page.Locator("#review-items .card-weight")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#queue-order")).ToContainTextAsync("allocated statewide, so no precinct carries any of its own");
        await Assertions.Expect(item.Locator("tr[data-group='Trump'] td")).ToHaveTextAsync(["≠ 140 (differs between the versions)", "≠ 150 (differs between the versions)"]);
    }

    private static (int Attendees, List<(string Name, int Count)> Final) Numbers(string body)
    {
        using var json = JsonDocument.Parse(body);
        return (json.RootElement.GetProperty("attendees").GetInt32(),
            [.. json.RootElement.GetProperty("final").EnumerateObject().Select(p => (p.Name, p.Value.GetInt32()))]);
    }

    /// <summary>The report page: one column of votes, one field a candidate, the math in votes and ballots.</summary>
    private static async Task TypeReportAsync(IPage page, JsonElement form, (int Attendees, List<(string Name, int Count)> Final) votes)
    {
        await Assertions.Expect(page.Locator("#precinct-name")).ToContainTextAsync("One round of votes");
        await Assertions.Expect(page.Locator("#tally input[data-round='first']")).ToHaveCountAsync(0);
        await page.GetByLabel(form.GetProperty("attendeesLabel").GetString()!, new() { Exact = true }).FillAsync(votes.Attendees.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var final = form.GetProperty("finalLabel").GetString()!.ToLowerInvariant();
        foreach (var (name, count) in votes.Final)
        {
            await page.GetByLabel($"{name}, {final}", new() { Exact = true }).FillAsync(count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        await Assertions.Expect(page.Locator("#math")).ToContainTextAsync($"{N(votes.Final.Sum(v => v.Count))} votes of {N(votes.Attendees)} ballots cast", new() { Timeout = 20_000 });
    }

    /// <summary>The hotline: the unit by its name, the ballots, each candidate by its first letters and its votes, then read back.</summary>
    private async Task TypeCallAsync(IPage page, (string Precinct, string Body) call, JsonElement form)
    {
        var precinct = await Host.GetAsync($"api/v1/precincts/{Uri.EscapeDataString(call.Precinct)}");
        var name = precinct.GetProperty("name").GetString()!;
        await page.GetByLabel("Search by county and name").FillAsync(call.Precinct);
        await page.GetByLabel("Search by county and name").PressAsync("Enter");
        await Assertions.Expect(page.Locator("#precinct-chosen")).ToContainTextAsync(name);
        await Assertions.Expect(page.Locator("#precinct-chosen")).ToContainTextAsync("one round of votes");
        var (attendees, final) = Numbers(call.Body);
        await page.GetByLabel(form.GetProperty("attendeesLabel").GetString()!, new() { Exact = true }).FillAsync($"{attendees}");
        foreach (var (candidate, count) in final)
        {
            await page.GetByLabel("Add a candidate: its first letters").FillAsync(candidate[..3]);
            await page.GetByLabel("Add a candidate: its first letters").PressAsync("Enter");
            var field = page.GetByLabel($"{candidate}, {form.GetProperty("finalLabel").GetString()!.ToLowerInvariant()}", new() { Exact = true });
            await Assertions.Expect(field).ToBeFocusedAsync();
            await field.FillAsync($"{count}");
        }
        await Assertions.Expect(page.Locator("#hotline-groups input[data-round='first'], .hotline-groups input[data-round='first']")).ToHaveCountAsync(0);
        await page.GetByRole(AriaRole.Button, new() { Name = "Read back" }).ClickAsync();
        var top = final.MaxBy(f => f.Count);
        await Assertions.Expect(page.Locator("#read-back-text")).ToContainTextAsync($"{top.Name} {top.Count}");
        await Assertions.Expect(page.Locator("#submit")).ToBeEnabledAsync();
    }
}
