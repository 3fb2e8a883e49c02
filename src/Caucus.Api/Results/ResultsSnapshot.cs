using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Text.Json;
using Caucus.Api.Stream;
using Caucus.Core.Aggregation;

namespace Caucus.Api.Results;

/// <summary>
/// One immutable version of the results: the statewide document already serialised (reads just copy
/// bytes), and, when built for the county endpoint, the county totals of the same version, serialised on first request
/// and then kept.
/// </summary>
public sealed class ResultsSnapshot
{
    private readonly ImmutableDictionary<string, ResultsDocument>? _counties;
    private readonly ConcurrentDictionary<string, byte[]> _countyBytes = new(StringComparer.Ordinal);

    private byte[]? _statewideEvent;

    public ResultsSnapshot(long version, ResultsDocument statewide, ImmutableDictionary<string, ResultsDocument>? counties,
        ImmutableHashSet<string> reported, DateTimeOffset builtAt)
    {
        BuiltAt = builtAt;
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

    public DateTimeOffset BuiltAt { get; }

    /// <summary>The `results` Server-Sent Event of this version, built once and written as is to every listener.</summary>
    public byte[] StatewideEvent => _statewideEvent ??= ServerSentEvent.Format("results", Version, StatewideJson);

    /// <summary>Whether this snapshot carries the county documents (<see cref="ResultsState.WithCounties"/>).</summary>
    public bool HasCounties => _counties is not null;

    public byte[]? CountyJson(string county) =>
        (_counties ?? throw new InvalidOperationException("This snapshot was built without the county documents: read ResultsState.WithCounties."))
            .TryGetValue(county, out var doc)
            ? _countyBytes.GetOrAdd(county, _ => JsonSerializer.SerializeToUtf8Bytes(doc, ApiJson.Options))
            : null;

    public static IReadOnlyList<CandidateDocument> Ranked(ResultsTotals totals) =>
        [.. totals.Candidates.OrderByDescending(c => c.Sde).ThenByDescending(c => c.FinalAlignment)
            .ThenBy(c => c.Name, StringComparer.Ordinal).Select(CandidateDocument.From)];
}
