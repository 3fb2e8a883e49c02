namespace Caucus.Web.Tests.Infrastructure;

/// <summary>
/// RULES.md worked example 1: Adair, 1NW ADAIR, D = 8, A = 40; final Biden 6, Buttigieg 8, Klobuchar 8,
/// Sanders 9, Warren 9; threshold ceil(600/100) = 6; one delegate too many, Buttigieg and Klobuchar tie
/// for it (a coin toss). With Klobuchar winning: Biden 1, Buttigieg 1, Klobuchar 2, Sanders 2, Warren 2;
/// one county delegate in Adair is 4/51 SDE, so Klobuchar's 2 are 0.1569 and Buttigieg's 1 is 0.0784.
/// First alignment is taken equal to final (the record gives only final numbers for this example).
/// </summary>
public static class AdairExample
{
    public const string Precinct = "adair/1nw-adair";

    public static readonly (string Group, int First, int Final)[] Groups =
    [
        ("Biden", 6, 6), ("Buttigieg", 8, 8), ("Klobuchar", 8, 8), ("Sanders", 9, 9), ("Warren", 9, 9),
    ];

    public static string Body(string source, string tossWinner = "Klobuchar", int warrenFinal = 9) =>
        $$"""
        {"attendees":40,
         "first":{"Biden":6,"Buttigieg":8,"Klobuchar":8,"Sanders":9,"Warren":9},
         "final":{"Biden":6,"Buttigieg":8,"Klobuchar":8,"Sanders":9,"Warren":{{warrenFinal}}},
         "tieBreaks":[{"groups":["Buttigieg","Klobuchar"],"winners":["{{tossWinner}}"]}],
         "source":"{{source}}"}
        """;
}
