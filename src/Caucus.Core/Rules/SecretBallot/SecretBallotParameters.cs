using System.Globalization;
using System.Text.Json;
using Caucus.Core.Arithmetic;
using Caucus.Core.Definitions;

namespace Caucus.Core.Rules.SecretBallot;

/// <summary>
/// A secret-ballot contest's parameters as election.json gives them, under <c>"secretBallot"</c>:
/// <c>{"delegates": 40, "threshold": "0.15", "majorityTakesAll": false, "rounding": "nearest-with-adjustment",
/// "unallocated": ["Other"]}</c> (threshold a decimal share or absent; rounding <c>nearest-with-adjustment</c> or
/// <c>largest-remainder</c>). A bad value is refused naming the field.
/// </summary>
public static class SecretBallotParameters
{
    public const string RuleSetName = "secret-ballot";

    public static SecretBallotRules Read(string electionJson)
    {
        ArgumentNullException.ThrowIfNull(electionJson);
        JsonElement block;
        try
        {
            using var doc = JsonDocument.Parse(electionJson);
            if (!doc.RootElement.TryGetProperty("secretBallot", out var found) || found.ValueKind != JsonValueKind.Object)
                throw Refused("secretBallot", "a secret-ballot election gives its parameters as \"secretBallot\": {\"delegates\": …, \"rounding\": …}");
            block = found.Clone();
        }
        catch (JsonException e)
        {
            throw new ElectionDefinitionException(ElectionDefinition.ElectionFile, (int)(e.LineNumber ?? 0) + 1, $"not valid JSON: {e.Message}");
        }
        var delegates = block.TryGetProperty("delegates", out var d) && d.ValueKind == JsonValueKind.Number && d.TryGetInt32(out var n) && n >= 1
            ? n : throw Refused("secretBallot.delegates", "the number of national delegates, a whole number of 1 or more");
        Rational? threshold = null;
        if (block.TryGetProperty("threshold", out var t) && t.ValueKind != JsonValueKind.Null)
        {
            threshold = t.ValueKind == JsonValueKind.String && Rational.TryParse(t.GetString(), out var share) && share.Sign >= 0 && share < Rational.One
                ? share : throw Refused("secretBallot.threshold", "a share as a decimal string from 0 up to 1, e.g. \"0.15\", or null for none");
        }
        var majority = block.TryGetProperty("majorityTakesAll", out var m) && m.ValueKind == JsonValueKind.True;
        var rounding = block.TryGetProperty("rounding", out var r) ? r.GetString() : null;
        var parsed = rounding switch
        {
            "nearest-with-adjustment" => DelegateRounding.NearestWithAdjustment,
            "largest-remainder" => DelegateRounding.LargestRemainder,
            _ => throw Refused("secretBallot.rounding", $"nearest-with-adjustment or largest-remainder, not '{rounding}'"),
        };
        var unallocated = block.TryGetProperty("unallocated", out var u) && u.ValueKind == JsonValueKind.Array
            ? u.EnumerateArray().Select(x => x.GetString() ?? "").ToHashSet(StringComparer.Ordinal)
            : new HashSet<string>(StringComparer.Ordinal);
        return new SecretBallotRules(delegates, threshold, majority, parsed, unallocated);
    }

    /// <summary>
    /// The recorded statewide lot, when the folder gives one (<c>"secretBallot": {"lot": ["Haley", "DeSantis"]}</c>: the
    /// candidates in the order the lot ranked them, first wins); null when none is recorded. A lot is drawn once, by the
    /// state party, after the count: recording it in the folder keeps it beside the parameters it settles (README).
    /// </summary>
    public static System.Collections.Immutable.ImmutableArray<string>? ReadLot(string electionJson)
    {
        ArgumentNullException.ThrowIfNull(electionJson);
        using var doc = JsonDocument.Parse(electionJson);
        if (!doc.RootElement.TryGetProperty("secretBallot", out var block) || block.ValueKind != JsonValueKind.Object
            || !block.TryGetProperty("lot", out var lot) || lot.ValueKind == JsonValueKind.Null) return null;
        if (lot.ValueKind != JsonValueKind.Array || lot.EnumerateArray().Any(x => x.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(x.GetString())))
            throw Refused("secretBallot.lot", "the candidates in the order the lot ranked them, e.g. [\"Haley\", \"DeSantis\"], or null");
        var names = lot.EnumerateArray().Select(x => x.GetString()!).ToList();
        if (names.Distinct(StringComparer.Ordinal).Count() != names.Count) throw Refused("secretBallot.lot", "a candidate is ranked twice");
        return [.. names];
    }

    private static ElectionDefinitionException Refused(string field, string what) =>
        new(ElectionDefinition.ElectionFile, 0, string.Create(CultureInfo.InvariantCulture, $"\"{field}\": {what}"));
}
