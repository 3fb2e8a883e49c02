using Caucus.Core.Model;
using Caucus.Core.Rules.Nevada2020;

namespace Caucus.Core.Tests.Rules.Nevada2020;

/// <summary>The figures of <see cref="Nevada2020RuleSet.Limits"/> hold no 2020 site, and would hold a real surge.</summary>
public class Nevada2020PlausibilityTests
{
    [Fact]
    public void No_2020_caucus_site_is_held_for_review()
    {
        var held = NevadaRecord.Sites.Value
            .Select(s => (s.Id, Why: Nevada2020RuleSet.Limits.Implausible(
                new Precinct(s.Id, "county", s.Id, s.Delegates ?? 0, PrecinctKind.Precinct, s.Registered), s.Tally)))
            .Where(h => h.Why is not null).ToList();
        Assert.True(held.Count == 0, string.Join("\n", held.Select(h => $"{h.Id}: {h.Why}")));
    }

    [Fact]
    public void Attendance_far_above_the_registered_Democrats_is_held()
    {
        var precinct = new Precinct("p", "county", "p", 5, PrecinctKind.Precinct, Registered: 300);
        Assert.Null(Nevada2020RuleSet.Limits.Implausible(precinct, Tallies.Same(500, ("A", 500))));
        Assert.NotNull(Nevada2020RuleSet.Limits.Implausible(precinct, Tallies.Same(501, ("A", 501))));
    }
}
