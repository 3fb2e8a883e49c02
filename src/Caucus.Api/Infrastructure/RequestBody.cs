using System.Text;

namespace Caucus.Api.Infrastructure;

/// <summary>
/// A request body read as text, at most the limit; <see cref="TooLarge"/> when the body went past it;
/// <see cref="Invalid"/> says why a body is not text at all (not UTF-8, or a NUL byte). <see cref="Text"/> can
/// always be stored for the audit trail: bytes that are not text are kept as U+FFFD.
/// </summary>
public sealed record BodyText(string Text, bool TooLarge, string? Invalid = null);

/// <summary>
/// Reads a request body as text up to a limit (413 past it). A body over the limit is cut at the limit,
/// never read whole, so that even a refused oversized submission leaves its beginning for the audit trail.
/// </summary>
public static class RequestBody
{
    public const int ReportLimitBytes = 64 * 1024;

    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static async Task<BodyText> ReadTextAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        var tooLarge = request.ContentLength > limit;
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            var room = limit - (int)buffer.Length;
            buffer.Write(chunk, 0, Math.Min(read, room));
            if (read > room)
            {
                tooLarge = true;
                break;
            }
        }
        var bytes = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);
        if (tooLarge) return new BodyText(Storable(Encoding.UTF8.GetString(bytes)), true); // cut anywhere, even inside a character
        string text;
        string? invalid = null;
        try
        {
            text = Strict.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            text = Encoding.UTF8.GetString(bytes);
            invalid = "The body is not valid UTF-8 text.";
        }
        if (text.Contains('\0', StringComparison.Ordinal))
        {
            invalid ??= "The body holds a NUL byte.";
        }
        return new BodyText(Storable(text), false, invalid);
    }

    /// <summary>PostgreSQL's text cannot hold NUL: kept as U+FFFD, like the bytes that are not UTF-8.</summary>
    private static string Storable(string text) => text.Replace('\0', '\uFFFD');
}
