using System.Security.Cryptography;
using System.Text.Json;
using Caucus.Core.Model;

namespace Caucus.Api.Elections;

/// <summary>One county's outline, pre-projected: an SVG path in the drawing's coordinates and where to put its label.</summary>
public sealed record CountyOutline(string Fips, string Name, string Path, IReadOnlyList<int> Centroid);

/// <summary>GET /api/v1/election/map: the election's counties drawn on a <c>Width</c> × <c>Height</c> canvas.</summary>
public sealed record ElectionMapDocument(string Election, string Source, string StateFips, int Width, int Height, IReadOnlyList<CountyOutline> Counties);

/// <summary>
/// The election folder's <c>county-outlines.json</c> (written by web/prepare.mjs from us-atlas, committed with the
/// folder), read once and kept as the answer's bytes with an ETag of their hash.
/// </summary>
public sealed class ElectionMap
{
    public const string FileName = "county-outlines.json";

    private ElectionMap(ElectionMapDocument document)
    {
        Document = document;
        Json = JsonSerializer.SerializeToUtf8Bytes(document, ApiJson.Options);
        ETag = $"\"{Convert.ToHexStringLower(SHA256.HashData(Json).AsSpan(0, 12))}\"";
    }

    public ElectionMapDocument Document { get; }
    public byte[] Json { get; }
    public string ETag { get; }

    /// <summary>
    /// The folder's outlines, or null when it has none. An outline file that does not draw exactly the election's
    /// counties (satellite "counties" have no shape) is refused: a stale file would leave counties off the map unseen.
    /// </summary>
    public static ElectionMap? Read(string folder, Election election)
    {
        ArgumentNullException.ThrowIfNull(election);
        var path = Path.Combine(folder, FileName);
        if (!File.Exists(path)) return null;
        var file = JsonSerializer.Deserialize<OutlinesFile>(File.ReadAllBytes(path), ApiJson.Options)
            ?? throw new InvalidDataException($"{path} is empty.");
        var drawn = file.Counties.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var counties = election.Counties.Where(c => !c.IsSatelliteCounty).Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        if (!drawn.SetEquals(counties) || drawn.Count != file.Counties.Count)
        {
            throw new InvalidDataException($"{path} does not draw the election's counties (run node web/prepare.mjs {folder}): "
                + $"without an outline: {string.Join(", ", counties.Except(drawn))}; outlines of no county: {string.Join(", ", drawn.Except(counties))}.");
        }
        return new ElectionMap(new ElectionMapDocument(election.Name, file.Source, file.StateFips, file.Width, file.Height, file.Counties));
    }

    private sealed record OutlinesFile(string Source, string StateFips, int Width, int Height, IReadOnlyList<CountyOutline> Counties);
}
