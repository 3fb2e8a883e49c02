using System.Collections.Immutable;
using System.Net;
using Caucus.Api.Demo;
using Caucus.Api.Elections;
using Caucus.Core.Counting;
using Caucus.Core.Projection;
using Caucus.Core.Rules;

namespace Caucus.Web.Tests.Infrastructure;

/// <summary>
/// A night as the party published it (the election folder's results file, read by
/// <see cref="PublishedReports.Reports"/>), or the folder's synthetic night where it has none, as report bodies posted
/// in bulk over HTTP: the pages are then looked at mid-night and at the end without typing two thousand precincts into them.
/// </summary>
public static class PublishedNight
{
    /// <summary>
    /// Each precinct that met, in file order, with its report body as an official report; for a folder without published
    /// results, its synthetic night of the demo's seed (what <c>--demo</c> plays: <see cref="DemoNight.Reports"/>).
    /// </summary>
    public static ImmutableArray<(string Precinct, string Body)> Reports(WebHost host)
    {
        var election = ElectionSource.Load(host.ElectionFolder);
        var (reports, _) = DemoNight.Reports(host.ElectionFolder, election, new DemoOptions().Seed);
        return [.. reports.Where(r => r.Held).Select(r => (r.Precinct.Id, Body(r, election.RuleSet.Form)))];
    }

    /// <summary>Posts the bodies a few at a time (as many captains would); every one must be stored (201 or 202).</summary>
    public static async Task PostAsync(WebHost host, IEnumerable<(string Precinct, string Body)> reports)
    {
        using var throttle = new SemaphoreSlim(4);
        await Task.WhenAll(reports.Select(async r =>
        {
            await throttle.WaitAsync();
            try
            {
                var (status, json) = await host.PostReportAsync(WebHost.AdminToken, r.Precinct, r.Body);
                Assert.True(status is HttpStatusCode.Created or HttpStatusCode.Accepted, $"{r.Precinct}: {(int)status} {json}");
            }
            finally
            {
                throttle.Release();
            }
        }));
    }

    /// <summary>
    /// The report body as an official report, as the demo writes it (<see cref="DemoReportBody"/>): a published night's
    /// delegates go with it as reported delegates (so a precinct where they are not what the rules give is a review item,
    /// as on the night), and the game of chance's outcome is recorded (under a card draw the winners drew aces and the
    /// others twos, as the demo's chairs do).
    /// </summary>
    private static string Body(PublishedReport report, ReportForm form) =>
        DemoReportBody.Write(form, report.TieOutcome is { } outcome ? report.Tally.WithTieBreaks([outcome]) : report.Tally, ReportSource.Official, note: null);
}
