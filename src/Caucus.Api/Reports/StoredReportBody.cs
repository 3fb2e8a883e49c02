using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Caucus.Api.Reports;

/// <summary>
/// What an accepted report's body is stored as (issue 19, case 4): <see cref="Text"/>, the text the follower parses,
/// minified (the parsed document written again without white space), and <see cref="ExactBytes"/>, the bytes as they
/// arrived, only where they differ from it (white space between tokens, an escape written another way). A body padded
/// with white space to the report limit is therefore stored as its few hundred bytes of text plus the padded bytes
/// once, not as the padded text and the padded bytes.
/// </summary>
public sealed record StoredReportBody(string Text, byte[]? ExactBytes)
{
    /// <summary>
    /// Relaxed escaping keeps a note's accents and quotes readable in the audit trail; the text is only ever read back
    /// as JSON (the follower, the audit document), never written into a page unescaped.
    /// </summary>
    private static readonly JsonWriterOptions Compact = new() { Indented = false, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The stored form of a body the parser accepted: <paramref name="text"/> is its UTF-8 reading of <paramref name="bytes"/>.</summary>
    public static StoredReportBody Of(ReadOnlySpan<byte> bytes, string text)
    {
        using var document = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 8 });
        var buffer = new ArrayBufferWriter<byte>(Math.Max(256, Math.Min(bytes.Length, 4096)));
        using (var writer = new Utf8JsonWriter(buffer, Compact))
        {
            document.RootElement.WriteTo(writer);
        }
        var minified = buffer.WrittenSpan;
        return new StoredReportBody(Encoding.UTF8.GetString(minified), minified.SequenceEqual(bytes) ? null : bytes.ToArray());
    }
}
