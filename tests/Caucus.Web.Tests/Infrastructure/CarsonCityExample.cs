using System.Globalization;
using Microsoft.Playwright;

namespace Caucus.Web.Tests.Infrastructure;

/// <summary>
/// After Nevada's worked example (tests/Caucus.Api.Tests/Reports/NevadaReportTests.cs), Carson City 101, D = 9, with the
/// viable groups' members staying put (locked, as the rules have it). In person 44: Biden 15 → 17, Sanders 14 → 16,
/// Warren 6, Klobuchar 5, Yang 4 → 0. Early: 10 cards Warren > Sanders > Biden and 8 Klobuchar > Buttigieg > Steyer.
/// N = 62, threshold ceil(15% × 62) = 10: Warren (16) and Klobuchar (13) viable with their cards, so every card stays
/// with its first choice; Yang's 4 are not. Merged first Biden 15, Sanders 14, Warren 16, Klobuchar 13, Yang 4; merged
/// final Biden 17, Sanders 16, Warren 16, Klobuchar 13.
/// </summary>
public static class CarsonCityExample
{
    public const string Precinct = "carson-city/101";

    public static readonly (string Group, int First, int Final)[] InPerson =
    [
        ("Biden", 15, 17), ("Sanders", 14, 16), ("Warren", 6, 6), ("Klobuchar", 5, 5), ("Yang", 4, 0),
    ];

    public static readonly (int Cards, string[] Choices)[] Early =
    [
        (10, ["Warren", "Sanders", "Biden"]), (8, ["Klobuchar", "Buttigieg", "Steyer"]),
    ];

    public static readonly Dictionary<string, int> MergedFinal = new(StringComparer.Ordinal)
    {
        ["Biden"] = 17, ["Sanders"] = 16, ["Warren"] = 16, ["Klobuchar"] = 13,
    };

    public const string EarlyJson =
        """[{"choices":["Warren","Sanders","Biden"],"count":10},{"choices":["Klobuchar","Buttigieg","Steyer"],"count":8}]""";

    /// <summary>The report body, with reported delegates when given (a chair's sheet).</summary>
    public static string Body(string source, string? reportedDelegates = null) =>
        $$"""
        {"attendees":44,"source":"{{source}}",
         "first":{"Biden":15,"Sanders":14,"Warren":6,"Klobuchar":5,"Yang":4},
         "final":{"Biden":17,"Sanders":16,"Warren":6,"Klobuchar":5},
         {{(reportedDelegates is null ? "" : $"\"reportedDelegates\":{reportedDelegates},")}}
         "early":{{EarlyJson}}}
        """;

    /// <summary>Types the in-person counts and the two early rankings into a tally form (the page's form element).</summary>
    public static async Task TypeAsync(ILocator form)
    {
        await form.GetByLabel("Attendance").FillAsync("44");
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
