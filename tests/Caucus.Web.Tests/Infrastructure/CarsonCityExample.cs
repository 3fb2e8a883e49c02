using System.Globalization;
using Microsoft.Playwright;

namespace Caucus.Web.Tests.Infrastructure;

/// <summary>
/// Nevada's worked example (tests/Caucus.Api.Tests/Reports/NevadaReportTests.cs), Carson City 101, D = 9. In person 40:
/// Biden 15 → 18, Sanders 14 → 16, Warren 6 → 6, Klobuchar 5 → 0. Early: 10 cards Warren > Sanders > Biden and 8
/// Klobuchar > Buttigieg > Steyer. N = 58, threshold ceil(15% × 58) = 9: all four viable at the first alignment with their
/// cards, so every card stays with its first choice: merged first Biden 15, Sanders 14, Warren 16, Klobuchar 13; merged
/// final Biden 18, Sanders 16, Warren 16, Klobuchar 8.
/// </summary>
public static class CarsonCityExample
{
    public const string Precinct = "carson-city/101";

    public static readonly (string Group, int First, int Final)[] InPerson =
    [
        ("Biden", 15, 18), ("Sanders", 14, 16), ("Warren", 6, 6), ("Klobuchar", 5, 0),
    ];

    public static readonly (int Cards, string[] Choices)[] Early =
    [
        (10, ["Warren", "Sanders", "Biden"]), (8, ["Klobuchar", "Buttigieg", "Steyer"]),
    ];

    public static readonly Dictionary<string, int> MergedFinal = new(StringComparer.Ordinal)
    {
        ["Biden"] = 18, ["Sanders"] = 16, ["Warren"] = 16, ["Klobuchar"] = 8,
    };

    public const string EarlyJson =
        """[{"choices":["Warren","Sanders","Biden"],"count":10},{"choices":["Klobuchar","Buttigieg","Steyer"],"count":8}]""";

    /// <summary>The report body, with reported delegates when given (a chair's sheet).</summary>
    public static string Body(string source, string? reportedDelegates = null) =>
        $$"""
        {"attendees":40,"source":"{{source}}",
         "first":{"Biden":15,"Sanders":14,"Warren":6,"Klobuchar":5},
         "final":{"Biden":18,"Sanders":16,"Warren":6},
         {{(reportedDelegates is null ? "" : $"\"reportedDelegates\":{reportedDelegates},")}}
         "early":{{EarlyJson}}}
        """;

    /// <summary>Types the in-person counts and the two early rankings into a tally form (the page's form element).</summary>
    public static async Task TypeAsync(ILocator form)
    {
        await form.GetByLabel("Attendance").FillAsync("40");
        foreach (var (group, first, final) in InPerson)
        {
            await form.GetByLabel($"{group}, first alignment").FillAsync(first.ToString(CultureInfo.InvariantCulture));
            await form.GetByLabel($"{group}, final alignment").FillAsync(final.ToString(CultureInfo.InvariantCulture));
        }
        for (var row = 0; row < Early.Length; row++)
        {
            if (row > 0) await form.GetByRole(AriaRole.Button, new() { Name = "Add a ranking" }).ClickAsync();
            var (cards, choices) = Early[row];
            await form.Locator(".early-row").Nth(row).GetByLabel("Cards").FillAsync(cards.ToString(CultureInfo.InvariantCulture));
            for (var i = 0; i < choices.Length; i++)
            {
                await form.GetByLabel($"Ranking {row + 1}, choice {i + 1}", new() { Exact = true }).SelectOptionAsync(choices[i]);
            }
        }
    }
}
