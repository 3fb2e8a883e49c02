using Caucus.Api.Reports;
using Caucus.Api.Storage;
using Caucus.Core.Aggregation;

namespace Caucus.Api.Results;

/// <summary>A stored revision re-read and computed: what it said and what the rules give it.</summary>
public sealed record CountedReport(StoredRevision Stored, ParsedReport Report, PrecinctResult Result);
