using System.Collections.Concurrent;
using Caucus.Api.Reports;
using Caucus.Api.Storage;
using Caucus.Core.Aggregation;
using Caucus.Core.Counting;
using Caucus.Core.Model;

namespace Caucus.Api.Results;

/// <summary>
/// Turns stored revisions into computed reports: parses the stored raw text (as it was accepted) and runs
/// the rule set. A submission this instance has just computed at ingest is handed over by its submission id,
/// so its own revisions are not parsed twice.
/// </summary>
public sealed class StoredReports(Election election)
{
    private readonly ConcurrentDictionary<string, (ParsedReport Report, PrecinctResult Result)> _computedAtIngest = new(StringComparer.Ordinal);

    public Election Election { get; } = election;

    /// <summary>Keeps the result of a submission about to be appended, until its revision is applied.</summary>
    public void Hold(string submissionId, ParsedReport report, PrecinctResult result) => _computedAtIngest[submissionId] = (report, result);

    /// <summary>Drops a held result whose submission was not appended (a replay, a conflict, a failure).</summary>
    public void Release(string submissionId) => _computedAtIngest.TryRemove(submissionId, out _);

    /// <summary>
    /// Computes a stored revision. Throws only if a stored body no longer parses (it was valid when stored)
    /// or names a precinct the election does not have.
    /// </summary>
    public SourceReport Compute(StoredRevision stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        if (stored.SubmissionId is { } id && _computedAtIngest.TryRemove(id, out var held))
        {
            return new SourceReport(held.Report.Source, stored.Revision, stored.Seq, stored.ReceivedAt, held.Report.Note, held.Result, stored.Actor);
        }

        var (report, errors) = ReportParser.Parse(stored.RawBody, Election.Candidates, Election.RuleSet.Form, newSubmission: false);
        if (report is null)
        {
            throw new InvalidOperationException($"Stored revision {stored.Seq} no longer parses: {string.Join("; ", errors.Keys)}");
        }

        var precinct = Election.FindPrecinct(stored.PrecinctId)
            ?? throw new InvalidOperationException($"Stored revision {stored.Seq} names unknown precinct {stored.PrecinctId}.");
        var result = PrecinctResult.Compute(Election, precinct, report.Tally);
        return new SourceReport(report.Source, stored.Revision, stored.Seq, stored.ReceivedAt, report.Note, result, stored.Actor);
    }
}
