using Microsoft.Playwright;

namespace Caucus.Web.Tests.Infrastructure;

/// <summary>
/// What a page must never show at a night's scale, whatever it is: a script's "undefined", "NaN" or "[object …]" in
/// its text, a page wider than the window (a phone scrolling sideways), or a panel whose content spills out of it
/// (a table wider than its card). Returns the problems in words, so a test can photograph every page first and fail
/// once with all of them.
/// </summary>
public static class PageChecks
{
    /// <summary>The page's problems at its current viewport; <paramref name="name"/> prefixes each.</summary>
    public static async Task<List<string>> ProblemsAsync(IPage page, string name)
    {
        var problems = new List<string>();
        var text = await page.Locator("body").InnerTextAsync();
        foreach (var word in new[] { "undefined", "NaN", "[object" })
        {
            if (text.Contains(word, StringComparison.Ordinal)) problems.Add($"{name} shows \"{word}\": …{Around(text, word)}…");
        }
        var overflow = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, window.innerWidth]");
        if (overflow[0] > overflow[1] + 1) problems.Add($"{name} is {overflow[0]} px wide in a {overflow[1]} px window.");
        // A panel (section, article, a card, a table's wrapper) whose content is wider than the panel itself, unless the
        // panel scrolls on purpose (overflow-x auto/scroll, which the page uses for wide tables on a phone).
        var spills = await page.EvaluateAsync<string[]>(
            """
            () => [...document.querySelectorAll('section, article, .card, .panel, li.card, details')]
              .filter(e => e.offsetParent !== null && e.scrollWidth > e.clientWidth + 1
                && !['auto', 'scroll'].includes(getComputedStyle(e).overflowX))
              .map(e => (e.id ? '#' + e.id : e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).split(' ')[0] : ''))
                + ' ' + e.scrollWidth + '>' + e.clientWidth)
            """);
        problems.AddRange(spills.Select(s => $"{name}: content spills out of {s} px."));
        return problems;
    }

    private static string Around(string text, string word)
    {
        var at = text.IndexOf(word, StringComparison.Ordinal);
        var start = Math.Max(0, at - 40);
        return text.Substring(start, Math.Min(text.Length - start, word.Length + 80)).ReplaceLineEndings(" ");
    }
}
