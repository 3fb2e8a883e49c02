using System.Collections.Immutable;
using Caucus.Core.Model;
using Caucus.Core.Rules.Iowa2020;
using Caucus.Core.Verification;

namespace Caucus.Core.Projection;

/// <summary>
/// One published row as the report its precinct would have sent on the night: attendance, both alignments and the
/// county delegates the party published (<see cref="Tally.ReportedDelegates"/>, absent where the published SDEs are
/// not whole delegates), without the game of chance; <see cref="TieOutcome"/> is the toss outcome the published
/// SDEs show, where one decided them. <see cref="Held"/> is false where no one aligned (the verifier's "not-held": no
/// caucus met there, so no report would have been sent).
/// </summary>
public sealed record PublishedReport(Precinct Precinct, Tally Tally, TieBreak? TieOutcome, bool Held = true);

/// <summary>A published results file as the tallies its precincts would have reported (for replaying it).</summary>
public static class PublishedReports
{
    /// <summary>
    /// Each row matched to its precinct (as <see cref="PublishedResultsVerifier"/> matches them), attendance being the
    /// first-alignment total; where the published SDEs show the outcome of a toss, it is recorded as the tie-break.
    /// </summary>
    public static ImmutableDictionary<string, Tally> Tallies(Election election, string publishedCsv) =>
        Reports(election, publishedCsv).ToImmutableDictionary(r => r.Precinct.Id,
            r => (r.TieOutcome is { } outcome ? r.Tally.WithTieBreaks([outcome]) : r.Tally) with { ReportedDelegates = null },
            StringComparer.Ordinal);

    /// <summary>
    /// The rows matched to the election's precincts, in file order, as <see cref="PublishedReport"/>s. The file is read
    /// in the election's rule set's published format (<see cref="PublishedResultsFormats"/>: Iowa's IDP file, Nevada's
    /// results feed), so a backtest replays either.
    /// </summary>
    /// <exception cref="ArgumentException">The rule set has no published-results format.</exception>
    public static ImmutableArray<PublishedReport> Reports(Election election, string publishedCsv)
    {
        ArgumentNullException.ThrowIfNull(election);
        var format = PublishedResultsFormats.For(election.RuleSet)
            ?? throw new ArgumentException($"Rule set {election.RuleSet.Name} has no published-results format.", nameof(election));
        var report = format.Verify(election, publishedCsv);
        return [.. report.Precincts
            .Where(p => p.Precinct is not null)
            .Select(p => new PublishedReport(p.Precinct!,
                Tally.Create(p.Row.Attendance, p.Row.First, p.Row.Final, p.PublishedDelegates),
                p.Verdict?.TieOutcome, Held: !p.NotHeld))];
    }
}
