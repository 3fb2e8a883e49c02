using System.Collections.Immutable;
using System.Net;
using System.Text.Json.Nodes;
using Caucus.Api.Elections;
using Caucus.Core.Projection;
using Caucus.Core.Rules;

namespace Caucus.Web.Tests.Infrastructure;

/// <summary>
/// A night as the party published it (the election folder's results file, read by
/// <see cref="PublishedReports.Reports"/>), as report bodies posted in bulk over HTTP: the pages are then looked at
/// mid-night and at the end without typing two thousand precincts into them.
/// </summary>
public static class PublishedNight
{
    /// <summary>Each precinct that met, in file order, with its report body as an official report.</summary>
    public static ImmutableArray<(string Precinct, string Body)> Reports(WebHost host)
    {
        var election = ElectionSource.Load(host.ElectionFolder);
        var csv = File.ReadAllText(Path.Combine(host.ElectionFolder, election.PublishedResultsFile
            ?? throw new InvalidOperationException("The election names no published results.")));
        return [.. PublishedReports.Reports(election, csv).Where(r => r.Held).Select(r => (r.Precinct.Id, Body(r, election.RuleSet.Ties)))];
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
    /// The report body; the party's published delegates go with it as reported delegates (so a precinct where they are
    /// not what the rules give is a review item, as on the night), and where the published numbers show a card draw's
    /// outcome, the winners drew aces and the others twos (as the demo's chairs do); a coin toss records its winners.
    /// </summary>
    private static string Body(PublishedReport report, TieMethod ties)
    {
        var tally = report.Tally;
        var body = new JsonObject
        {
            ["attendees"] = tally.Attendees,
            ["first"] = Counts(tally.First),
            ["final"] = Counts(tally.Final),
            ["source"] = "official",
        };
        if (tally.ReportedDelegates is { } reported) body["reportedDelegates"] = Counts(reported);
        if (report.TieOutcome is { } toss && ties != TieMethod.CardDraw)
        {
            body["tieBreaks"] = new JsonArray(new JsonObject
            {
                ["groups"] = new JsonArray([.. toss.Groups.Select(g => JsonValue.Create(g))]),
                ["winners"] = new JsonArray([.. toss.Winners.Select(g => JsonValue.Create(g))]),
            });
        }
        else if (report.TieOutcome is { } tie)
        {
            // Winners take aces then kings…, the others twos then threes…: every winner outranks every other, no card twice.
            string[] suits = ["spades", "hearts", "diamonds", "clubs"];
            int won = 0, lost = 0;
            var cards = new JsonArray();
            foreach (var group in tie.Groups)
            {
                var winner = tie.Winners.Contains(group);
                var n = winner ? won++ : lost++;
                cards.Add(new JsonObject { ["group"] = group, ["rank"] = winner ? 14 - n / 4 : 2 + n / 4, ["suit"] = suits[n % 4] });
            }
            body["tieBreaks"] = new JsonArray(new JsonObject { ["groups"] = new JsonArray([.. tie.Groups.Select(g => JsonValue.Create(g))]), ["cards"] = cards });
        }
        return body.ToJsonString();
    }

    private static JsonObject Counts(IEnumerable<KeyValuePair<string, int>> counts)
    {
        var json = new JsonObject();
        foreach (var (group, count) in counts)
        {
            if (count != 0) json[group] = count;
        }
        return json;
    }
}
