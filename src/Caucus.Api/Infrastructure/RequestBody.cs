using System.Text;

namespace Caucus.Api.Infrastructure;

/// <summary>Reads a request body as text, refusing one over <paramref name="limit"/> bytes (413) before reading it all.</summary>
public static class RequestBody
{
    public const int ReportLimitBytes = 64 * 1024;

    /// <returns>The text, or null when the body is larger than the limit.</returns>
    public static async Task<string?> ReadTextAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ContentLength > limit) return null;
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit) return null;
            buffer.Write(chunk, 0, read);
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
