using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Text.Json;
using Caucus.Core.Aggregation;

namespace Caucus.Api.Results;

/// <summary>
/// One immutable version of the results: the statewide document already serialised (reads just copy
/// bytes), and the county totals of the same version, serialised on first request and then kept.
/// </summary>
public sealed class ResultsSnapshot
{
    private readonly ImmutableDictionary<string, ResultsDocument> _counties;
    private readonly ConcurrentDictionary<string, byte[]> _countyBytes = new(StringComparer.Ordinal);

    private byte[]? _flagsJson;

    public ResultsSnapshot(long version, ResultsDocument statewide, ImmutableDictionary<string, ResultsDocument> counties,
        ImmutableHashSet<string> reported, FlagsDocument flags)
    {
        Flags = flags;
        Version = version;
        Statewide = statewide;
        StatewideJson = JsonSerializer.SerializeToUtf8Bytes(statewide, ApiJson.Options);
        _counties = counties;
        Reported = reported;
        ETag = $"\"{version}\"";
    }

    public long Version { get; }
    public string ETag { get; }
    public ResultsDocument Statewide { get; }
    public byte[] StatewideJson { get; }
    public ImmutableHashSet<string> Reported { get; }

    /// <summary>The precincts that need someone's attention at this version.</summary>
    public FlagsDocument Flags { get; }

    public byte[] FlagsJson => _flagsJson ??= JsonSerializer.SerializeToUtf8Bytes(Flags, ApiJson.Options);

    public byte[]? CountyJson(string county) =>
        _counties.TryGetValue(county, out var doc)
            ? _countyBytes.GetOrAdd(county, _ => JsonSerializer.SerializeToUtf8Bytes(doc, ApiJson.Options))
            : null;

    public static IReadOnlyList<CandidateDocument> Ranked(ResultsTotals totals) =>
        [.. totals.Candidates.OrderByDescending(c => c.Sde).ThenByDescending(c => c.FinalAlignment)
            .ThenBy(c => c.Name, StringComparer.Ordinal).Select(CandidateDocument.From)];
}
