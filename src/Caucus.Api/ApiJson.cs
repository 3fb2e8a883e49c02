using System.Text.Json;

namespace Caucus.Api;

/// <summary>The one JSON setting the API writes with: web defaults (camelCase).</summary>
public static class ApiJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}
