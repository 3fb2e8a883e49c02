using Caucus.Web.Tests.Infrastructure;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Caucus.Web.Tests;

/// <summary>
/// The hotline console as a data-entry tool (issue 22): typed as fast as the keyboard goes (no waits between keys), a
/// wrong total cannot be sent until its warning is read back and ticked, an unanswered toss cannot be sent at all, a
/// letter O in attendance is marked and named, a six-group call takes at most 30 keystrokes other than the caller's
/// digits, and mid-night the console fits 1366×768 with nothing sideways, nothing undefined and nothing axe objects to.
/// </summary>
[Collection(PagesCollection.Name)]
public sealed class HotlineEntryTests(Browser browser, WebHost host) : IClassFixture<WebHost>
{
    // Operator 2's call from the issue: 200 attendees, six groups, Biden and Yang not viable (threshold 30) and gone by
    // the final alignment.
    /// <summary>Today's console's count of the six-group call (see the keystroke test), measured on main at 2e91494.</summary>
    private const int TodaysCount = 30;

    private static readonly (string Prefix, string First, string Final)[] SixGroups =
        [("sa", "53", "60"), ("bu", "48", "55"), ("w", "40", "50"), ("k", "30", "35"), ("bi", "17", ""), ("y", "12", "")];

    [Fact]
    public async Task A_wrong_total_typed_fast_cannot_be_sent_until_its_warning_is_read_back_and_ticked()
    {
        await using var tab = await OpenAsync();
        var page = tab.Page;
        var keys = new Keys(page);
        await ChooseAsync(keys, "adair 2ne", "2NE STUART");
        // Klobuchar's final typed 53 for 35: the final alignment totals 218 of 200. Then Enter, Enter, Enter at once.
        await TypeCallAsync(keys, "200", SixGroups.Select(g => g.Prefix == "k" ? (g.Prefix, g.First, "53") : g));
        for (var i = 0; i < 4; i++) await keys.PressAsync("Enter");

        var readBack = page.Locator("#read-back-text");
        await Assertions.Expect(readBack).ToContainTextAsync("Final alignment totals 218, more than the 200 attendees");
        await Assertions.Expect(readBack).ToContainTextAsync("Klobuchar 53");
        await Assertions.Expect(page.Locator("#submit")).ToBeDisabledAsync();
        await Assertions.Expect(page.Locator("#send-waits")).ToContainTextAsync("tick the warning");
        await Assertions.Expect(page.Locator("#call-status")).ToHaveAttributeAsync("data-state", "blocked");
        await Assertions.Expect(page.Locator("#hotline-totals")).ToContainTextAsync("18 more than the 200 attendees");
        await Assertions.Expect(page.Locator("#queue li[data-precinct]")).ToHaveCountAsync(0);

        // Focus waits on the warning's box: Space ticks it once the caller confirms, and only then Send takes Enter.
        var warning = page.GetByLabel("Final alignment totals 218, more than the 200 attendees.");
        await Assertions.Expect(warning).ToBeFocusedAsync();
        await keys.PressAsync("Space");
        await Assertions.Expect(page.Locator("#submit")).ToBeFocusedAsync();
        await keys.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#queue li[data-precinct='adair/2ne-stuart']")).ToHaveAttributeAsync("data-state", "stored");
        await Assertions.Expect(page.Locator("#call-status")).ToHaveAttributeAsync("data-state", "sent");
        tab.AssertNoScriptOrPolicyErrors();
    }

    [Fact]
    public async Task An_unanswered_toss_cannot_be_sent_however_fast_the_operator_types()
    {
        await using var tab = await OpenAsync();
        var page = tab.Page;
        var keys = new Keys(page);
        await ChooseAsync(keys, "adair 1nw", "1NW ADAIR");
        // RULES.md worked example 1: Buttigieg and Klobuchar tie for the last delegate. Typed, then Enter four times.
        await TypeCallAsync(keys, "40", AdairExample.Groups.Select(g => (g.Group[..2].ToLowerInvariant(), $"{g.First}", $"{g.Final}")));
        for (var i = 0; i < 4; i++) await keys.PressAsync("Enter");

        await Assertions.Expect(page.Locator(".toss legend")).ToHaveTextAsync("Who won the coin toss?");
        await Assertions.Expect(page.Locator("#read-back-text")).ToContainTextAsync("(provisional)");
        await Assertions.Expect(page.Locator("#submit")).ToBeDisabledAsync();
        await Assertions.Expect(page.Locator("#send-waits")).ToContainTextAsync("ask who won it");
        await Assertions.Expect(page.Locator("#queue li[data-precinct]")).ToHaveCountAsync(0);

        // Focus is on the toss; the answer goes to the server, and Send takes Enter once the math with it is back.
        await Assertions.Expect(page.Locator(".toss").GetByLabel("Buttigieg")).ToBeFocusedAsync();
        await page.Locator(".toss").GetByLabel("Klobuchar").CheckAsync();
        await Assertions.Expect(page.Locator("#submit")).ToBeFocusedAsync();
        await Assertions.Expect(page.Locator("#read-back-text")).ToContainTextAsync("Toss: Klobuchar won");
        await Assertions.Expect(page.Locator("#read-back-text")).ToContainTextAsync("That gives: Biden 1, Buttigieg 1, Klobuchar 2, Sanders 2, Warren 2.");
        await keys.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#queue li[data-precinct='adair/1nw-adair']")).ToHaveAttributeAsync("data-state", "stored");
        tab.AssertNoScriptOrPolicyErrors();
    }

    [Fact]
    public async Task A_letter_O_in_attendance_is_marked_and_the_message_names_the_field()
    {
        await using var tab = await OpenAsync();
        var page = tab.Page;
        var keys = new Keys(page);
        await ChooseAsync(keys, "adair 3sw", "3SW FONTANELLE");
        await keys.TypeAsync("2O0");

        var attendance = page.GetByLabel("Attendance");
        await Assertions.Expect(attendance).ToHaveAttributeAsync("aria-invalid", "true");
        // Marked on screen too, not only for a screen reader: the field turns red.
        await Assertions.Expect(attendance).ToHaveCSSAsync("background-color", "rgb(253, 231, 231)");
        await Assertions.Expect(attendance).ToHaveAccessibleDescriptionAsync(new System.Text.RegularExpressions.Regex("Attendance[^:]*: “2O0” is not a whole number"));
        await Assertions.Expect(page.Locator("#hotline-problems")).ToContainTextAsync("“2O0” is not a whole number (a letter O where a zero was meant?)");
        await Assertions.Expect(page.Locator("#hotline-problems li")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^Attendance"));
        await Assertions.Expect(page.Locator("#call-status")).ToContainTextAsync(": correct Attendance");
        await Assertions.Expect(page.Locator("#submit")).ToBeDisabledAsync();

        // Corrected, the mark and the message go.
        await keys.PressAsync("Backspace");
        await keys.PressAsync("Backspace");
        await keys.TypeAsync("00");
        await Assertions.Expect(attendance).ToHaveAttributeAsync("aria-invalid", "false");
        await Assertions.Expect(page.Locator("#hotline-problems")).ToBeHiddenAsync();
        tab.AssertNoScriptOrPolicyErrors();
    }

    [Fact]
    public async Task Enter_and_Tab_walk_the_same_order_across_each_row_and_an_ambiguous_name_is_answered_with_its_candidates()
    {
        await using var tab = await OpenAsync();
        var page = tab.Page;
        var keys = new Keys(page);
        await ChooseAsync(keys, "adair 5gf", "5GF GREENFIELD");
        await keys.TypeAsync("120");
        await keys.PressAsync("Tab");
        await Assertions.Expect(page.GetByLabel("Add a group")).ToBeFocusedAsync();
        await keys.TypeAsync("b");
        await keys.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#hotline-problems")).ToContainTextAsync("“b” could be Bennet, Biden, Bloomberg or Buttigieg; type more letters.");
        await Assertions.Expect(page.GetByLabel("Add a group")).ToHaveAttributeAsync("aria-invalid", "true");
        await keys.TypeAsync("u");
        await keys.PressAsync("Enter");
        await Assertions.Expect(page.GetByLabel("Buttigieg, first alignment")).ToBeFocusedAsync();
        await keys.TypeAsync("70");
        await keys.PressAsync("Tab");
        await Assertions.Expect(page.GetByLabel("Buttigieg, final alignment")).ToBeFocusedAsync();
        await keys.TypeAsync("70");
        await keys.PressAsync("Enter");
        await keys.TypeAsync("sa50");
        await Assertions.Expect(page.GetByLabel("Sanders, first alignment")).ToBeFocusedAsync();
        await Assertions.Expect(page.GetByLabel("Sanders, first alignment")).ToHaveValueAsync("50");

        // From attendance, Tab and Enter take the same steps: across Buttigieg's row, then down to Sanders'.
        foreach (var key in new[] { "Tab", "Enter" })
        {
            await page.GetByLabel("Attendance").FocusAsync();
            var expected = new[] { "Buttigieg, first alignment", "Buttigieg, final alignment", "Sanders, first alignment", "Sanders, final alignment", "Add a group" };
            foreach (var label in expected)
            {
                await keys.PressAsync(key);
                await Assertions.Expect(page.GetByLabel(label)).ToBeFocusedAsync();
            }
        }
        await Assertions.Expect(page.Locator("#hotline-totals")).ToContainTextAsync("First alignment 120: all 120 attendees");
        await Assertions.Expect(page.Locator("#hotline-totals")).ToContainTextAsync("Final alignment 70: 50 fewer than the 120 attendees");
        tab.AssertNoScriptOrPolicyErrors();
    }

    /// <summary>
    /// A keystroke is a key pressed from the precinct chosen to Send, except the digits of the numbers the caller reads:
    /// the digits (23 here) and the precinct search (10 here) are the same on any console. Today's console (main at
    /// 2e91494) driven with this call by the same count: TodaysCount (attendance, 14 first and 14 final fields each
    /// ended by Enter, 18 of them empty; Send); counting the search and the digits too, 63 (the issue counted 65).
    /// </summary>
    [Fact]
    public async Task A_six_group_call_takes_at_most_30_keystrokes_other_than_its_digits()
    {
        await using var tab = await OpenAsync();
        var page = tab.Page;
        var keys = new Keys(page);
        await ChooseAsync(keys, "adair 5gf", "5GF GREENFIELD");
        await TypeCallAsync(keys, "200", SixGroups);
        await keys.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#submit")).ToBeFocusedAsync();
        await Assertions.Expect(page.Locator("#read-back-text")).ToContainTextAsync("Final alignment: Sanders 60, Buttigieg 55, Warren 50, Klobuchar 35; none left for Biden, Yang.");
        await Assertions.Expect(page.Locator("#hotline-totals")).ToContainTextAsync("all 200 attendees");
        await keys.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#queue li[data-precinct='adair/5gf-greenfield']")).ToHaveAttributeAsync("data-state", "stored");

        Assert.Equal(23, keys.Digits);
        var counted = $"{keys.Others} keystrokes other than the digits; {keys.Search} in the search, {keys.Digits} digits, {keys.Search + keys.Digits + keys.Others} in all";
        File.WriteAllText(Path.Combine(Browser.ScreenshotDirectory, "hotline-keystrokes.txt"), counted + "\n");
        Assert.True(keys.Others <= 30 && keys.Others < TodaysCount, counted);
        tab.AssertNoScriptOrPolicyErrors();
    }

    [Fact]
    public async Task Mid_night_the_console_fits_each_screen_keeps_its_status_in_view_and_axe_finds_nothing()
    {
        var night = PublishedNight.Reports(host);
        await PublishedNight.PostAsync(host, night.Where((_, i) => i % 2 == 1 && !night[i].Precinct.StartsWith("adair/", StringComparison.Ordinal)));
        await using var tab = await OpenAsync(1366, 768);
        var page = tab.Page;
        var keys = new Keys(page);
        await ChooseAsync(keys, "adair 4se", "4SE ORIENT");
        await TypeCallAsync(keys, "200", SixGroups.Select(g => g.Prefix == "k" ? (g.Prefix, g.First, "53") : g));
        await keys.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#read-back-text")).ToContainTextAsync("Warning: Final alignment totals 218");

        var problems = new List<string>();
        Directory.CreateDirectory(Path.Combine(Browser.ScreenshotDirectory, "hotline"));
        foreach (var (size, width, height) in new[] { ("1920", 1920, 1080), ("1366", 1366, 768), ("390", 390, 844) })
        {
            await page.SetViewportSizeAsync(width, height);
            await page.EvaluateAsync("() => window.scrollTo(0, 0)");
            await tab.ScreenshotAsync(Path.Combine("hotline", $"hotline-mid-night-{size}"));
            problems.AddRange(await PageChecks.ProblemsAsync(page, $"hotline at {size}"));
            // The bar with the call's state stays on screen at the bottom of the page.
            await page.Locator("#queue").ScrollIntoViewIfNeededAsync();
            await Assertions.Expect(page.Locator("#call-status")).ToBeInViewportAsync();
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));

        await page.SetViewportSizeAsync(1366, 768);
        var result = await page.RunAxe();
        Assert.True(result.Violations.Length == 0, string.Join("\n", result.Violations.Select(v =>
            $"{v.Impact} {v.Id}: {v.Help} — {string.Join(", ", v.Nodes.Take(3).Select(n => string.Join(" ", n.Target)))}")));
        tab.AssertNoScriptOrPolicyErrors();
    }

    private async Task<BrowserPage> OpenAsync(int width = 1366, int height = 768)
    {
        var tab = await browser.OpenAsync(width, height);
        await tab.Page.GotoAsync(new Uri(host.BaseAddress, $"/hotline#token={await host.IssueTokenAsync("hotline")}").ToString());
        // The search answers once the precinct list has loaded.
        await Assertions.Expect(tab.Page.GetByLabel("Precinct: search by county and name")).ToBeFocusedAsync();
        return tab;
    }

    private static async Task ChooseAsync(Keys keys, string search, string name)
    {
        await keys.SearchAsync(search);
        await Assertions.Expect(keys.Page.Locator("#precinct-chosen")).ToContainTextAsync(name);
        await Assertions.Expect(keys.Page.GetByLabel("Attendance")).ToBeFocusedAsync();
    }

    /// <summary>
    /// Attendance, Enter; per group its first letters and first count ("sa53"), Enter, the final count, Enter; no wait
    /// between keys. Ends on the empty name field (the next Enter is "that's all").
    /// </summary>
    private static async Task TypeCallAsync(Keys keys, string attendance, IEnumerable<(string Prefix, string First, string Final)> groups)
    {
        await keys.TypeAsync(attendance);
        await keys.PressAsync("Enter");
        foreach (var (prefix, first, final) in groups)
        {
            await keys.TypeAsync(prefix + first);
            await keys.PressAsync("Enter");
            await keys.TypeAsync(final);
            await keys.PressAsync("Enter");
        }
    }

    /// <summary>The keyboard, counting what is pressed: the digits of the numbers apart from every other key.</summary>
    private sealed class Keys(IPage page)
    {
        public IPage Page => page;

        /// <summary>Keys typed into the precinct search, its Enter included.</summary>
        public int Search { get; private set; }

        public int Digits { get; private set; }

        public int Others { get; private set; }

        public async Task SearchAsync(string text)
        {
            Search += text.Length + 1;
            await page.Keyboard.TypeAsync(text);
            await page.Keyboard.PressAsync("Enter");
        }

        public async Task TypeAsync(string text)
        {
            Digits += text.Count(char.IsAsciiDigit);
            Others += text.Count(c => !char.IsAsciiDigit(c));
            await page.Keyboard.TypeAsync(text);
        }

        public async Task PressAsync(string key)
        {
            Others++;
            await page.Keyboard.PressAsync(key);
        }
    }
}
