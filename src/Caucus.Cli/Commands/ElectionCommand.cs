using System.CommandLine;
using System.Globalization;
using Caucus.Core.Definitions;
using Caucus.Core.Model;

namespace Caucus.Cli.Commands;

/// <summary>
/// `caucus election new` builds an election folder from a party's precinct list (<see cref="PartyPrecinctList"/>):
/// every problem is reported with its file, line and column, and nothing is written until the input is clean.
/// `caucus election check DIR` loads a folder as the service would and says what it holds, or what is wrong.
/// </summary>
public static class ElectionCommand
{
    public static Command Create()
    {
        var precincts = new Option<FileInfo>("--precincts") { Description = "The party's precinct list, CSV: county,precinct,delegates and any of " + string.Join(", ", PartyPrecinctList.Optional) + ".", Required = true };
        var ruleSet = new Option<string>("--rule-set") { Description = "The rule set: iowa-2020, nevada-2020, walking-subcaucus.", Required = true };
        var candidates = new Option<string>("--candidates") { Description = "The candidates (groups), comma-separated, in ballot order.", Required = true };
        var state = new Option<string?>("--state") { Description = "The state's two-digit Census code (19 Iowa, 27 Minnesota, 32 Nevada): the map's county outlines come from it (web/prepare.sh)." };
        var id = new Option<string>("--id") { Description = "The election's id: lower-case letters, digits and hyphens.", Required = true };
        var name = new Option<string>("--name") { Description = "The election's name, as the pages show it.", Required = true };
        var date = new Option<string?>("--date") { Description = "The caucus date, yyyy-MM-dd." };
        var output = new Option<DirectoryInfo>("--out") { Description = "The folder to write (it must not exist, or be empty).", Required = true };
        var create = new Command("new", "Build an election folder from a party's precinct list.") { precincts, ruleSet, candidates, state, id, name, date, output };
        create.SetAction(parse => New(parse.GetValue(precincts)!, parse.GetValue(ruleSet)!, parse.GetValue(candidates)!, parse.GetValue(state),
            parse.GetValue(id)!, parse.GetValue(name)!, parse.GetValue(date), parse.GetValue(output)!, Console.Out, Console.Error));

        var folder = new Argument<DirectoryInfo>("DIR") { Description = "The election folder to check." };
        var check = new Command("check", "Load an election folder as the service would and report what it holds or what is wrong.") { folder };
        check.SetAction(parse => Check(parse.GetValue(folder)!, Console.Out, Console.Error));

        return new Command("election", "Set up a caucus night: build or check an election folder.") { create, check };
    }

    public static int New(FileInfo precincts, string ruleSet, string candidates, string? state, string id, string name, string? date,
        DirectoryInfo output, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(precincts);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        var problems = new List<DefinitionProblem>();
        DateOnly? day = null;
        if (date is not null)
        {
            if (DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) day = d;
            else problems.Add(new("command line", 0, 0, $"--date '{date}': a date like 2026-02-02"));
        }
        if (output.Exists && output.EnumerateFileSystemInfos().Any())
            problems.Add(new("command line", 0, 0, $"--out {output.FullName}: the folder exists and is not empty; nothing is overwritten"));
        if (!precincts.Exists)
        {
            problems.Add(new(precincts.Name, 0, 0, "no such file"));
            return Report(problems, stderr);
        }
        var settings = new ElectionSettings(id, name, ruleSet,
            [.. candidates.Split(',').Select(c => c.Trim())], state, day);
        var files = PartyPrecinctList.Build(precincts.Name, File.ReadAllText(precincts.FullName), settings, problems);
        if (files is null || problems.Count > 0) return Report(problems, stderr);

        // What the service will load, checked before anything is written: the folder is complete or not there.
        Election election;
        try
        {
            election = ElectionDefinition.Load(file => files.GetValueOrDefault(file));
        }
        catch (ElectionDefinitionException e)
        {
            return Report([new(e.File, e.Line, 0, e.Reason)], stderr);
        }
        var staging = new DirectoryInfo(output.FullName.TrimEnd(Path.DirectorySeparatorChar) + ".partial-" + Guid.NewGuid().ToString("N")[..8]);
        staging.Create();
        foreach (var (file, text) in files) File.WriteAllText(Path.Combine(staging.FullName, file), text);
        if (output.Exists) output.Delete();
        staging.MoveTo(output.FullName);
        stdout.WriteLine($"Wrote {output.FullName}: {Describe(election)}.");
        stdout.WriteLine(state is null
            ? "No --state: the war room shows no map (add \"stateFips\" to election.json and run web/prepare.sh for one)."
            : $"County outlines for the map: web/prepare.sh {output.FullName} (needs node and npm).");
        stdout.WriteLine($"Run it: dotnet run --project src/Caucus.Api -- --election {output.FullName}");
        return 0;
    }

    public static int Check(DirectoryInfo folder, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        if (!folder.Exists)
        {
            stderr.WriteLine($"{folder.FullName}: no such folder");
            return 2;
        }
        try
        {
            var election = ElectionFolder.Load(folder.FullName);
            stdout.WriteLine($"{folder.FullName}: {Describe(election)}.");
            return 0;
        }
        catch (ElectionDefinitionException e)
        {
            stderr.WriteLine(e.Message);
            return 2;
        }
    }

    private static string Describe(Election e) =>
        $"{e.Name} ({e.Id}), rule set {e.RuleSet.Name}, {e.Candidates.Length} candidates, {e.Counties.Length} counties, " +
        $"{e.Precincts.Count(p => p.Kind == PrecinctKind.Precinct)} precincts, {e.Precincts.Count(p => p.Kind == PrecinctKind.Satellite)} satellites, " +
        $"{e.Precincts.Sum(p => p.Delegates)} delegates";

    private static int Report(IEnumerable<DefinitionProblem> problems, TextWriter stderr)
    {
        var count = 0;
        foreach (var p in problems)
        {
            stderr.WriteLine(p);
            count++;
        }
        stderr.WriteLine($"{count} problem{(count == 1 ? "" : "s")}; nothing was written.");
        return 2;
    }
}
