namespace Caucus.Api.Infrastructure;

/// <summary>
/// Security headers on every response (pages, scripts and API answers alike). The pages have no inline
/// script or style and load nothing from elsewhere, so the policy can say 'self' everywhere; frames are
/// refused so no other site can dress the hotline console up for click-jacking; no referrer leaves the page.
/// (Kestrel's Server header is off, in Program.cs.)
/// </summary>
public static class SecurityHeaders
{
    // blob: images: the admin page shows worksheet photos it fetched with the admin's token (admin-photos.js).
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; " +
        "frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

    /// <summary>API answers are data, never a document to render: nothing may load, nothing may frame them.</summary>
    public const string ApiContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        // Set when the response starts, so error pages and short-circuited answers carry them too.
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = IsApi(context.Request.Path) ? ApiContentSecurityPolicy : ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            return Task.CompletedTask;
        });
        return next(context);
    });

    private static bool IsApi(PathString path) =>
        path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase) || path.StartsWithSegments("/healthz", StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments("/openapi", StringComparison.OrdinalIgnoreCase);
}
