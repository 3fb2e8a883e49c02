using System.Diagnostics;
using System.Globalization;
using Caucus.Core.Definitions;
using Caucus.Core.Model;
using Caucus.Core.Projection;
using Caucus.Core.Verification;
using System.Collections.Immutable;
using System.CommandLine;
using Caucus.Core.Rules;
using Caucus.Core.Simulation;

namespace Caucus.Cli.Commands;

/// <summary>
/// `caucus backtest (--results FILE | --synthetic) [--election DIR] [--rule-set NAME] [--orders N] [--biased-orders N] [--draws N] [--seed N] [--timing]`:
/// replay a complete published results file, or the folder's synthetic night (<see cref="SyntheticNight"/> of the seed,
/// one region leaning to one group), in random and region-biased reporting orders and score the projection against the
/// final result and against the naive one (current shares); with --timing, time one projection at 25/50/75% reporting.
/// </summary>
public static class BacktestCommand
{
    public static Command Create()
    {
        var results = new Option<FileInfo?>("--results") { Description = "A complete published results file in the election's published format (Iowa: the 2020 IDP file; Nevada: the results feed)." };
        var synthetic = new Option<bool>("--synthetic") { Description = "Replay the folder's synthetic night of --seed instead of a results file (one region leaning to one group)." };
        var ruleSet = new Option<string?>("--rule-set") { Description = "Count the folder's precincts under this rule set instead of its own (a synthetic night only)." };
        var election = new Option<DirectoryInfo?>("--election") { Description = "The election folder (default: the Iowa 2020 folder shipped with caucus)." };
        var orders = new Option<int>("--orders") { Description = "Random reporting orders (the biased ones always run).", DefaultValueFactory = _ => 8 };
        var draws = new Option<int>("--draws") { Description = "Simulation draws per projection.", DefaultValueFactory = _ => ProjectionOptions.DefaultDraws };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the orders and the simulation.", DefaultValueFactory = _ => 2020 };
        var biased = new Option<int>("--biased-orders") { Description = "Orders of each biased kind (each district first, big counties first, small rural first, satellites last).", DefaultValueFactory = _ => 1 };
        var timing = new Option<bool>("--timing") { Description = "Only time one projection at 25, 50 and 75% reporting (a random order)." };
        var diagnose = new Option<bool>("--diagnose") { Description = "Only compare the simulated unreported precincts with the truth at 50% reporting in the random orders, by size class." };
        var command = new Command("backtest", "Replay a results file in many reporting orders and score the projection.") { results, synthetic, ruleSet, election, orders, biased, draws, seed, timing, diagnose };
        command.SetAction(parse => Run(parse.GetValue(results), parse.GetValue(election), parse.GetValue(orders), parse.GetValue(biased), parse.GetValue(draws),
            parse.GetValue(seed), parse.GetValue(timing), Console.Out, Console.Error, parse.GetValue(diagnose), parse.GetValue(synthetic), parse.GetValue(ruleSet)));
        return command;
    }

    public static int Run(FileInfo? results, DirectoryInfo? electionDir, int orders, int biased, int draws, ulong seed, bool timing,
        TextWriter output, TextWriter error, bool diagnose = false, bool synthetic = false, string? ruleSet = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if ((results is null) == !synthetic)
        {
            error.WriteLine("give either --results FILE or --synthetic");
            return 2;
        }
        if (results is { Exists: false })
        {
            error.WriteLine($"{results.FullName}: no such file");
            return 2;
        }
        if (ruleSet is not null && !synthetic)
        {
            error.WriteLine("--rule-set counts a synthetic night only: a results file is read in its own rule set's format");
            return 2;
        }
        if (draws < 1 || orders < 0 || biased < 0)
        {
            error.WriteLine("--draws must be at least 1 and --orders and --biased-orders at least 0");
            return 2;
        }
        Election election;
        try
        {
            election = ElectionFolder.Load(electionDir?.FullName);
        }
        catch (ElectionDefinitionException e)
        {
            error.WriteLine($"election folder refused: {e.Message}");
            return 2;
        }
        if (ruleSet is not null)
        {
            if (RuleSets.Find(ruleSet) is not { } rules)
            {
                error.WriteLine($"--rule-set {ruleSet}: no such rule set; the rule sets are {string.Join(", ", RuleSets.Names)}");
                return 2;
            }
            election = election.WithRuleSet(rules);
        }
        ImmutableDictionary<string, Tally> final;
        if (results is null)
        {
            // The candidates only: the projection scores the groups the election names.
            var night = SyntheticNight.Generate(election, seed, openGroups: false);
            final = night.Final;
            output.WriteLine($"Synthetic night of seed {seed} under {election.RuleSet.Name}: {night.Region} leans to {night.LeaningGroup}.");
        }
        else if (PublishedResultsFormats.For(election.RuleSet) is null)
        {
            error.WriteLine($"rule set {election.RuleSet.Name} has no published results format to replay");
            return 2;
        }
        else
        {
            final = PublishedReports.Tallies(election, File.ReadAllText(results.FullName));
        }
        if (diagnose)
        {
            Diagnose(election, final, orders, draws, seed, output);
            return 0;
        }
        if (timing)
        {
            Time(election, final, draws, seed, output);
            return 0;
        }
        var report = Backtest.Run(election, final, new BacktestOptions(orders, draws, seed) { BiasedRepeats = biased });
        BacktestTable.Write(election, report, final.Count, draws, seed, output);
        return 0;
    }

    private static void Diagnose(Election election, System.Collections.Immutable.ImmutableDictionary<string, Tally> final, int orders, int draws, ulong seed, TextWriter output)
    {
        var rows = ProjectionDiagnostic.Run(election, final, Math.Max(1, orders), 0.5, draws, seed);
        var scored = rows.Where(r => r.SizeClass == "all" && r.TrueDelegates >= 1).OrderByDescending(r => r.TrueDelegates).Select(r => r.Candidate).ToList();
        output.WriteLine($"Unreported precincts at 50% reporting, {Math.Max(1, orders)} random orders, {draws} draws: simulated − true share (points), final alignment / SDEs");
        output.WriteLine($"{"class",-14}{"n",6}  " + string.Join("  ", scored.Select(n => $"{n,15}")));
        foreach (var cls in rows.Select(r => r.SizeClass).Distinct().Order(StringComparer.Ordinal))
        {
            var line = rows.Where(r => r.SizeClass == cls).ToDictionary(r => r.Candidate, StringComparer.Ordinal);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{cls,-14}{line.Values.First().Precincts,6}  ") + string.Join("  ", scored.Select(n => string.Create(CultureInfo.InvariantCulture,
                $"{line[n].SimulatedAlignment - line[n].TrueAlignment,7:+0.00;-0.00}/{line[n].SimulatedDelegates - line[n].TrueDelegates,6:+0.00;-0.00}"))));
        }
        output.WriteLine("true shares (final alignment / SDEs):");
        foreach (var cls in rows.Select(r => r.SizeClass).Distinct().Order(StringComparer.Ordinal))
        {
            var line = rows.Where(r => r.SizeClass == cls).ToDictionary(r => r.Candidate, StringComparer.Ordinal);
            output.WriteLine($"{cls,-14}{"",6}  " + string.Join("  ", scored.Select(n => string.Create(CultureInfo.InvariantCulture, $"{line[n].TrueAlignment,7:0.00}/{line[n].TrueDelegates,6:0.00}"))));
        }
        output.Flush();
    }

    /// <summary>One update (a full projection) at each level; the first run warms the JIT and is not counted.</summary>
    private static void Time(Election election, System.Collections.Immutable.ImmutableDictionary<string, Tally> final, int draws, ulong seed, TextWriter output)
    {
        var order = ReportingOrders.All(election, 1, seed)[0];
        var options = new ProjectionOptions(draws, seed);
        output.WriteLine($"{Environment.ProcessorCount} cores; {draws} draws; one random order; median of 5 updates after a warm-up");
        foreach (var level in new[] { 0.25, 0.5, 0.75 })
        {
            var reported = order.Reported(level).Where(p => final.ContainsKey(p.Id)).ToDictionary(p => p.Id, p => final[p.Id], StringComparer.Ordinal);
            Projector.Project(election, reported, options);
            var times = new List<double>();
            for (var i = 0; i < 5; i++)
            {
                var clock = Stopwatch.StartNew();
                Projector.Project(election, reported, options);
                times.Add(clock.Elapsed.TotalMilliseconds);
            }
            times.Sort();
            var calibration = Calibration.Run(election, reported, seed);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{level:P0} reporting ({reported.Count} precincts reported): {times[2]:0} ms (min {times[0]:0}, max {times[4]:0}); " +
                $"calibration factor {calibration.Factor:0.00} (mean z² {calibration.MeanSquareZ:0.00}, mean z {calibration.MeanZ:+0.00;-0.00}, {calibration.Scores} scores)"));
        }
        output.Flush();
    }
}
