using System.Text.Json;

namespace Caucus.Api.Infrastructure;

/// <summary>
/// What System.Text.Json leaves to the caller: a document parses although a string or a property name holds an
/// escaped lone surrogate ("\ud800"), and reading that string later throws <see cref="InvalidOperationException"/>
/// (a 500, and the refusal never reached the audit trail). Every body is checked here first, and refused with 400
/// naming the field; free text must also be free of control characters (a NUL cannot even be stored by PostgreSQL).
/// </summary>
public static class JsonText
{
    /// <summary>The fields (named as the parsers name them: "note", "first.Sanders", "tieBreaks[0].groups[1]") whose text is not valid Unicode.</summary>
    public static IReadOnlyList<string> InvalidText(JsonElement root)
    {
        var bad = new List<string>();
        Walk(root, "", bad);
        return bad;
    }

    private static void Walk(JsonElement element, string path, List<string> bad)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    var name = TryRead(() => property.Name);
                    // A name that cannot be read is reported at its object (the field has no printable name).
                    if (name is null) bad.Add(path.Length == 0 ? "body" : path);
                    Walk(property.Value, name is null ? path : path.Length == 0 ? name : $"{path}.{name}", bad);
                }
                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in element.EnumerateArray()) Walk(item, $"{(path.Length == 0 ? "body" : path)}[{i++}]", bad);
                break;
            case JsonValueKind.String:
                if (TryRead(element.GetString) is null) bad.Add(path.Length == 0 ? "body" : path);
                break;
        }
    }

    private static string? TryRead(Func<string?> read)
    {
        try
        {
            return read() ?? "";
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    public const string InvalidTextMessage = "The text is not valid Unicode (an unpaired surrogate such as \\ud800).";

    /// <summary>Control characters other than tab and line breaks: never part of a note, a reason or a name.</summary>
    public static bool HasControlCharacters(string text) =>
        (text ?? throw new ArgumentNullException(nameof(text))).Any(c => char.IsControl(c) && c is not ('\t' or '\n' or '\r'));

    public const string ControlCharacterMessage = "The text may not hold control characters (NUL and the like) other than tabs and line breaks.";

    /// <summary>
    /// Reads a small JSON object of string fields by hand (a token request, a review decision, a certification
    /// note), so that every malformed body gets a 400 naming the field: not JSON, not an object, a field given twice
    /// (ambiguous: which did the caller mean?), an unknown field, a value that is not a string, text that is not
    /// valid Unicode or holds control characters. Null when <paramref name="errors"/> has them; absent and null
    /// fields are left out of the answer.
    /// </summary>
    public static Dictionary<string, string>? ReadStringFields(BodyText body, int limit, IReadOnlyCollection<string> fields,
        Dictionary<string, string[]> errors, bool emptyIsEmptyObject = false)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(fields);
        ArgumentNullException.ThrowIfNull(errors);
        if (body.TooLarge) errors["body"] = [$"The body may be at most {limit} bytes."];
        else if (body.Invalid is { } invalid) errors["body"] = [invalid];
        else if (emptyIsEmptyObject && string.IsNullOrWhiteSpace(body.Text)) return [];
        if (errors.Count > 0) return null;
        try
        {
            using var doc = JsonDocument.Parse(body.Text);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                errors["body"] = [$"The body must be a JSON object with the fields {string.Join(", ", fields)}."];
                return null;
            }
            foreach (var field in InvalidText(root)) errors[field] = [InvalidTextMessage];
            if (errors.Count > 0) return null;
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in root.EnumerateObject())
            {
                if (!seen.Add(property.Name)) errors[property.Name] = [$"'{property.Name}' is given twice."];
                else if (!fields.Contains(property.Name)) errors[property.Name] = [$"Unknown field '{property.Name}'; the fields are {string.Join(", ", fields)}."];
                else if (property.Value.ValueKind == JsonValueKind.Null) continue;
                else if (property.Value.ValueKind != JsonValueKind.String) errors[property.Name] = [$"{property.Name} must be a string."];
                else if (HasControlCharacters(property.Value.GetString()!)) errors[property.Name] = [ControlCharacterMessage];
                else values[property.Name] = property.Value.GetString()!;
            }
            return errors.Count > 0 ? null : values;
        }
        catch (JsonException e)
        {
            errors["body"] = [$"The body is not valid JSON: {e.Message}"];
            return null;
        }
    }
}
