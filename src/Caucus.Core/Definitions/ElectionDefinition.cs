using System.Globalization;
using System.Text.Json;
using Caucus.Core.Model;
using Caucus.Core.Rules;
using Caucus.Core.Text;

namespace Caucus.Core.Definitions;

/// <summary>
/// Loads an election folder (DESIGN.md, "Election definitions"): election.json, counties.csv and
/// precincts.csv, and refuses a bad one with the file, line and reason. The caller supplies the
/// files' text, so the core stays free of I/O.
/// </summary>
public static class ElectionDefinition
{
    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNameCaseInsensitive = true };

    public const string ElectionFile = "election.json";
    public const string CountiesFile = "counties.csv";
    public const string PrecinctsFile = "precincts.csv";

    /// <summary>Optional precincts.csv column: the party's registered voters in the precinct.</summary>
    public const string RegisteredColumn = "registered";

    /// <summary>Optional precincts.csv column: the precinct's attendance at the previous caucus.</summary>
    public const string PastTurnoutColumn = "pastTurnout";

    /// <summary>
    /// Optional precincts.csv columns, any number: <c>priorShare:</c> followed by a group's name at the previous caucus,
    /// that group's share (0 to 1) of the precinct's result then. The projection uses them as covariates (Precinct.PriorShares).
    /// </summary>
    public const string PriorSharePrefix = "priorShare:";

    /// <param name="readFile">Returns a file's text by name, or null when it does not exist.</param>
    public static Election Load(Func<string, string?> readFile)
    {
        ArgumentNullException.ThrowIfNull(readFile);
        var (id, name, date, ruleSet, candidates, doc) = ParseElection(Read(readFile, ElectionFile));
        var counties = ParseCounties(Read(readFile, CountiesFile));
        if (!ruleSet.Headline.WeightedByCounty)
        {
            // The rule set's headline is the county delegate itself: a folder weighting it otherwise would count another unit.
            var weighted = counties.Values.FirstOrDefault(c => c.County.StateDelegates != c.County.CountyDelegates);
            if (weighted.County is not null)
            {
                throw new ElectionDefinitionException(CountiesFile, weighted.Line,
                    $"{ruleSet.Name} headlines {ruleSet.Headline.Name.ToLowerInvariant()}, one per county delegate: stateDelegates must equal countyDelegates ({weighted.County.CountyDelegates}) for {weighted.County.Name}");
            }
        }
        var precincts = ParsePrecincts(Read(readFile, PrecinctsFile), counties);
        var satelliteCounties = precincts.Where(p => p.Kind == PrecinctKind.Satellite).Select(p => p.County).ToHashSet(StringComparer.Ordinal);
        return new Election(id, name, ruleSet, candidates,
            counties.Values.Select(c => c.County with { IsSatelliteCounty = satelliteCounties.Contains(c.County.Name) }),
            precincts, date)
        {
            StateFips = doc.StateFips,
            PublishedResultsFile = doc.PublishedResults,
        };
    }

    private static string Read(Func<string, string?> readFile, string file) =>
        readFile(file) ?? throw new ElectionDefinitionException(file, 0, "the file is missing");

    private static (string Id, string Name, DateOnly? Date, IRuleSet RuleSet, List<string> Candidates, ElectionJson Doc) ParseElection(string json)
    {
        ElectionJson? doc;
        try
        {
            doc = JsonSerializer.Deserialize<ElectionJson>(json, JsonOptions);
        }
        catch (JsonException e)
        {
            throw new ElectionDefinitionException(ElectionFile, (int)(e.LineNumber ?? 0) + 1, $"not valid JSON: {e.Message}");
        }
        if (doc is null) throw new ElectionDefinitionException(ElectionFile, 1, "empty document");
        if (string.IsNullOrWhiteSpace(doc.Id)) throw new ElectionDefinitionException(ElectionFile, 0, "\"id\" is required");
        DateOnly? date = null;
        if (doc.Date is { } d)
        {
            date = DateOnly.TryParseExact(d, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed)
                ? parsed
                : throw new ElectionDefinitionException(ElectionFile, 0, $"\"date\" must be a date like 2020-02-03, not '{d}'");
        }
        var weighting = SatelliteWeighting.Attendance;
        if (doc.SatelliteWeighting is { } w && !Enum.TryParse(w, ignoreCase: true, out weighting))
        {
            throw new ElectionDefinitionException(ElectionFile, 0, $"\"satelliteWeighting\" must be attendance or delegates, not '{w}'");
        }
        var ruleSet = RuleSets.Find(doc.RuleSet ?? "", weighting, json)
            ?? throw new ElectionDefinitionException(ElectionFile, 0,
                $"unknown rule set '{doc.RuleSet}' (known: {string.Join(", ", RuleSets.Names)})");
        var candidates = doc.Candidates ?? [];
        if (candidates.Count == 0) throw new ElectionDefinitionException(ElectionFile, 0, "\"candidates\" must list at least one group");
        var duplicate = candidates.GroupBy(c => c, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new ElectionDefinitionException(ElectionFile, 0, $"candidate '{duplicate.Key}' is listed twice");
        if (doc.StateFips is { } fips && (fips.Length != 2 || !fips.All(char.IsAsciiDigit)))
        {
            throw new ElectionDefinitionException(ElectionFile, 0, $"\"stateFips\" must be a two-digit Census state code like \"19\", not '{fips}'");
        }
        if (doc.PublishedResults is { } file && (file.Length == 0 || file.IndexOfAny(['/', '\\']) >= 0 || file.StartsWith('.')))
        {
            throw new ElectionDefinitionException(ElectionFile, 0, $"\"publishedResults\" must name a file in the election folder, not '{file}'");
        }
        return (doc.Id, doc.Name ?? doc.Id, date, ruleSet, candidates, doc);
    }

    private static Dictionary<string, (County County, int Line)> ParseCounties(string text)
    {
        var counties = new Dictionary<string, (County, int)>(StringComparer.Ordinal);
        foreach (var record in Rows(CountiesFile, text, "county,district,countyDelegates,stateDelegates", []).Records)
        {
            var f = record.Fields;
            var name = f[0].Trim();
            if (name.Length == 0) throw new ElectionDefinitionException(CountiesFile, record.Line, "the county name is empty");
            if (counties.ContainsKey(name)) throw new ElectionDefinitionException(CountiesFile, record.Line, $"county '{name}' is listed twice");
            var cd = NonNegative(CountiesFile, record.Line, "countyDelegates", f[2]);
            var sd = NonNegative(CountiesFile, record.Line, "stateDelegates", f[3]);
            counties[name] = (new County(name, f[1].Trim(), cd, sd, IsSatelliteCounty: false), record.Line);
        }
        return counties;
    }

    private static List<Precinct> ParsePrecincts(string text, Dictionary<string, (County County, int Line)> counties)
    {
        var precincts = new List<Precinct>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var names = new HashSet<(string, string)>();
        var sums = counties.Keys.ToDictionary(k => k, _ => 0L, StringComparer.Ordinal);
        // Optional columns after the five required ones: figures that sharpen the plausibility limit where a folder has them.
        var (optional, records) = Rows(PrecinctsFile, text, "id,county,name,delegates,kind", [RegisteredColumn, PastTurnoutColumn],
            column => column.StartsWith(PriorSharePrefix, StringComparison.Ordinal) && column.Length > PriorSharePrefix.Length);
        var priorColumns = optional.Where(c => c.Key.StartsWith(PriorSharePrefix, StringComparison.Ordinal)).OrderBy(c => c.Value).ToList();
        foreach (var record in records)
        {
            var f = record.Fields;
            string id = f[0].Trim(), county = f[1].Trim(), name = f[2].Trim();
            if (id.Length == 0) throw new ElectionDefinitionException(PrecinctsFile, record.Line, "the id is empty");
            if (!ids.Add(id)) throw new ElectionDefinitionException(PrecinctsFile, record.Line, $"id '{id}' is used twice");
            if (!counties.ContainsKey(county)) throw new ElectionDefinitionException(PrecinctsFile, record.Line, $"county '{county}' is not in {CountiesFile}");
            if (!names.Add((county, name))) throw new ElectionDefinitionException(PrecinctsFile, record.Line, $"'{name}' appears twice in {county}");
            var delegates = NonNegative(PrecinctsFile, record.Line, "delegates", f[3]);
            var kind = f[4].Trim() switch
            {
                "precinct" => PrecinctKind.Precinct,
                "satellite" => PrecinctKind.Satellite,
                var other => throw new ElectionDefinitionException(PrecinctsFile, record.Line, $"kind must be precinct or satellite, not '{other}'"),
            };
            sums[county] += delegates;
            precincts.Add(new Precinct(id, county, name, delegates, kind,
                Optional(record, optional, RegisteredColumn), Optional(record, optional, PastTurnoutColumn))
            {
                PriorShares = PriorShares(record, priorColumns),
            });
        }
        foreach (var (name, (county, line)) in counties)
        {
            if (sums[name] != county.CountyDelegates)
            {
                throw new ElectionDefinitionException(CountiesFile, line,
                    $"{name} has countyDelegates {county.CountyDelegates} but its precincts elect {sums[name]}");
            }
        }
        return precincts;
    }

    /// <summary>
    /// The file's data rows under a header that starts with <paramref name="header"/>'s columns and may go on with any of
    /// <paramref name="optional"/> (each once, in any order); returns where each optional column is.
    /// </summary>
    private static (IReadOnlyDictionary<string, int> Optional, List<CsvRecord> Records) Rows(string file, string text, string header,
        string[] optional, Func<string, bool>? optionalFamily = null)
    {
        var required = header.Split(',');
        List<CsvRecord> records;
        try
        {
            records = Csv.Parse(text).ToList();
        }
        catch (FormatException e)
        {
            throw new ElectionDefinitionException(file, 0, e.Message);
        }
        if (records.Count == 0) throw new ElectionDefinitionException(file, 0, "the file is empty");
        var names = records[0].Fields.Select(x => x.Trim()).ToList();
        var extra = names.Skip(required.Length).ToList();
        if (names.Count < required.Length || !names.Take(required.Length).SequenceEqual(required, StringComparer.Ordinal)
            || extra.Any(c => !optional.Contains(c, StringComparer.Ordinal) && optionalFamily?.Invoke(c) != true) || extra.Distinct(StringComparer.Ordinal).Count() != extra.Count)
        {
            var also = optional.Length == 0 ? ""
                : optionalFamily is null ? $", optionally followed by {string.Join(" and ", optional)}"
                : $", optionally followed by {string.Join(", ", optional)} and {PriorSharePrefix}<group> columns";
            throw new ElectionDefinitionException(file, records[0].Line, $"the header must be '{header}'{also}");
        }
        foreach (var record in records.Skip(1))
        {
            if (record.Fields.Count != names.Count)
            {
                throw new ElectionDefinitionException(file, record.Line, $"expected {names.Count} fields, found {record.Fields.Count}");
            }
        }
        var columns = extra.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => required.Length + x.i, StringComparer.Ordinal);
        return (columns, records.Skip(1).ToList());
    }

    /// <summary>An optional column's value: null when the file has no such column or the cell is empty.</summary>
    private static int? Optional(CsvRecord record, IReadOnlyDictionary<string, int> optional, string column) =>
        optional.TryGetValue(column, out var at) && record.Fields[at].Trim().Length > 0
            ? NonNegative(PrecinctsFile, record.Line, column, record.Fields[at])
            : null;

    /// <summary>The row's prior shares by group name (empty cells left out); null when the file has no such column.</summary>
    private static Dictionary<string, double>? PriorShares(CsvRecord record, List<KeyValuePair<string, int>> columns)
    {
        if (columns.Count == 0) return null;
        var shares = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (column, at) in columns)
        {
            var text = record.Fields[at].Trim();
            if (text.Length == 0) continue;
            if (!double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var share) || share > 1)
            {
                throw new ElectionDefinitionException(PrecinctsFile, record.Line, $"{column} must be a share from 0 to 1, not '{record.Fields[at]}'");
            }
            shares[column[PriorSharePrefix.Length..]] = share;
        }
        return shares;
    }

    private static int NonNegative(string file, int line, string field, string text) =>
        int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new ElectionDefinitionException(file, line, $"{field} must be a whole number of 0 or more, not '{text}'");

    private sealed record ElectionJson(string? Id, string? Name, string? Date, string? RuleSet, string? SatelliteWeighting, List<string>? Candidates,
        string? StateFips, string? PublishedResults);
}
