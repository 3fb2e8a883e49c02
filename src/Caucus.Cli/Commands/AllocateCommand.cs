using System.CommandLine;
using System.Globalization;
using Caucus.Core.Allocation;
using Caucus.Core.Definitions;
using Caucus.Core.Model;
using Caucus.Core.Rules;
using Caucus.Core.Text;
using Caucus.Core.Validation;

namespace Caucus.Cli.Commands;

/// <summary>
/// `caucus allocate [--election DIR]`: the rounding core on its own, under the election's rule set (default: the Iowa
/// 2020 folder). CSV in (precinct,delegates,attendees,group,first,final), CSV out
/// (precinct,group,viable,delegates,status,warnings). A malformed row is named on stderr with its
/// line; its precinct is skipped (computing it without the row would be wrong) and the others are computed.
/// Under a rule set with Nevada's Principle 2 a precinct's delegates may add up to more than its `delegates`.
/// </summary>
public static class AllocateCommand
{
    public const string InputHeader = "precinct,delegates,attendees,group,first,final";
    public const string OutputHeader = "precinct,group,viable,delegates,status,warnings";

    public static Command Create()
    {
        var election = new Option<DirectoryInfo?>("--election") { Description = "The election folder whose rule set allocates (default: the Iowa 2020 folder shipped with caucus)." };
        var seed = new Option<ulong?>("--seed") { Description = "Walking subcaucus: the recorded seed that ranks the subcaucuses for a lot (SubCalc's way)." };
        var lot = new Option<string?>("--lot") { Description = "Secret ballot: a recorded lot's order, candidates comma-separated, first wins." };
        var command = new Command("allocate", "Allocate county delegates for precincts read as CSV on stdin (" + InputHeader
            + "; under walking-subcaucus also " + SubcaucusAllocateCsv.InputHeader + "; under secret-ballot " + SecretBallotAllocateCsv.InputHeader + ").")
            { election, seed, lot };
        command.SetAction(parse => Run(Console.In, Console.Out, Console.Error, parse.GetValue(election), parse.GetValue(seed),
            parse.GetValue(lot)?.Split(',').Select(c => c.Trim()).ToList()));
        return command;
    }

    public static int Run(TextReader input, TextWriter output, TextWriter error, DirectoryInfo? electionDir = null, ulong? seed = null,
        IReadOnlyList<string>? lot = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        // A secret ballot is allocated statewide, not per precinct: its folder's election.json carries the parameters.
        if (electionDir is not null && SecretBallotRulesOf(electionDir, error) is var (isSecretBallot, secretBallot) && isSecretBallot)
        {
            return secretBallot is null ? 2 : SecretBallotAllocateCsv.Run(secretBallot, input, output, error, lot);
        }
        IRuleSet rules;
        try
        {
            rules = ElectionFolder.Load(electionDir?.FullName).RuleSet;
        }
        catch (ElectionDefinitionException e)
        {
            error.WriteLine($"election folder refused: {e.Message}");
            return 2;
        }
        // The walking subcaucus's own form: the final count, one row per subcaucus (the rule set's README).
        if (rules is Caucus.Core.Rules.WalkingSubcaucus.WalkingSubcaucusRuleSet)
        {
            var text = input.ReadToEnd();
            var first = text.Split('\n', 2)[0].Trim();
            if (first == SubcaucusAllocateCsv.InputHeader) return SubcaucusAllocateCsv.Run(text, output, error, seed);
            input = new StringReader(text);
        }
        var precincts = new Dictionary<string, PrecinctRows>(StringComparer.Ordinal);
        var order = new List<string>();
        var bad = 0;
        var header = true;
        try
        {
            foreach (var record in Csv.Parse(input))
            {
                if (header)
                {
                    header = false;
                    if (string.Join(',', record.Fields.Select(f => f.Trim())) == InputHeader) continue;
                    error.WriteLine($"line {record.Line}: expected the header '{InputHeader}'");
                    return 2;
                }
                if (ParseRow(record) is not { } row)
                {
                    bad++;
                    continue;
                }
                if (!precincts.TryGetValue(row.Precinct, out var rows))
                {
                    precincts[row.Precinct] = rows = new PrecinctRows(row.Delegates, row.Attendees);
                    order.Add(row.Precinct);
                }
                var problem = rows.Add(row);
                if (problem is not null)
                {
                    error.WriteLine($"line {record.Line}: {problem}");
                    bad++;
                }
            }
        }
        catch (FormatException e)
        {
            error.WriteLine(e.Message);
            bad++;
        }

        output.WriteLine(OutputHeader);
        foreach (var id in order)
        {
            var rows = precincts[id];
            if (rows.Malformed)
            {
                error.WriteLine($"precinct {id}: not computed because one of its rows is malformed");
                continue;
            }
            var allocation = rules.Allocate(rows.Delegates, Tally.Create(rows.Attendees, rows.First, rows.Final));
            var status = allocation.Tie is null ? "ok" : "tie";
            var warnings = string.Join(';', allocation.Warnings.Select(w => w.Slug).Distinct());
            foreach (var g in allocation.Groups.OrderBy(g => rows.GroupOrder[g.Group]))
            {
                output.WriteLine(Csv.Line(id, g.Group, g.Viable ? "true" : "false",
                    g.Delegates.ToString(CultureInfo.InvariantCulture), status, warnings));
            }
        }
        output.Flush();
        return bad == 0 ? 0 : 1;

        Row? ParseRow(CsvRecord record)
        {
            var f = record.Fields;
            if (f.Count != 6)
            {
                error.WriteLine($"line {record.Line}: expected 6 fields ({InputHeader}), found {f.Count}");
                Poison(f);
                return null;
            }
            var precinct = f[0].Trim();
            var group = f[3].Trim();
            if (precinct.Length == 0 || group.Length == 0)
            {
                error.WriteLine($"line {record.Line}: {(precinct.Length == 0 ? "precinct" : "group")} is empty");
                Poison(f);
                return null;
            }
            string[] names = ["delegates", "attendees", "first", "final"];
            int[] columns = [1, 2, 4, 5];
            var values = new int[4];
            for (var i = 0; i < 4; i++)
            {
                if (!int.TryParse(f[columns[i]].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out values[i]))
                {
                    error.WriteLine($"line {record.Line}: {names[i]} must be a whole number of 0 or more, not '{f[columns[i]]}'");
                    Poison(f);
                    return null;
                }
            }
            return new Row(precinct, values[0], values[1], group, values[2], values[3]);
        }

        void Poison(IReadOnlyList<string> fields)
        {
            var id = fields.Count > 0 ? fields[0].Trim() : "";
            if (id.Length == 0) return;
            if (!precincts.TryGetValue(id, out var rows))
            {
                precincts[id] = rows = new PrecinctRows(0, 0);
                order.Add(id);
            }
            rows.Malformed = true;
        }
    }

    private sealed record Row(string Precinct, int Delegates, int Attendees, string Group, int First, int Final);

    private sealed class PrecinctRows(int delegates, int attendees)
    {
        public int Delegates { get; } = delegates;
        public int Attendees { get; } = attendees;
        public bool Malformed { get; set; }
        public Dictionary<string, int> First { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, int> Final { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, int> GroupOrder { get; } = new(StringComparer.Ordinal);

        public string? Add(Row row)
        {
            if (Malformed) return null;
            string? problem = null;
            if (row.Delegates != Delegates || row.Attendees != Attendees)
                problem = $"precinct {row.Precinct} has delegates/attendees {row.Delegates}/{row.Attendees} here but {Delegates}/{Attendees} on an earlier row";
            else if (GroupOrder.ContainsKey(row.Group))
                problem = $"group {row.Group} appears twice for precinct {row.Precinct}";
            if (problem is not null)
            {
                Malformed = true;
                return problem;
            }
            GroupOrder[row.Group] = GroupOrder.Count;
            First[row.Group] = row.First;
            Final[row.Group] = row.Final;
            return null;
        }
    }

    /// <summary>Whether the folder's election.json names the secret ballot, and its parameters (null when refused, said on stderr).</summary>
    private static (bool IsSecretBallot, Caucus.Core.Rules.SecretBallot.SecretBallotRules? Rules) SecretBallotRulesOf(DirectoryInfo dir, TextWriter error)
    {
        var path = Path.Combine(dir.FullName, ElectionDefinition.ElectionFile);
        if (!File.Exists(path)) return (false, null);
        var json = File.ReadAllText(path);
        try
        {
            using var doc = System.Text.Json.JsonDocument.Parse(json);
            if (!doc.RootElement.TryGetProperty("ruleSet", out var name) || name.GetString() != Caucus.Core.Rules.SecretBallot.SecretBallotParameters.RuleSetName)
                return (false, null);
            return (true, Caucus.Core.Rules.SecretBallot.SecretBallotParameters.Read(json));
        }
        catch (System.Text.Json.JsonException)
        {
            return (false, null);
        }
        catch (ElectionDefinitionException e)
        {
            error.WriteLine($"election folder refused: {e.Message}");
            return (true, null);
        }
    }
}
