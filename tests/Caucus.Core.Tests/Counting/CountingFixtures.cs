using Caucus.Core.Aggregation;
using Caucus.Core.Counting;
using Caucus.Core.Model;
using Caucus.Core.Rules.Iowa2020;
using Caucus.Core.Rules;

namespace Caucus.Core.Tests.Counting;

/// <summary>
/// A tiny election small enough that "every precinct has reported" is reachable in a test: two counties and three
/// precincts. North: 1NW (D = 8, the Adair 1NW numbers, a coin toss) and 2 (D = 4); CD 12, SD 3, so one county
/// delegate is 1/4 SDE. South: 1 (D = 5); CD 5, SD 2, 2/5 SDE per delegate.
/// </summary>
internal static class TinyElection
{
    public static readonly string[] Candidates = ["Biden", "Buttigieg", "Klobuchar", "Sanders", "Warren"];

    public const string NorthWest = "north/1nw";
    public const string NorthTwo = "north/2";
    public const string South = "south/1";

    public static Election Election { get; } = new("tiny", "Tiny", new Iowa2020RuleSet(), Candidates,
        [new County("North", "CD1", 12, 3, false), new County("South", "CD2", 5, 2, false)],
        [
            new Precinct(NorthWest, "North", "1NW", 8, PrecinctKind.Precinct),
            new Precinct(NorthTwo, "North", "2", 4, PrecinctKind.Precinct),
            new Precinct(South, "South", "1", 5, PrecinctKind.Precinct),
        ]);

    public static readonly string[] PrecinctIds = [NorthWest, NorthTwo, South];

    /// <summary>RULES.md worked example 1: raw 1.2, 1.6, 1.6, 1.8, 1.8 → nine delegates for eight; Buttigieg and Klobuchar tie at .6.</summary>
    public static Tally AdairNorthwest() =>
        Tallies.Same(40, ("Biden", 6), ("Buttigieg", 8), ("Klobuchar", 8), ("Sanders", 9), ("Warren", 9));

    /// <summary>The same numbers with Klobuchar's toss recorded (the party's published outcome).</summary>
    public static Tally AdairNorthwestSettled() =>
        AdairNorthwest().WithTieBreaks([TieBreak.Of(["Buttigieg", "Klobuchar"], ["Klobuchar"])]);

    /// <summary>D = 4, A = 20: raw 2 and 2, decided.</summary>
    public static Tally NorthTwoTally() => Tallies.Same(20, ("Biden", 10), ("Sanders", 10));

    /// <summary>D = 5, A = 30: raw 2 and 3, decided.</summary>
    public static Tally SouthTally() => Tallies.Same(30, ("Sanders", 18), ("Warren", 12));

    public static PrecinctResult Result(string precinctId, Tally tally) =>
        PrecinctResult.Compute(Election, Election.FindPrecinct(precinctId)!, tally);

    /// <summary>A stored revision; its commit seq is its revision number unless given.</summary>
    public static SourceReport Report(string precinctId, ReportSource source, int revision, Tally tally, string actor = "", long? seq = null) =>
        Report(source, revision, Result(precinctId, tally), actor, seq);

    public static SourceReport Report(ReportSource source, int revision, PrecinctResult result, string actor = "", long? seq = null) =>
        new(source, revision, seq ?? revision, DateTimeOffset.UnixEpoch.AddMinutes(revision), null, result,
            actor.Length > 0 ? actor : source.ToString().ToLowerInvariant());

    public static PrecinctReports Fold(CountingRules rules, IEnumerable<SourceReport> reports) =>
        reports.Aggregate(PrecinctReports.Empty(rules), (r, report) => r.With(report));

    /// <summary>Totals as one line, for comparing two aggregates (ResultsTotals holds arrays, compared by reference).</summary>
    public static string Fingerprint(ResultsTotals t) =>
        $"{t.Reporting}/{t.Total} inc={t.Inconsistent} pend={t.PendingTieBreaks} sat={t.SatellitesProvisional} " +
        string.Join(" ", t.Candidates.Select(c => $"{c.Name}:{c.FirstAlignment}/{c.FinalAlignment}/{c.CountyDelegates}/{c.Sde}[{c.SdeLow},{c.SdeHigh}]"));
}
