using Microsoft.Playwright;

namespace Caucus.Web.Tests.Infrastructure;

/// <summary>
/// Headless Chromium from Debian's package, driven by Playwright (no browser download is possible here).
/// Missing chromium fails the tests with the way to fix it; nothing is skipped.
/// </summary>
public sealed class Browser : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public IBrowser Chromium { get; private set; } = null!;

    /// <summary>Where screenshots go: a folder in the test output, looked at by people and copied to docs/.</summary>
    public static string ScreenshotDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException(
                $"{ChromiumPath} is missing: install Debian's chromium package (apt-get install -y chromium); .ci/run does this when it is missing.");
        }
        Directory.CreateDirectory(ScreenshotDirectory);
        // Expectations poll until they hold: a busy CI machine (the suite runs beside the API tests' PostgreSQL) answers
        // a preview or a stream event later than 5 s now and then; waiting longer costs nothing when things are on time.
        Assertions.SetDefaultExpectTimeout(15_000);
        _playwright = await Playwright.CreateAsync();
        Chromium = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-dev-shm-usage"],
        });
    }

    /// <summary>A fresh browser context (its own storage) and page, which records console errors.</summary>
    public async Task<BrowserPage> OpenAsync(int width = 1200, int height = 900)
    {
        var context = await Chromium.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height } });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(10_000);
        page.SetDefaultNavigationTimeout(10_000);
        var page2 = new BrowserPage(context, page);
        page.Console += (_, message) =>
        {
            if (message.Type == "error") page2.ConsoleErrors.Add(message.Text);
        };
        page.PageError += (_, error) => page2.ConsoleErrors.Add(error);
        return page2;
    }

    public async Task DisposeAsync()
    {
        if (Chromium is not null) await Chromium.DisposeAsync();
        _playwright?.Dispose();
    }
}

public sealed class BrowserPage(IBrowserContext context, IPage page) : IAsyncDisposable
{
    public IBrowserContext Context { get; } = context;

    public IPage Page { get; } = page;

    /// <summary>Script errors and refusals by the Content-Security-Policy, which the browser reports as console errors.</summary>
    public List<string> ConsoleErrors { get; } = [];

    /// <param name="fullPage">The whole page, or only what fits the window (a page thousands of pixels long).</param>
    public async Task ScreenshotAsync(string name, bool fullPage = true) =>
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Browser.ScreenshotDirectory, $"{name}.png"), FullPage = fullPage });

    /// <summary>None of the page's own errors, and nothing the Content-Security-Policy refused.</summary>
    public void AssertNoScriptOrPolicyErrors(params string[] expected)
    {
        var unexpected = ConsoleErrors.Where(e => !expected.Any(x => e.Contains(x, StringComparison.OrdinalIgnoreCase))).ToList();
        Assert.True(unexpected.Count == 0, "Console errors:\n" + string.Join("\n", unexpected));
    }

    public async ValueTask DisposeAsync() => await Context.DisposeAsync();
}
