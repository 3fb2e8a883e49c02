using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Caucus.Core.Rules;
using Caucus.Core.Text;

namespace Caucus.Core.Definitions;

/// <summary>One thing wrong with the input of <c>caucus election new</c>: where (file, line, column; 0 when not a cell) and what.</summary>
public sealed record DefinitionProblem(string File, int Line, int Column, string Reason)
{
    public override string ToString() =>
        Line == 0 ? $"{File}: {Reason}" : Column == 0 ? $"{File}:{Line}: {Reason}" : $"{File}:{Line}:{Column}: {Reason}";
}

/// <summary>What a party knows about its night besides the precinct list: the folder's name, the rule set, the candidates, the state.</summary>
public sealed record ElectionSettings(string Id, string Name, string RuleSet, IReadOnlyList<string> Candidates, string? StateFips, DateOnly? Date = null);

/// <summary>
/// <c>caucus election new</c>'s core: a party's precinct list (CSV with <c>county,precinct,delegates</c> and any of
/// <c>district</c>, <c>stateDelegates</c>, <c>kind</c>, <c>registered</c>, <c>pastTurnout</c>) and its settings become an
/// election folder's three files, or every problem found, each with its file, line and column. Pure: text in, text out.
/// Counties get their delegates as the sum of their precincts'; <c>stateDelegates</c> (a county's weight, the same on
/// every row of a county) is needed only by a rule set whose headline is weighted, and is the county's delegates
/// otherwise; <c>district</c> (the region the projection pools counties by) defaults to one region for the state.
/// </summary>
public static class PartyPrecinctList
{
    public static readonly string[] Required = ["county", "precinct", "delegates"];
    public static readonly string[] Optional = ["district", "stateDelegates", "kind", ElectionDefinition.RegisteredColumn, ElectionDefinition.PastTurnoutColumn];

    /// <returns>The files by name (election.json, counties.csv, precincts.csv), or null with the problems filled.</returns>
    public static IReadOnlyDictionary<string, string>? Build(string fileName, string csv, ElectionSettings settings, List<DefinitionProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(csv);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(problems);
        var start = problems.Count;
        var ruleSet = CheckSettings(settings, problems);
        var rows = ReadRows(fileName, csv, problems);
        // Rows with problems are still checked against each other (ids, counties), so one run names every problem.
        if (rows is null) return null;

        // Counties, in the order they first appear; a county's district and weight must agree on every row.
        var counties = new Dictionary<string, (string District, int? Weight, int Delegates, int Line)>(StringComparer.Ordinal);
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var precincts = new StringBuilder();
        var hasRegistered = rows.Any(r => r.Registered is not null);
        var hasPast = rows.Any(r => r.PastTurnout is not null);
        precincts.Append("id,county,name,delegates,kind").Append(hasRegistered ? ",registered" : "").Append(hasPast ? ",pastTurnout" : "").Append('\n');
        foreach (var r in rows)
        {
            if (r.County.Length == 0) continue;
            if (counties.TryGetValue(r.County, out var c))
            {
                if (c.District != r.District)
                    problems.Add(new(fileName, r.Line, r.Columns["district"], $"{r.County} is in district '{c.District}' on line {c.Line}, not '{r.District}'"));
                if (c.Weight != r.Weight)
                    problems.Add(new(fileName, r.Line, r.Columns["stateDelegates"], $"{r.County}'s stateDelegates is {c.Weight?.ToString(CultureInfo.InvariantCulture) ?? "empty"} on line {c.Line}, not {r.Weight?.ToString(CultureInfo.InvariantCulture) ?? "empty"}"));
                counties[r.County] = c with { Delegates = c.Delegates + r.Delegates };
            }
            else
            {
                counties[r.County] = (r.District, r.Weight, r.Delegates, r.Line);
            }
            var id = $"{Slug(r.County)}/{Slug(r.Precinct)}";
            if (ids.TryGetValue(id, out var earlier))
                problems.Add(new(fileName, r.Line, r.Columns["precinct"], $"'{r.Precinct}' in {r.County} has the same id ({id}) as line {earlier}"));
            else ids[id] = r.Line;
            precincts.Append(Field(id)).Append(',').Append(Field(r.County)).Append(',').Append(Field(r.Precinct)).Append(',')
                .Append(r.Delegates.ToString(CultureInfo.InvariantCulture)).Append(',').Append(r.Kind)
                .Append(hasRegistered ? $",{r.Registered?.ToString(CultureInfo.InvariantCulture)}" : "")
                .Append(hasPast ? $",{r.PastTurnout?.ToString(CultureInfo.InvariantCulture)}" : "").Append('\n');
        }
        foreach (var (name, c) in counties)
        {
            if (ruleSet is null) break;
            if (ruleSet.Headline.WeightedByCounty && c.Weight is null)
                problems.Add(new(fileName, c.Line, 0, $"{name}: {ruleSet.Name} weighs each county's delegates ({ruleSet.Headline.Abbreviation}): give the county's stateDelegates"));
            if (!ruleSet.Headline.WeightedByCounty && c.Weight is { } w && w != c.Delegates)
                problems.Add(new(fileName, c.Line, 0, $"{name}: {ruleSet.Name} counts each delegate as one; stateDelegates ({w}) must be the county's delegates ({c.Delegates}) or left out"));
        }
        if (problems.Count > start) return null;

        var countiesCsv = new StringBuilder("county,district,countyDelegates,stateDelegates\n");
        foreach (var (name, c) in counties)
        {
            countiesCsv.Append(Field(name)).Append(',').Append(Field(c.District)).Append(',').Append(c.Delegates.ToString(CultureInfo.InvariantCulture))
                .Append(',').Append((c.Weight ?? c.Delegates).ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
        var election = new JsonObject
        {
            ["id"] = settings.Id,
            ["name"] = settings.Name,
            ["ruleSet"] = settings.RuleSet,
            ["candidates"] = new JsonArray([.. settings.Candidates.Select(x => (JsonNode)x)]),
        };
        if (settings.Date is { } date) election["date"] = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        if (settings.StateFips is { } fips) election["stateFips"] = fips;
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [ElectionDefinition.ElectionFile] = election.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n",
            [ElectionDefinition.CountiesFile] = countiesCsv.ToString(),
            [ElectionDefinition.PrecinctsFile] = precincts.ToString(),
        };
    }

    /// <summary>An id part: lower case letters and digits, anything else one hyphen ("4SE ORIENT" → "4se-orient").</summary>
    public static string Slug(string text)
    {
        var s = new StringBuilder();
        foreach (var ch in text.Trim().ToLowerInvariant())
        {
            if (char.IsAsciiLetterOrDigit(ch)) s.Append(ch);
            else if (s.Length > 0 && s[^1] != '-') s.Append('-');
        }
        return s.ToString().Trim('-');
    }

    private static IRuleSet? CheckSettings(ElectionSettings s, List<DefinitionProblem> problems)
    {
        const string where = "command line";
        if (string.IsNullOrWhiteSpace(s.Id) || Slug(s.Id) != s.Id)
            problems.Add(new(where, 0, 0, $"--id '{s.Id}': an election id is lower-case letters, digits and hyphens (e.g. {Slug(s.Id ?? "")})"));
        if (string.IsNullOrWhiteSpace(s.Name)) problems.Add(new(where, 0, 0, "--name: the election needs a name"));
        IRuleSet? ruleSet = null;
        var known = true;
        try
        {
            ruleSet = RuleSets.Find(s.RuleSet ?? "");
        }
        catch (ElectionDefinitionException e)
        {
            // A rule set with parameters in election.json (secret-ballot's "secretBallot" block): not built from a precinct list yet.
            problems.Add(new(where, 0, 0, $"--rule-set '{s.RuleSet}': its parameters are election.json's {e.Reason}; write that folder by hand (elections/iowa-gop-2024 is one)"));
            known = false;
        }
        if (ruleSet is null && known) problems.Add(new(where, 0, 0, $"--rule-set '{s.RuleSet}': unknown (known: {string.Join(", ", RuleSets.Names)})"));
        if (s.Candidates.Count == 0) problems.Add(new(where, 0, 0, "--candidates: name at least one candidate (comma-separated)"));
        foreach (var duplicate in s.Candidates.GroupBy(c => c, StringComparer.Ordinal).Where(g => g.Count() > 1))
            problems.Add(new(where, 0, 0, $"--candidates: '{duplicate.Key}' is listed twice"));
        foreach (var blank in s.Candidates.Where(string.IsNullOrWhiteSpace).Take(1))
            problems.Add(new(where, 0, 0, "--candidates: a candidate's name is empty"));
        if (s.StateFips is { } fips && (fips.Length != 2 || !fips.All(char.IsAsciiDigit)))
            problems.Add(new(where, 0, 0, $"--state '{fips}': a two-digit Census state code like 19 (Iowa) or 27 (Minnesota)"));
        return ruleSet;
    }

    private sealed record Row(int Line, Dictionary<string, int> Columns, string County, string Precinct, int Delegates, string District,
        int? Weight, string Kind, int? Registered, int? PastTurnout);

    private static List<Row>? ReadRows(string fileName, string csv, List<DefinitionProblem> problems)
    {
        List<CsvRecord> records;
        try
        {
            records = [.. Csv.Parse(csv)];
        }
        catch (FormatException e)
        {
            problems.Add(new(fileName, 0, 0, e.Message));
            return null;
        }
        if (records.Count == 0)
        {
            problems.Add(new(fileName, 1, 0, $"empty: the first line names the columns ({string.Join(",", Required)}, and any of {string.Join(", ", Optional)})"));
            return null;
        }
        var header = records[0].Fields.Select(f => f.Trim()).ToList();
        var columns = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < header.Count; i++)
        {
            if (!Required.Contains(header[i]) && !Optional.Contains(header[i]))
                problems.Add(new(fileName, records[0].Line, i + 1, $"unknown column '{header[i]}' (known: {string.Join(", ", Required.Concat(Optional))})"));
            else if (!columns.TryAdd(header[i], i + 1))
                problems.Add(new(fileName, records[0].Line, i + 1, $"column '{header[i]}' is named twice"));
        }
        var missing = Required.Where(r => !columns.ContainsKey(r)).ToList();
        foreach (var column in missing) problems.Add(new(fileName, records[0].Line, 0, $"the column '{column}' is missing"));
        // Without a required column no row can be read; an unknown column is reported and the rows are still checked.
        if (missing.Count > 0) return null;
        foreach (var name in Optional) columns.TryAdd(name, 0);

        var rows = new List<Row>();
        foreach (var record in records.Skip(1))
        {
            if (record.Fields.All(string.IsNullOrWhiteSpace)) continue;
            string Cell(string column) => columns[column] is var c and > 0 && c <= record.Fields.Count ? record.Fields[c - 1].Trim() : "";
            if (record.Fields.Count != header.Count)
            {
                problems.Add(new(fileName, record.Line, 0, $"{record.Fields.Count} fields where the header has {header.Count}"));
                continue;
            }
            var county = Cell("county");
            var precinct = Cell("precinct");
            if (county.Length == 0) problems.Add(new(fileName, record.Line, columns["county"], "the county is empty"));
            if (precinct.Length == 0) problems.Add(new(fileName, record.Line, columns["precinct"], "the precinct's name is empty"));
            else if (Slug(precinct).Length == 0) problems.Add(new(fileName, record.Line, columns["precinct"], $"'{precinct}' has no letter or digit to make an id from"));
            var delegates = Count(Cell("delegates"), "delegates", required: true);
            var weight = Count(Cell("stateDelegates"), "stateDelegates", required: false);
            var registered = Count(Cell(ElectionDefinition.RegisteredColumn), ElectionDefinition.RegisteredColumn, required: false);
            var past = Count(Cell(ElectionDefinition.PastTurnoutColumn), ElectionDefinition.PastTurnoutColumn, required: false);
            var kind = Cell("kind") is { Length: > 0 } k ? k.ToLowerInvariant() : "precinct";
            if (kind is not ("precinct" or "satellite"))
                problems.Add(new(fileName, record.Line, columns["kind"], $"kind '{Cell("kind")}': precinct or satellite"));
            var district = Cell("district") is { Length: > 0 } d ? d : "State";
            rows.Add(new(record.Line, columns, county, precinct, delegates ?? 0, district, weight, kind, registered, past));

            int? Count(string text, string column, bool required)
            {
                if (text.Length == 0)
                {
                    if (required) problems.Add(new(fileName, record.Line, columns[column], $"{column} is empty"));
                    return null;
                }
                if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n)) return n;
                problems.Add(new(fileName, record.Line, columns[column], $"{column} '{text}' is not a whole number of zero or more"));
                return null;
            }
        }
        if (rows.Count == 0 && problems.Count == 0) problems.Add(new(fileName, 2, 0, "no precincts: one row per precinct after the header"));
        return rows;
    }

    private static string Field(string value) =>
        value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
}
