using System.CommandLine;
using Caucus.Core.Definitions;
using Caucus.Core.Text;
using Caucus.Core.Verification;

namespace Caucus.Cli.Commands;

/// <summary>
/// `caucus verify --results FILE [--election DIR] [--format text|csv]`: recompute a published results
/// file and say per precinct whether its SDEs follow from its alignments, with the reason where not.
/// </summary>
public static class VerifyCommand
{
    public static Command Create()
    {
        var results = new Option<FileInfo>("--results") { Description = "A published results file in the 2020 IDP format.", Required = true };
        var election = new Option<DirectoryInfo?>("--election") { Description = "The election folder (default: the Iowa 2020 folder shipped with caucus)." };
        var format = new Option<string>("--format") { Description = "text (default) or csv (county,precinct,status,reason).", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "csv");
        var command = new Command("verify", "Recompute a published results file and classify every precinct.") { results, election, format };
        command.SetAction(parse => Run(parse.GetValue(results)!, parse.GetValue(election), parse.GetValue(format) ?? "text", Console.Out, Console.Error));
        return command;
    }

    public static int Run(FileInfo results, DirectoryInfo? electionDir, string format, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (!results.Exists)
        {
            error.WriteLine($"{results.FullName}: no such file");
            return 2;
        }
        Core.Model.Election election;
        try
        {
            election = ElectionFolder.Load(electionDir?.FullName);
        }
        catch (ElectionDefinitionException e)
        {
            error.WriteLine($"election folder refused: {e.Message}");
            return 2;
        }
        var report = PublishedResultsVerifier.Verify(election, File.ReadAllText(results.FullName));
        foreach (var e in report.Errors)
        {
            error.WriteLine($"{results.Name}:{e.Line}: {e.Reason}");
        }
        if (format == "csv") WriteCsv(report, output);
        else WriteText(report, election.RuleSet.SatelliteWeighting, output);
        output.Flush();
        return report.Errors.IsEmpty ? 0 : 1;
    }

    private static void WriteCsv(VerificationReport report, TextWriter output)
    {
        output.WriteLine("county,precinct,status,reason");
        foreach (var p in report.Precincts)
        {
            output.WriteLine(Csv.Line(p.Row.County, p.Row.Precinct, p.Status, p.Reason));
        }
    }

    private static void WriteText(VerificationReport report, Core.Rules.SatelliteWeighting weighting, TextWriter output)
    {
        foreach (var p in report.Precincts)
        {
            output.WriteLine(p.Reason.Length == 0
                ? $"{p.Row.County} / {p.Row.Precinct}: {p.Status}"
                : $"{p.Row.County} / {p.Row.Precinct}: {p.Status}: {p.Reason}");
        }
        var other = weighting == Core.Rules.SatelliteWeighting.Attendance ? "delegates" : "attendance";
        output.WriteLine();
        output.WriteLine($"Statewide SDEs (satellites weighted by {weighting.ToString().ToLowerInvariant()}; other reading: by {other}):");
        output.WriteLine($"{"candidate",-12} {"recomputed",12} {"published",12} {"difference",11} {other + " reading",18} {"first",8} {"final",8}");
        var otherByName = report.RecomputedOtherWeighting.Candidates.ToDictionary(c => c.Name);
        foreach (var c in report.Recomputed.Candidates.OrderByDescending(c => c.Sde))
        {
            var published = report.PublishedSde.GetValueOrDefault(c.Name);
            output.WriteLine($"{c.Name,-12} {c.SdeDisplay,12} {published.ToDecimalString(4),12} {(c.Sde - published).ToDecimalString(4),11} {otherByName[c.Name].SdeDisplay,18} {c.FirstAlignment,8} {c.FinalAlignment,8}");
        }
        output.WriteLine();
        output.WriteLine("Precincts by status:");
        foreach (var (status, count) in report.CountsByStatus) output.WriteLine($"  {count,5}  {status}");
        output.WriteLine("Inconsistent and unknown precincts by reason:");
        foreach (var (reason, count) in report.CountsByReason) output.WriteLine($"  {count,5}  {reason}");
    }
}
