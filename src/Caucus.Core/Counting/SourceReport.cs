using Caucus.Core.Aggregation;

namespace Caucus.Core.Counting;

/// <summary>
/// One stored revision of a precinct's report, computed: which source and credential (<see cref="Actor"/>) sent
/// it and when, its per-precinct revision number, its place in the global commit order (<see cref="Seq"/>),
/// its note, and what the rules give it.
/// </summary>
public sealed record SourceReport(ReportSource Source, int Revision, long Seq, DateTimeOffset ReceivedAt, string? Note, PrecinctResult Result,
    string Actor = "")
{
    public PrecinctId Precinct => new(Result.Precinct.Id);
}
