using System.Text;

namespace Caucus.Api.Infrastructure;

/// <summary>A request body read as text, at most the limit; <see cref="TooLarge"/> when the body went past it.</summary>
public sealed record BodyText(string Text, bool TooLarge);

/// <summary>
/// A request body as the bytes that arrived, at most the limit; <see cref="Text"/> is their UTF-8 reading (a malformed
/// byte reads as U+FFFD, so the bytes, not the text, are what the audit keeps and hashes).
/// </summary>
public sealed record BodyBytes(byte[] Bytes, bool TooLarge)
{
    public string Text { get; } = Encoding.UTF8.GetString(Bytes);
}

/// <summary>
/// Reads a request body as text up to a limit (413 past it). A body over the limit is cut at the limit,
/// never read whole, so that even a refused oversized submission leaves its beginning for the audit trail.
/// </summary>
public static class RequestBody
{
    public const int ReportLimitBytes = 64 * 1024;

    public static async Task<BodyText> ReadTextAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        var body = await ReadBytesAsync(request, limit, cancellationToken);
        return new BodyText(body.Text, body.TooLarge);
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
