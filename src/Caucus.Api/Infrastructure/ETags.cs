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

    /// <summary>
    /// The results version an If-Match header names: <c>"1775"</c> (a weak <c>W/"1775"</c> too), the ETag of the
    /// results the admin looked at. Null when the header is absent or <c>*</c> (which names no version); false when it
    /// is not one version.
    /// </summary>
    public static bool TryReadIfMatch(HttpContext context, out long? version)
    {
        ArgumentNullException.ThrowIfNull(context);
        version = null;
        var ifMatch = context.Request.Headers.IfMatch;
        if (ifMatch.Count == 0) return true;
        if (!EntityTagHeaderValue.TryParseList(ifMatch, out var tags) || tags.Count != 1) return false;
        var tag = tags[0];
        if (tag.Tag == "*") return true;
        if (!long.TryParse(tag.Tag.AsSpan().Trim('"'), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var parsed))
        {
            return false;
        }
        version = parsed;
        return true;
    }
}
