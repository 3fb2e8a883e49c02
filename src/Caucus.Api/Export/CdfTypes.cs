using System.Text.Json.Serialization;

namespace Caucus.Api.Export;

// The shapes of NIST SP 1500-100 V2 (JSON) that the export uses, named as the schema names them
// (../shared/data/nist-1500-100/NIST_V2_election_results_reporting.json). Every object carries its "@type";
// optional properties are left out when null. Enumerations are the schema's own strings.

public sealed record CdfElectionReport(
    string Format,
    string GeneratedDate,
    string Issuer,
    string IssuerAbbreviation,
    int SequenceStart,
    int SequenceEnd,
    string Status,
    string VendorApplicationId,
    bool IsTest,
    string? TestType,
    string Notes,
    IReadOnlyList<CdfElection> Election,
    IReadOnlyList<CdfReportingUnit> GpUnit)
{
    [JsonPropertyName("@type"), JsonPropertyOrder(-1)]
    public string AtType => "ElectionResults.ElectionReport";
}

public sealed record CdfElection(
    string ElectionScopeId,
    CdfText Name,
    string StartDate,
    string EndDate,
    string Type,
    string? OtherType,
    IReadOnlyList<CdfCandidate> Candidate,
    IReadOnlyList<CdfCandidateContest> Contest)
{
    [JsonPropertyName("@type"), JsonPropertyOrder(-1)]
    public string AtType => "ElectionResults.Election";
}

public sealed record CdfCandidate([property: JsonPropertyName("@id")] string Id, CdfText BallotName)
{
    [JsonPropertyName("@type"), JsonPropertyOrder(-1)]
    public string AtType => "ElectionResults.Candidate";
}

public sealed record CdfCandidateContest(
    [property: JsonPropertyName("@id")] string Id,
    string Name,
    string ElectionDistrictId,
    int VotesAllowed,
    string VoteVariation,
    int SubUnitsReported,
    int TotalSubUnits,
    IReadOnlyList<CdfCandidateSelection> ContestSelection)
{
    [JsonPropertyName("@type"), JsonPropertyOrder(-1)]
    public string AtType => "ElectionResults.CandidateContest";
}

public sealed record CdfCandidateSelection(
    [property: JsonPropertyName("@id")] string Id,
    IReadOnlyList<string> CandidateIds,
    int SequenceOrder,
    IReadOnlyList<CdfVoteCounts> VoteCounts)
{
    /// <summary>True for a group the reports named rather than the election (a subcaucus written in by name); absent otherwise.</summary>
    public bool? IsWriteIn { get; init; }

    [JsonPropertyName("@type"), JsonPropertyOrder(-1)]
    public string AtType => "ElectionResults.CandidateSelection";
}

/// <summary>One count of a selection in one unit. <see cref="Count"/> is a JSON number in the schema, so SDEs (fractions) fit.</summary>
public sealed record CdfVoteCounts(decimal Count, string GpUnitId, string Type, string? OtherType)
{
    [JsonPropertyName("@type"), JsonPropertyOrder(-1)]
    public string AtType => "ElectionResults.VoteCounts";
}

public sealed record CdfReportingUnit(
    [property: JsonPropertyName("@id")] string Id,
    string Type,
    string? OtherType,
    CdfText Name,
    IReadOnlyList<string>? ComposingGpUnitIds,
    IReadOnlyList<CdfExternalIdentifier>? ExternalIdentifier,
    int? SubUnitsReported,
    int? TotalSubUnits,
    int? VotersParticipated)
{
    [JsonPropertyName("@type"), JsonPropertyOrder(-1)]
    public string AtType => "ElectionResults.ReportingUnit";
}

public sealed record CdfExternalIdentifier(string Type, string? OtherType, string Value)
{
    [JsonPropertyName("@type"), JsonPropertyOrder(-1)]
    public string AtType => "ElectionResults.ExternalIdentifier";
}

/// <summary>InternationalizedText: the schema's way to carry a name, one LanguageString per language.</summary>
public sealed record CdfText(IReadOnlyList<CdfLanguageString> Text)
{
    [JsonPropertyName("@type"), JsonPropertyOrder(-1)]
    public string AtType => "ElectionResults.InternationalizedText";

    public static CdfText English(string content) => new([new CdfLanguageString(content, "en")]);
}

public sealed record CdfLanguageString(string Content, string Language)
{
    [JsonPropertyName("@type"), JsonPropertyOrder(-1)]
    public string AtType => "ElectionResults.LanguageString";
}
