using System.Globalization;
using System.Text;
using Caucus.Core.Definitions;
using Caucus.Core.Model;
using Caucus.Core.Projection;

namespace Caucus.Core.Tests.Projection;

/// <summary>
/// The projection's covariates (precincts.csv priorShare:&lt;group&gt; columns): a synthetic election where each precinct's
/// share of final alignment follows its prior share exactly, so the slope the fit must find is known.
/// </summary>
public class CovariateTests
{
    /// <summary>
    /// 10 counties of 20 precincts; a precinct with prior share v gives Avery (0.3 + 0.4 v) of 200 attendees, Blake the
    /// rest; every county's mean v differs, so a fit that let the counties' levels in would not find the slope alone.
    /// d log(share)/dv at a share of about a half is 0.4 / 0.5 = 0.8 for Avery and −0.8 for Blake.
    /// </summary>
    private static (Election Election, Dictionary<string, Tally> Final) Create(bool withColumn)
    {
        var rng = new Xoshiro256(7, 1);
        var counties = new StringBuilder("county,district,countyDelegates,stateDelegates\n");
        var precincts = new StringBuilder("id,county,name,delegates,kind" + (withColumn ? ",priorShare:Avery" : "") + "\n");
        var final = new Dictionary<string, Tally>(StringComparer.Ordinal);
        for (var ci = 0; ci < 10; ci++)
        {
            for (var p = 0; p < 20; p++)
            {
                var v = Math.Clamp(0.1 * ci / 2 + 0.5 * rng.NextDouble(), 0, 1);
                var id = $"c{ci}/p{p}";
                var prior = withColumn ? string.Create(CultureInfo.InvariantCulture, $",{v:0.0000}") : "";
                precincts.Append(CultureInfo.InvariantCulture, $"{id},County {ci},P{p},5,precinct{prior}\n");
                var avery = (int)Math.Round(200 * (0.3 + 0.4 * v));
                final[id] = Tallies.Same(200, ("Avery", avery), ("Blake", 200 - avery));
            }
            counties.Append(CultureInfo.InvariantCulture, $"County {ci},CD{1 + ci % 2},100,10\n");
        }
        var files = new Dictionary<string, string>
        {
            [ElectionDefinition.ElectionFile] = """{"id":"cov","ruleSet":"iowa-2020","candidates":["Avery","Blake"]}""",
            [ElectionDefinition.CountiesFile] = counties.ToString(),
            [ElectionDefinition.PrecinctsFile] = precincts.ToString(),
        };
        return (ElectionDefinition.Load(name => files.GetValueOrDefault(name)), final);
    }

    [Fact]
    public void The_fit_finds_the_known_within_county_slope_of_each_candidates_log_share()
    {
        var (election, final) = Create(withColumn: true);
        var covariates = Covariates.For(election);
        var countyIndex = election.Counties.Select((c, i) => (c.Name, i)).ToDictionary(x => x.Name, x => x.i, StringComparer.Ordinal);
        var reports = election.Precincts.Select(p => (p, countyIndex[p.County], final[p.Id])).ToList();

        var gamma = covariates.Fit(reports, ["Avery", "Blake"], election.Counties.Length);

        Assert.Equal(["Avery"], covariates.Names);
        Assert.InRange(gamma[0], 0.65, 0.95);
        Assert.InRange(gamma[1], -0.95, -0.65);
    }

    [Fact]
    public void Without_the_column_there_are_no_covariates_and_no_effects()
    {
        var (election, final) = Create(withColumn: false);
        var covariates = Covariates.For(election);
        var reports = election.Precincts.Select(p => (p, 0, final[p.Id])).ToList();

        Assert.Equal(0, covariates.Count);
        Assert.Empty(covariates.Fit(reports, ["Avery", "Blake"], election.Counties.Length));
    }

    [Fact]
    public void With_the_column_the_projection_of_the_high_prior_precincts_still_out_is_closer_to_the_truth()
    {
        // Report the lower half of every county by prior share: without the covariate the projection copies them into
        // the upper half; with it, it swings them by the fitted slope.
        double Error(bool withColumn)
        {
            var (election, final) = Create(withColumn);
            var byPrior = Create(withColumn: true).Election.Precincts.ToDictionary(p => p.Id, p => p.PriorShares!["Avery"], StringComparer.Ordinal);
            var reported = election.Precincts.GroupBy(p => p.County)
                .SelectMany(g => g.OrderBy(p => byPrior[p.Id]).Take(10))
                .ToDictionary(p => p.Id, p => final[p.Id], StringComparer.Ordinal);
            var projection = Projector.Project(election, reported, new ProjectionOptions(200, 2020));
            var truth = final.Values.Sum(t => (double)t.FinalOf("Avery")) / final.Values.Sum(t => (double)t.Attendees);
            return Math.Abs(projection["Avery"].ProjectedFinalAlignment / projection.Candidates.Sum(c => c.ProjectedFinalAlignment) - truth);
        }

        var without = Error(false);
        var with = Error(true);
        Assert.True(with < without / 2, $"with {with:0.0000}, without {without:0.0000}");
    }
}
