using Caucus.Core.Counting;
using Caucus.Core.Model;

namespace Caucus.Api.Reports;

/// <summary>A report body that passed shape validation: the tally for the core, the source and the note.</summary>
public sealed record ParsedReport(Tally Tally, ReportSource Source, string? Note);
