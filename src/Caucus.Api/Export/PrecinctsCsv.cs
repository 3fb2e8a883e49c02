using System.Globalization;
using System.Text;
using Caucus.Api.Results;
using Caucus.Core.Rules;
using Caucus.Core.Text;

namespace Caucus.Api.Export;

/// <summary>
/// GET /api/v1/export/precincts.csv: one row per precinct × group of every counted report, computed and reported
/// side by side, and one row (no group) for each precinct where nothing counts yet. RFC 4180: CRLF line ends,
/// fields quoted when they hold a comma, quote or line break (precinct names such as "Cedar Rapids, IA - …" do).
/// </summary>
public static class PrecinctsCsv
{
    /// <summary>Iowa 2020's header; every election's names its headline unit's column by its abbreviation (<see cref="HeaderFor"/>: "sde", "ccd").</summary>
    public const string Header = "county,precinct_id,precinct,kind,group,first,final,delegates,sde,reported_delegates,status,reason";

    public static string HeaderFor(HeadlineUnit headline)
    {
        ArgumentNullException.ThrowIfNull(headline);
        return Header.Replace(",sde,", $",{headline.Abbreviation.ToLowerInvariant()},", StringComparison.Ordinal);
    }

    /// <summary>A one-round count (a secret ballot): each unit's votes per candidate; a unit elects no delegate, so none is listed.</summary>
    public const string OneRoundHeader = "county,precinct_id,precinct,kind,group,votes,ballots,status,reason";

    public static string Write(ExportView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var oneRound = view.Election.RuleSet.Form.OneRound;
        var csv = new StringBuilder().Append(oneRound ? OneRoundHeader : HeaderFor(view.Election.RuleSet.Headline)).Append("\r\n");
        foreach (var row in view.Precincts)
        {
            var p = row.Precinct;
            var status = ApiJson.Name(row.Standing.Standing);
            string[] precinct = [p.County, p.Id, p.Name, ApiJson.Name(p.Kind)];
            if (row.Counted is not { Result: var result })
            {
                csv.Append(Csv.Line(oneRound ? [.. precinct, "", "", "", status, row.Standing.Reason]
                    : [.. precinct, "", "", "", "", "", "", status, row.Standing.Reason])).Append("\r\n");
                continue;
            }
            if (oneRound)
            {
                foreach (var group in result.Tally.Final.Keys)
                {
                    csv.Append(Csv.Line([.. precinct, group, Number(result.Tally.FinalOf(group)), Number(result.Tally.Attendees), status,
                        row.Standing.Reason])).Append("\r\n");
                }
                continue;
            }
            var reported = result.Tally.ReportedDelegates;
            var groups = result.Allocation.Groups.Select(g => g.Group)
                .Union(reported?.Keys ?? [], StringComparer.Ordinal).Order(StringComparer.Ordinal);
            foreach (var group in groups)
            {
                var g = result.Allocation.Groups.FirstOrDefault(a => a.Group == group);
                csv.Append(Csv.Line([.. precinct, group,
                    Number(result.Tally.FirstOf(group)),
                    Number(result.Tally.FinalOf(group)),
                    Number(g?.Delegates ?? 0),
                    // The headline unit as the party published it (Iowa's SDEs): the exact value to 4 places, halves up.
                    row.Sde.TryGetValue(group, out var sde) ? sde.ToDecimalString(4) : "0.0000",
                    reported is null ? "" : Number(reported.GetValueOrDefault(group)),
                    status,
                    row.Standing.Reason])).Append("\r\n");
            }
        }
        return csv.ToString();
    }

    private static string Number(int n) => n.ToString(CultureInfo.InvariantCulture);
}
