using Caucus.Core.Rules.Nevada2020;
using Caucus.Core.Verification;
using Xunit.Abstractions;

namespace Caucus.Core.Tests.Rules.Nevada2020;

/// <summary>
/// The party's published county delegates per site (<c>reported_del_given</c>) recomputed from its <c>align1</c>,
/// <c>alignfinal</c>, <c>total_attendance</c> (N) and D. The figures are in the rule set's README; the floor here is the
/// figure measured, so any change to the rules that loses a precinct fails.
/// </summary>
public class PublishedNevadaResultsTests(ITestOutputHelper output)
{
    private static readonly Nevada2020RuleSet Rules = new();

    [Fact]
    public void The_rule_set_reproduces_the_published_delegates_of_most_sites()
    {
        var sites = NevadaRecord.Sites.Value;
        var verdicts = sites.Where(s => s.Delegates is not null).Select(s =>
        {
            var plain = s.Tally with { ReportedDelegates = null };
            return (Site: s, Verdict: ConsistencyCheck.Compare(Rules, s.Delegates!.Value, plain,
                Rules.Allocate(s.Delegates!.Value, plain), s.Tally.ReportedDelegates!));
        }).ToList();

        var consistent = verdicts.Count(v => v.Verdict.Status == ConsistencyStatus.Consistent);
        var tieConsistent = verdicts.Count(v => v.Verdict.Status == ConsistencyStatus.TieConsistent);
        output.WriteLine($"sites with people: {sites.Length}; without a D: {sites.Length - verdicts.Count}");
        output.WriteLine($"consistent {consistent}, tie-consistent {tieConsistent}, inconsistent {verdicts.Count - consistent - tieConsistent}");
        foreach (var reason in verdicts.Where(v => v.Verdict.Status == ConsistencyStatus.Inconsistent).GroupBy(v => v.Verdict.Reason))
            output.WriteLine($"  {reason.Key}: {reason.Count()} (e.g. {string.Join(" | ", reason.Take(3).Select(v => $"{v.Site.Id} D={v.Site.Delegates} N={v.Site.Tally.Attendees}: {v.Verdict.Details}"))})");

        // 1,648 sites had people in an alignment (SOURCE.md); 3 (the at-large casino sites) have no D anywhere.
        Assert.Equal(1_648, sites.Length);
        Assert.Equal(3, sites.Length - verdicts.Count);
        Assert.True(consistent >= 1_438, $"{consistent} consistent, 1,438 measured when the rule set landed");
        Assert.True(consistent + tieConsistent >= 1_527, $"{consistent + tieConsistent} consistent under some card draw");
    }
}
