using System.Text.Json;
using System.Text.Json.Serialization;

namespace Caucus.Api;

/// <summary>
/// The one JSON setting the API writes with, for the snapshot bytes and the endpoints alike: web defaults
/// (camelCase) and every enum as its kebab-case name ("unofficial-partial", "pending-tie-break").
/// </summary>
public static class ApiJson
{
    public static readonly JsonSerializerOptions Options = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false));
        return options;
    }

    /// <summary>An enum value's name as the API writes it.</summary>
    public static string Name<T>(T value) where T : struct, Enum => JsonNamingPolicy.KebabCaseLower.ConvertName(value.ToString());

    /// <summary>Reads an enum value from its name as the API writes it (no numbers, no other spelling).</summary>
    public static bool TryParse<T>(string? text, out T value) where T : struct, Enum
    {
        foreach (var candidate in Enum.GetValues<T>())
        {
            if (Name(candidate) == text)
            {
                value = candidate;
                return true;
            }
        }

        value = default;
        return false;
    }
}
