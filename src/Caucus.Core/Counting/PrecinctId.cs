namespace Caucus.Core.Counting;

/// <summary>
/// A precinct's or satellite's stable id, a slug such as <c>adair/1nw-adair</c>. Compared ordinally:
/// ids are data, never display text. Serialised as its plain string.
/// </summary>
[System.Text.Json.Serialization.JsonConverter(typeof(PrecinctIdJsonConverter))]
public readonly record struct PrecinctId(string Value)
{
    public override string ToString() => Value;
}

internal sealed class PrecinctIdJsonConverter : System.Text.Json.Serialization.JsonConverter<PrecinctId>
{
    public override PrecinctId Read(ref System.Text.Json.Utf8JsonReader reader, Type typeToConvert, System.Text.Json.JsonSerializerOptions options) =>
        new(reader.GetString() ?? throw new System.Text.Json.JsonException("A precinct id must be a string."));

    public override void Write(System.Text.Json.Utf8JsonWriter writer, PrecinctId value, System.Text.Json.JsonSerializerOptions options) =>
        writer.WriteStringValue(value.Value);
}
