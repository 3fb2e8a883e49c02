using Caucus.Core.Projection;

namespace Caucus.Core.Simulation;

/// <summary>
/// The groups a synthetic precinct names where the form's groups are open (<see cref="Rules.ReportForm.OpenGroups"/>):
/// the election's suggested names, now and then a subcaucus the suggestions do not have, and now and then a suggested
/// name written another way by the captain, so headquarters' merge of spellings has work on the demo night.
/// </summary>
public static class OpenGroupNames
{
    /// <summary>Subcaucuses a precinct may form on the night that no one suggested.</summary>
    public static readonly IReadOnlyList<string> NewNames = ["Public Schools First", "Rural Broadband", "Labor Rights", "Clean Water", "Ranked Choice Voting"];

    /// <summary>How often a precinct forms one of the <see cref="NewNames"/>, and how often it writes a suggested name another way.</summary>
    private const double NewGroupShare = 0.4;
    private const double SecondSpellingShare = 0.35;

    /// <summary>
    /// A second spelling of <paramref name="name"/>: all lower case (the war room folds case, so it is the same group),
    /// or with "Subcaucus" after it (a different name, for headquarters to merge).
    /// </summary>
    public static string SecondSpelling(string name, int variant)
    {
        ArgumentNullException.ThrowIfNull(name);
        return variant % 2 == 0 ? name.ToLowerInvariant() : $"{name} Subcaucus";
    }

    /// <summary>
    /// The names one precinct's groups go by, in the order of <paramref name="suggested"/> followed by any new group:
    /// each suggested name as suggested or (rarely) in a second spelling, and possibly one new group.
    /// </summary>
    public static List<string> ForPrecinct(ref Xoshiro256 rng, IReadOnlyList<string> suggested)
    {
        ArgumentNullException.ThrowIfNull(suggested);
        var names = suggested.ToList();
        if (names.Count > 0 && rng.NextDouble() < SecondSpellingShare)
        {
            var i = rng.NextInt(names.Count);
            names[i] = SecondSpelling(names[i], rng.NextInt(2));
        }
        if (rng.NextDouble() < NewGroupShare) names.Add(NewNames[rng.NextInt(NewNames.Count)]);
        return names;
    }
}
