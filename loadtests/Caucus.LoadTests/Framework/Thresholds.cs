using System.Text.Json;
using System.Text.Json.Serialization;

namespace Caucus.LoadTests.Framework;

/// <summary>Limits for one request scenario: any given limit that is crossed fails the run.</summary>
public sealed record ScenarioLimits(double? MaxP99Ms, double? MaxErrorRate, double? MinRpsShare);

/// <summary>Limits for a set of stream listeners (delays from a report's acknowledgement to its version at the slowest listener).</summary>
public sealed record StreamLimits(double? MaxDelayP99Ms, double? MaxFinalDelayMs, double? MinConnectedShare);

/// <summary>
/// Thresholds from a JSON file (loadtests/thresholds/*.json): per scenario name and per listener set. The
/// checks after the wave (every acknowledged report present once, retries replayed) always count.
/// </summary>
public sealed record Thresholds(
    IReadOnlyDictionary<string, ScenarioLimits> Scenarios,
    IReadOnlyDictionary<string, StreamLimits> Streams)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    public static Thresholds None { get; } = new(new Dictionary<string, ScenarioLimits>(), new Dictionary<string, StreamLimits>());

    public static Thresholds Load(string path)
    {
        var t = JsonSerializer.Deserialize<Thresholds>(File.ReadAllText(path), Json)
            ?? throw new JsonException($"{path} is empty.");
        return t with { Scenarios = t.Scenarios ?? None.Scenarios, Streams = t.Streams ?? None.Streams };
    }
}

public sealed record ThresholdCheck(string Subject, string What, string Limit, string Actual, bool Passed);
