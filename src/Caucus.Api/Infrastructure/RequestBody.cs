using System.Text;

namespace Caucus.Api.Infrastructure;

/// <summary>
/// A request body read as text, at most the limit; <see cref="TooLarge"/> when the body went past it;
/// <see cref="Invalid"/> says why a body is not text at all (not UTF-8, or a NUL byte). <see cref="Text"/> can
/// always be stored for the audit trail: bytes that are not text are kept as U+FFFD.
/// </summary>
public sealed record BodyText(string Text, bool TooLarge, string? Invalid = null);

/// <summary>
/// A request body as the bytes that arrived, at most the limit. The bytes, not the text, are what the audit keeps
/// and hashes; <see cref="Text"/> is their UTF-8 reading (a malformed byte or a NUL reads as U+FFFD, so it can be
/// stored anywhere) and <see cref="Invalid"/> says why the body is not text at all.
/// </summary>
public sealed record BodyBytes
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public BodyBytes(byte[] bytes, bool tooLarge)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        Bytes = bytes;
        TooLarge = tooLarge;
        string text;
        if (tooLarge)
        {
            text = Encoding.UTF8.GetString(bytes); // cut anywhere, even inside a character
        }
        else
        {
            try
            {
                text = Strict.GetString(bytes);
            }
            catch (DecoderFallbackException)
            {
                text = Encoding.UTF8.GetString(bytes);
                Invalid = "The body is not valid UTF-8 text.";
            }
            if (text.Contains('\0', StringComparison.Ordinal)) Invalid ??= "The body holds a NUL byte.";
        }
        // PostgreSQL's text cannot hold NUL: kept as U+FFFD, like the bytes that are not UTF-8.
        Text = text.Replace('\0', '\uFFFD');
    }

    public byte[] Bytes { get; }

    public bool TooLarge { get; }

    public string Text { get; }

    public string? Invalid { get; }
}

/// <summary>
/// Reads a request body up to a limit (413 past it). A body over the limit is cut at the limit, never read whole,
/// so that even a refused oversized submission leaves its beginning for the audit trail.
/// </summary>
public static class RequestBody
{
    /// <summary>
    /// The most a report body may be, every byte counted (white space too). A real precinct report is under 2 KB; one
    /// with every group in first, final and reportedDelegates and a 2,000-character note written entirely as \uXXXX
    /// escapes (12,000 bytes) fits with room. It was 64 KiB until a padded report showed what that cost: each
    /// accepted one is stored, and read back by every audit page that holds it (issue 19, case 4).
    /// </summary>
    public const int ReportLimitBytes = 16 * 1024;

    /// <summary>The 413's detail, naming the limit.</summary>
    public static string ReportTooLargeDetail { get; } =
        $"A report body may be at most {ReportLimitBytes} bytes (16 KiB), white space included; a precinct report is under 2 KB.";

    public static async Task<BodyText> ReadTextAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        var body = await ReadBytesAsync(request, limit, cancellationToken);
        return new BodyText(body.Text, body.TooLarge, body.Invalid);
    }

    public static async Task<BodyBytes> ReadBytesAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
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
        return new BodyBytes(buffer.ToArray(), tooLarge);
    }
}
