using System.Text.Json;
using Json.Schema;

namespace Caucus.Api.Tests.Export;

/// <summary>
/// NIST's published JSON schema for SP 1500-100 V2 (../shared/data/nist-1500-100), ready to validate exports.
/// </summary>
/// <remarks>
/// The schema declares draft-04, which JsonSchema.Net 8 does not ship. It is evaluated under a dialect registered
/// for the draft-04 URI with draft-06's keywords: draft-06 is draft-04 with <c>id</c> renamed <c>$id</c>, numeric
/// <c>exclusiveMinimum</c>/<c>exclusiveMaximum</c> and a few new keywords, and <c>$ref</c> still ignores its siblings.
/// The schema uses none of what changed (<see cref="Keywords"/> lists what it uses, and a test holds it to that), so
/// it means the same under both. The registry is local: nothing global changes for other tests.
/// </remarks>
public static class NistSchema
{
    /// <summary>The keywords the schema may use for draft-06 to read it as draft-04 does ("refTypes" is NIST's own annotation).</summary>
    public static readonly IReadOnlySet<string> Keywords = new HashSet<string>(StringComparer.Ordinal)
    {
        "$schema", "$ref", "definitions", "type", "enum", "required", "properties", "additionalProperties", "items",
        "minItems", "maxLength", "oneOf", "pattern", "format", "refTypes",
    };

    private static readonly Lazy<JsonSchema> Schema = new(Load);

    public static string SchemaPath
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Caucus.sln"))) dir = dir.Parent;
            if (dir?.Parent is null) throw new InvalidOperationException($"No Caucus.sln above {AppContext.BaseDirectory}.");
            return Path.Combine(dir.Parent.FullName, "shared", "data", "nist-1500-100", "NIST_V2_election_results_reporting.json");
        }
    }

    /// <summary>Every error the schema finds (empty when valid), each with where in the document and where in the schema.</summary>
    public static IReadOnlyList<string> Errors(JsonElement document)
    {
        var result = Schema.Value.Evaluate(document, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (result.IsValid) return [];
        return [.. (result.Details ?? []).Where(d => d.Errors is not null)
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation} ({d.EvaluationPath}): {e.Key}: {e.Value}"))];
    }

    public static IReadOnlyList<string> Errors(string json)
    {
        using var document = JsonDocument.Parse(json);
        return Errors(document.RootElement);
    }

    private static JsonSchema Load()
    {
        var registry = new DialectRegistry();
        registry.Register(Dialect.Draft06.With([], new Uri("http://json-schema.org/draft-04/schema#")));
        return JsonSchema.FromText(File.ReadAllText(SchemaPath), new BuildOptions { DialectRegistry = registry });
    }
}
