using Microsoft.Net.Http.Headers;

namespace Caucus.Api.Infrastructure;

/// <summary>
/// Conditional GETs of versioned reads: ETag = the results version, and 304 when the client already holds it; and
/// the one place that says how long a cache may keep them.
/// </summary>
public static class ETags
{
    /// <summary>
    /// Sets <paramref name="etag"/> and the <c>Cache-Control</c> (<see cref="SetCacheControl"/>) and says whether
    /// If-None-Match names it. <paramref name="publicDocument"/>: one of the public documents (results, a county's, a
    /// precinct's, flags, the projection) that a shared cache may keep when <c>Caucus:PublicResults</c> is on.
    /// </summary>
    public static bool NotModified(HttpContext context, string etag, bool publicDocument = false)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.Headers.ETag = etag;
        SetCacheControl(context, publicDocument);
        var ifNoneMatch = context.Request.Headers.IfNoneMatch;
        return ifNoneMatch.Count > 0 && EntityTagHeaderValue.TryParseList(ifNoneMatch, out var tags)
            && tags.Any(t => t.Tag == etag || t.Tag == "*");
    }

    /// <summary>
    /// <c>no-cache</c> (any cache revalidates every time), except for a public document asked without a token while
    /// <c>Caucus:PublicResults</c> is on: <c>public, max-age=N, stale-while-revalidate=M, stale-if-error=K</c>
    /// (<see cref="PublicCacheOptions"/>), so a shared cache in front absorbs the public's reads and keeps serving the
    /// last results if the API stops. A request with a token is answered <c>private, no-cache</c>: what a credential
    /// reads may be its own (a precinct credential sees its precinct's note), so no shared cache may store it. Either
    /// way <c>Vary: Authorization</c>, so no cache hands the anonymous answer to a request with a token or back.
    /// </summary>
    public static void SetCacheControl(HttpContext context, bool publicDocument)
    {
        ArgumentNullException.ThrowIfNull(context);
        var options = publicDocument ? context.RequestServices.GetRequiredService<CaucusOptions>() : null;
        if (options is not { PublicResults: true })
        {
            context.Response.Headers.CacheControl = "no-cache";
            return;
        }
        context.Response.Headers.Append(HeaderNames.Vary, HeaderNames.Authorization);
        context.Response.Headers.CacheControl = context.Request.Headers.Authorization.Count == 0 ? options.PublicCache.CacheControl() : "private, no-cache";
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
