using System.Globalization;
using System.Text.Json;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Caucus.Web.Tests.Infrastructure;

/// <summary>
/// A rule set's synthetic night half in (every other precinct in file order: "mid-night"), the rest kept for the test to
/// post ("the end"), as a class fixture: the folder has no published results, so <see cref="PublishedNight.Reports"/>
/// gives the night the demo plays.
/// </summary>
public abstract class HalfNight(WebHost host) : IAsyncLifetime
{
    public WebHost Host => host;

    /// <summary>The reports not yet posted, in file order.</summary>
    public List<(string Precinct, string Body)> Rest { get; private set; } = [];

    public async Task InitializeAsync()
    {
        await host.InitializeAsync();
        var night = PublishedNight.Reports(host);
        await PublishedNight.PostAsync(host, night.Where((_, i) => i % 2 == 1));
        Rest = [.. night.Where((_, i) => i % 2 == 0)];
    }

    public Task DisposeAsync() => host.DisposeAsync();
}

/// <summary>
/// What the four pages are checked with on a rule set's night: each photographed at the three sizes into
/// screenshots/{ruleSet}/{page}-{ruleSet}-{state}-{width}.png, with <see cref="PageChecks"/> and axe (no violation of any
/// impact) at each size; the problems are returned, so every photograph is taken before a test fails.
/// </summary>
public static class RuleSetNightPages
{
    public static readonly (string Name, int Width, int Height)[] Sizes = [("1920", 1920, 1080), ("1366", 1366, 768), ("390", 390, 844)];

    public static async Task<BrowserPage> OpenAsync(Browser browser, WebHost host, string path, string role, string? precinct = null)
    {
        var tab = await browser.OpenAsync(1920, 1080);
        var token = await host.IssueTokenAsync(role, precinct);
        var fragment = precinct is null ? $"#token={token}" : $"#token={token}&precinct={Uri.EscapeDataString(precinct)}";
        await tab.Page.GotoAsync(new Uri(host.BaseAddress, path + fragment).ToString());
        return tab;
    }

    /// <param name="fullPage">The whole page, or its first screenful (the admin page's queue runs long).</param>
    public static async Task<List<string>> LookAsync(BrowserPage tab, string page, string ruleSet, string state, bool fullPage = true)
    {
        Directory.CreateDirectory(Path.Combine(Browser.ScreenshotDirectory, ruleSet));
        var problems = new List<string>();
        foreach (var (size, width, height) in Sizes)
        {
            await tab.Page.SetViewportSizeAsync(width, height);
            // The layout settles on the new width before it is measured (one frame; not a fixed wait).
            await tab.Page.EvaluateAsync("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))");
            var name = $"{page} {ruleSet} {state} {size}";
            problems.AddRange(await PageChecks.ProblemsAsync(tab.Page, name));
            var axe = await tab.Page.RunAxe();
            problems.AddRange(axe.Violations.Select(v =>
                $"{name}: axe {v.Impact} {v.Id}: {v.Help} — {string.Join(", ", v.Nodes.Take(3).Select(n => string.Join(" ", n.Target)))}"));
            await tab.ScreenshotAsync(Path.Combine(ruleSet, $"{page}-{ruleSet}-{state}-{size}"), fullPage);
        }
        await tab.Page.SetViewportSizeAsync(1920, 1080);
        return problems;
    }

    /// <summary>The war room and the admin page show the server's current results version.</summary>
    public static async Task<JsonElement> CaughtUpAsync(WebHost host, IPage warroom, IPage admin)
    {
        var results = await host.GetAsync("api/v1/results");
        var version = results.GetProperty("version").GetInt64();
        await Assertions.Expect(warroom.Locator("#last-update")).ToContainTextAsync($"version {version}", new() { Timeout = 30_000 });
        await Assertions.Expect(admin.Locator("#queue-summary")).ToContainTextAsync($"results version {version}", new() { Timeout = 30_000 });
        return results;
    }

    /// <summary>
    /// A number as a page shows it ("1,234", "12.3456", "19") equals the document's to the digits shown.
    /// </summary>
    public static void AssertShows(string shown, string document, string what)
    {
        var text = shown.Trim().Replace(",", "", StringComparison.Ordinal);
        var digits = text.Contains('.', StringComparison.Ordinal) ? text.Length - text.IndexOf('.', StringComparison.Ordinal) - 1 : 0;
        var expected = Math.Round(decimal.Parse(document, CultureInfo.InvariantCulture), digits, MidpointRounding.AwayFromZero);
        Assert.True(decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var value) && value == expected,
            $"{what}: the page shows {shown}, the document {document}");
    }

    public static string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture);
}
