using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Caucus.Api.Results;
using Caucus.Core.Aggregation;
using Caucus.Core.Arithmetic;
using Caucus.Core.Counting;
using Caucus.Core.Model;
using Caucus.Core.Rules;

namespace Caucus.Api.Export;

/// <summary>
/// GET /api/v1/export/cdf.json: the results as a NIST SP 1500-100 V2 ElectionReport, mapped from one
/// <see cref="ExportView"/> (the core decided every number and status; this only names them in NIST's words).
/// </summary>
/// <remarks>
/// <para>
/// The contest is a <c>CandidateContest</c>: attendees align with candidates (and "Uncommitted"), and what the
/// caucuses award them — county delegates, reported as state delegate equivalents — is a candidate result. A
/// <c>PartyContest</c> is a straight-party choice, and ballot-measure and retention contests are yes/no questions,
/// so none of those fits. One contest, statewide: every precinct and satellite awards SDEs toward the same total.
/// <c>VotesAllowed</c> is 1 (each attendee stands in one group) and <c>VoteVariation</c> is "proportional"
/// (delegates go to viable groups in proportion to their final alignment).
/// </para>
/// <para>
/// Each selection's <c>VoteCounts</c> has, per unit, four counts of <c>Type</c> "other": "first-alignment" and
/// "final-alignment" (supporters), "county-delegates", and the rule set's headline unit where it weights county
/// delegates ("state-delegate-equivalents" for Iowa 2020; Nevada 2020's headline is the county delegate itself, so it has
/// three, and its contest is "contest-ccd", named for county convention delegates). SDEs are fractions: the
/// schema's <c>Count</c> is a JSON number, and it carries the exact SDE rounded half up to 4 decimal places, as the
/// party published them and as /api/v1/results shows them. Units: the state, each district, each county with a
/// report, and each counted precinct or satellite (with the groups its report names) — hence "precinct-level".
/// </para>
/// </remarks>
public static partial class CdfReport
{
    public const string StateId = "gp-state";
    /// <summary>Iowa 2020's contest id; every election's is "contest-" and its headline unit's abbreviation (<see cref="ContestIdOf"/>).</summary>
    public const string ContestId = "contest-sde";
    public const string FirstAlignment = "first-alignment";
    public const string FinalAlignment = "final-alignment";
    public const string CountyDelegates = "county-delegates";
    public static string ContestIdOf(HeadlineUnit headline) => $"contest-{headline.Abbreviation.ToLowerInvariant()}";

    /// <summary>
    /// The <c>OtherType</c> of the headline count ("state-delegate-equivalents"); null where the headline is the county
    /// delegate itself (Nevada's county convention delegates: the "county-delegates" count is the headline, not repeated).
    /// </summary>
    public static string? HeadlineTypeOf(HeadlineUnit headline) =>
        headline.WeightedByCounty ? headline.Name.ToLowerInvariant().Replace(' ', '-') : null;

    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private static readonly string VendorApplicationId = "Caucus " +
        (typeof(CdfReport).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0");

    public static byte[] Write(ExportView view) => JsonSerializer.SerializeToUtf8Bytes(Build(view), JsonOptions);

    public static CdfElectionReport Build(ExportView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var election = view.Election;
        if (election.RuleSet.Form.OneRound) return Report(view, OneRoundContest(view), OneRoundNotes(view));
        // The selections are the groups the totals carry: the candidates, and where groups are open every group a counted
        // report names (a subcaucus is a selection written in by name), each precinct's counts under its group.
        var (selections, slugs) = SelectionsOf(view);
        var counts = selections.ToDictionary(c => c, _ => new List<CdfVoteCounts>(), StringComparer.Ordinal);
        var headlineType = HeadlineTypeOf(election.RuleSet.Headline);
        AddTotals(counts, StateId, view.Statewide, headlineType);
        foreach (var district in election.Districts) AddTotals(counts, DistrictId(district), view.Districts[district], headlineType);
        foreach (var county in election.Counties) AddTotals(counts, CountyId(county.Name), view.Counties[county.Name], headlineType);
        foreach (var row in view.Precincts)
        {
            if (row.Counted is not { Result: var result }) continue;
            var unit = PrecinctId(row.Precinct);
            foreach (var g in result.Allocation.Groups)
            {
                if (!counts.TryGetValue(view.GroupOf.GetValueOrDefault(g.Group, g.Group), out var list)) continue;
                list.Add(Other(result.Tally.FirstOf(g.Group), unit, FirstAlignment));
                list.Add(Other(result.Tally.FinalOf(g.Group), unit, FinalAlignment));
                list.Add(Other(g.Delegates, unit, CountyDelegates));
                if (headlineType is not null) list.Add(Other(Sde(row.Sde.GetValueOrDefault(g.Group)), unit, headlineType));
            }
        }
        var contest = new CdfCandidateContest(ContestIdOf(election.RuleSet.Headline), $"{election.Name}: {election.RuleSet.Headline.Name.ToLowerInvariant()}", StateId,
            VotesAllowed: 1, VoteVariation: "proportional", view.Statewide.Reporting, view.Statewide.Total,
            [.. selections.Select((c, i) => new CdfCandidateSelection("selection-" + slugs[c], ["candidate-" + slugs[c]], i + 1, counts[c])
            {
                IsWriteIn = election.Candidates.Contains(c) ? null : true,
            })]);
        return Report(view, contest, $"Caucus results version {view.Version}. Vote counts of type other: first-alignment and final-alignment "
            + (headlineType is null
                ? $"(supporters) and county-delegates ({election.RuleSet.Headline.Name.ToLowerInvariant()}, the headline). "
                : $"(supporters), county-delegates, and {headlineType} (exact values rounded half up to 4 decimal places). ")
            + "A precinct whose game of chance is pending shows its provisional allocation.");
    }

    /// <summary>The selections are the groups the totals carry, each under its unique slug (<see cref="UniqueSlugs"/>).</summary>
    private static (List<string> Selections, Dictionary<string, string> Slugs) SelectionsOf(ExportView view)
    {
        var selections = view.Statewide.Candidates.Select(c => c.Name).ToList();
        return (selections, UniqueSlugs(selections));
    }

    private static string SelectionId(string name) => "selection-" + Slug(name);

    private static string CandidateId(string name) => "candidate-" + Slug(name);

    private static CdfElectionReport Report(ExportView view, CdfCandidateContest contest, string notes)
    {
        var election = view.Election;
        var (selections, slugs) = SelectionsOf(view);
        // The schema requires the election's dates; a definition without one exports the day the report was generated.
        var date = (election.Date ?? DateOnly.FromDateTime(view.AsOf.UtcDateTime)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var cdfElection = new CdfElection(StateId, CdfText.English(election.Name), date, date, "other", "caucus",
            [.. selections.Select(c => new CdfCandidate("candidate-" + slugs[c], CdfText.English(c)))], [contest]);
        return new CdfElectionReport(
            Format: "precinct-level",
            // DateTimeWithZone's pattern takes whole seconds only.
            GeneratedDate: view.AsOf.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            Issuer: "Caucus",
            IssuerAbbreviation: "Caucus",
            // One report, not one of a series split across files.
            SequenceStart: 1,
            SequenceEnd: 1,
            Status: Status(view),
            VendorApplicationId: VendorApplicationId,
            IsTest: view.Test,
            TestType: view.Test ? "rehearsal" : null,
            Notes: notes,
            Election: [cdfElection],
            GpUnit: Units(view));
    }

    /// <summary>
    /// NIST's ResultsStatus has no "test" (its values: certified, correction, pre-election, recount,
    /// unofficial-complete, unofficial-partial): a rehearsal says so with IsTest and TestType, and carries the
    /// status its counting would have.
    /// </summary>
    public static string Status(ExportView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        return (view.Status == ResultsStatus.Test ? view.CountStatus : view.Status) switch
        {
            ResultsStatus.Certified => "certified",
            ResultsStatus.UnofficialComplete => "unofficial-complete",
            _ => "unofficial-partial",
        };
    }

    public static string DistrictId(string district) => "gp-district-" + Slug(district);

    public static string CountyId(string county) => "gp-county-" + Slug(county);

    /// <summary>Precinct ids are "county/name" slugs; '/' is not an XML ID character, '.' is (and appears in no slug).</summary>
    public static string PrecinctId(Precinct precinct)
    {
        ArgumentNullException.ThrowIfNull(precinct);
        return "gp-precinct-" + Slug(precinct.Id.Replace('/', '.'));
    }

    /// <summary>
    /// Each group's slug, unique: names a report gives ("Peace!" and "Peace?") may slug alike, and an XML ID names one
    /// thing, so a later one takes "-2", "-3".
    /// </summary>
    private static Dictionary<string, string> UniqueSlugs(IEnumerable<string> names)
    {
        var taken = new HashSet<string>(StringComparer.Ordinal);
        var slugs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            var slug = Slug(name);
            for (var n = 2; !taken.Add(slug); n++) slug = $"{Slug(name)}-{n.ToString(CultureInfo.InvariantCulture)}";
            slugs[name] = slug;
        }
        return slugs;
    }

    private static void AddTotals(Dictionary<string, List<CdfVoteCounts>> counts, string unit, ResultsTotals totals, string? headlineType)
    {
        // Units with nothing counted show no counts (zeros there would read as reported zeros); the state always does.
        if (totals.Reporting == 0 && unit != StateId) return;
        foreach (var c in totals.Candidates)
        {
            if (!counts.TryGetValue(c.Name, out var list)) continue;
            list.Add(Other(c.FirstAlignment, unit, FirstAlignment));
            list.Add(Other(c.FinalAlignment, unit, FinalAlignment));
            list.Add(Other(c.CountyDelegates, unit, CountyDelegates));
            if (headlineType is not null) list.Add(Other(Sde(c.Sde), unit, headlineType));
        }
    }

    private static CdfVoteCounts Other(decimal count, string unit, string what) => new(count, unit, "other", what);

    private static decimal Sde(Rational sde) => decimal.Parse(sde.ToDecimalString(4), NumberStyles.Number, CultureInfo.InvariantCulture);

    /// <summary>The state composed of its districts, each of its counties (satellite counties too), each of its precincts and satellites.</summary>
    private static List<CdfReportingUnit> Units(ExportView view)
    {
        var election = view.Election;
        var units = new List<CdfReportingUnit>
        {
            new(StateId, "state", null, CdfText.English("Statewide"), [.. election.Districts.Select(DistrictId)], null,
                view.Statewide.Reporting, view.Statewide.Total, null),
        };
        foreach (var district in election.Districts)
        {
            var totals = view.Districts[district];
            // Congressional districts are "CD1" … "CD4"; the out-of-state satellites form a "district" of their own.
            var congressional = CongressionalDistrict().IsMatch(district);
            units.Add(new(DistrictId(district), congressional ? "congressional" : "other", congressional ? null : "satellite-district",
                CdfText.English(district), [.. election.Counties.Where(c => c.District == district).Select(c => CountyId(c.Name))], null,
                totals.Reporting, totals.Total, null));
        }
        foreach (var county in election.Counties)
        {
            var totals = view.Counties[county.Name];
            units.Add(new(CountyId(county.Name), county.IsSatelliteCounty ? "other" : "county", county.IsSatelliteCounty ? "satellite-county" : null,
                CdfText.English(county.Name), [.. election.PrecinctsIn(county.Name).Select(PrecinctId)], null,
                totals.Reporting, totals.Total, null));
        }
        foreach (var row in view.Precincts)
        {
            var p = row.Precinct;
            var satellite = p.Kind == PrecinctKind.Satellite;
            units.Add(new(PrecinctId(p), satellite ? "other" : "precinct", satellite ? "satellite-caucus" : null, CdfText.English(p.Name), null,
                [new CdfExternalIdentifier("other", "caucus-precinct-id", p.Id)], null, null, row.Counted?.Result.Tally.Attendees));
        }
        return units;
    }

    /// <summary>Lower-case letters, digits, '-' and '.'; anything else becomes '-'.</summary>
    private static string Slug(string text)
    {
        var slug = new StringBuilder(text.Length);
        foreach (var ch in text.ToLowerInvariant()) slug.Append(char.IsAsciiLetterOrDigit(ch) || ch is '-' or '.' ? ch : '-');
        return slug.ToString();
    }

    [GeneratedRegex("^CD[0-9]+$")]
    private static partial Regex CongressionalDistrict();
}
