using System.CommandLine;
using Caucus.Core.Definitions;
using Caucus.Core.Text;
using Caucus.Core.Verification;

namespace Caucus.Cli.Commands;

/// <summary>
/// `caucus verify --results FILE [--election DIR] [--format text|csv]`: recompute a published results
/// file and say per precinct whether its delegates follow from its alignments, with the reason where not. The file's
/// format is the election's rule set's (<see cref="PublishedResultsFormats"/>): Iowa's IDP file, Nevada's results feed.
/// </summary>
public static class VerifyCommand
{
    public static Command Create()
    {
        var results = new Option<FileInfo>("--results") { Description = "A published results file in the format of the election's rule set (Iowa 2020: the IDP file; Nevada 2020: the party's results feed).", Required = true };
        var election = new Option<DirectoryInfo?>("--election") { Description = "The election folder (default: the Iowa 2020 folder shipped with caucus)." };
        var format = new Option<string>("--format") { Description = "text (default) or csv (county,precinct,status,reason; Nevada: county,precinct,verdict,reason).", DefaultValueFactory = _ => "text" };
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
        if (PublishedResultsFormats.For(election.RuleSet) is not { } published)
        {
            error.WriteLine($"rule set {election.RuleSet.Name} has no published results format to verify");
            return 2;
        }
        var report = published.Verify(election, File.ReadAllText(results.FullName));
        foreach (var e in report.Errors)
        {
            error.WriteLine($"{results.Name}:{e.Line}: {e.Reason}");
        }
        if (format == "csv") WriteCsv(report, published.VerdictColumn, output);
        else if (report.RecomputedOtherWeighting is { } other) WriteText(report, other, election.RuleSet.SatelliteWeighting, output);
        else WriteCountyDelegates(report, output);
        output.Flush();
        return report.Errors.IsEmpty ? 0 : 1;
    }

    private static void WriteCsv(VerificationReport report, string verdictColumn, TextWriter output)
    {
        output.WriteLine($"county,precinct,{verdictColumn},reason");
        foreach (var p in report.Precincts)
        {
            output.WriteLine(Csv.Line(p.Row.County, p.Row.Precinct, p.Status, p.Reason));
        }
    }

    private static void WritePrecincts(VerificationReport report, TextWriter output)
    {
        foreach (var p in report.Precincts)
        {
            output.WriteLine(p.Reason.Length == 0
                ? $"{p.Row.County} / {p.Row.Precinct}: {p.Status}"
                : $"{p.Row.County} / {p.Row.Precinct}: {p.Status}: {p.Reason}");
        }
    }

    private static void WriteCounts(VerificationReport report, TextWriter output)
    {
        output.WriteLine();
        output.WriteLine("Precincts by status:");
        foreach (var (status, count) in report.CountsByStatus) output.WriteLine($"  {count,5}  {status}");
        output.WriteLine("Inconsistent and unknown precincts by reason:");
        foreach (var (reason, count) in report.CountsByReason) output.WriteLine($"  {count,5}  {reason}");
    }

    /// <summary>Iowa's: statewide SDEs under the official satellite weighting and the other reading.</summary>
    private static void WriteText(VerificationReport report, Core.Aggregation.ResultsTotals otherTotals,
        Core.Rules.SatelliteWeighting weighting, TextWriter output)
    {
        WritePrecincts(report, output);
        var other = weighting == Core.Rules.SatelliteWeighting.Attendance ? "delegates" : "attendance";
        output.WriteLine();
        output.WriteLine($"Statewide SDEs (satellites weighted by {weighting.ToString().ToLowerInvariant()}; other reading: by {other}):");
        output.WriteLine($"{"candidate",-12} {"recomputed",12} {"published",12} {"difference",11} {other + " reading",18} {"first",8} {"final",8}");
        var otherByName = otherTotals.Candidates.ToDictionary(c => c.Name);
        foreach (var c in report.Recomputed.Candidates.OrderByDescending(c => c.Sde))
        {
            var published = report.PublishedSde.GetValueOrDefault(c.Name);
            output.WriteLine($"{c.Name,-12} {c.SdeDisplay,12} {published.ToDecimalString(4),12} {(c.Sde - published).ToDecimalString(4),11} {otherByName[c.Name].SdeDisplay,18} {c.FirstAlignment,8} {c.FinalAlignment,8}");
        }
        WriteCounts(report, output);
    }

    /// <summary>
    /// A rule set with no satellite weighting (Nevada): statewide county delegates recomputed (the card draw the file
    /// shows where it shows one) beside the ones the file reports. Principle 2 lets a precinct award more than D.
    /// </summary>
    private static void WriteCountyDelegates(VerificationReport report, TextWriter output)
    {
        WritePrecincts(report, output);
        output.WriteLine();
        output.WriteLine("Statewide county delegates (recomputed from the alignments; published: the delegates the file reports):");
        output.WriteLine($"{"candidate",-12} {"recomputed",12} {"published",12} {"difference",11} {"first",8} {"final",8}");
        foreach (var c in report.Recomputed.Candidates.OrderByDescending(c => c.CountyDelegates).ThenBy(c => c.Name, StringComparer.Ordinal))
        {
            var published = report.PublishedSde.GetValueOrDefault(c.Name);
            output.WriteLine($"{c.Name,-12} {c.CountyDelegates,12} {published.ToDecimalString(0),12} {(c.CountyDelegates - published).ToDecimalString(0),11} {c.FirstAlignment,8} {c.FinalAlignment,8}");
        }
        var recomputedTotal = report.Recomputed.Candidates.Sum(c => c.CountyDelegates);
        var publishedTotal = Core.Arithmetic.Rational.Sum(report.PublishedSde.Values);
        output.WriteLine($"{"total",-12} {recomputedTotal,12} {publishedTotal.ToDecimalString(0),12} {(recomputedTotal - publishedTotal).ToDecimalString(0),11}");
        WriteCounts(report, output);
    }
}
