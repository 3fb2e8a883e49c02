using Microsoft.Net.Http.Headers;

namespace Caucus.Api.Infrastructure;

/// <summary>Conditional GETs of versioned reads: ETag = the results version, and 304 when the client already holds it.</summary>
public static class ETags
{
    /// <summary>Sets <paramref name="etag"/> (with no-cache: revalidate every time) and says whether If-None-Match names it.</summary>
    public static bool NotModified(HttpContext context, string etag)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.Headers.ETag = etag;
        context.Response.Headers.CacheControl = "no-cache";
        var ifNoneMatch = context.Request.Headers.IfNoneMatch;
        return ifNoneMatch.Count > 0 && EntityTagHeaderValue.TryParseList(ifNoneMatch, out var tags)
            && tags.Any(t => t.Tag == etag || t.Tag == "*");
    }
}
