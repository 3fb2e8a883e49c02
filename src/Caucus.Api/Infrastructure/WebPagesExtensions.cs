using Microsoft.Net.Http.Headers;

namespace Caucus.Api.Infrastructure;

/// <summary>
/// The pages in wwwroot: the war room at /, the hotline console at /hotline, the report page at /report,
/// the admin page (review queue, corrections, certification) at /admin.
/// Plain files (HTML, CSS and JavaScript modules), no server-side rendering; the county map is GET /api/v1/election/map.
/// </summary>
public static class WebPagesExtensions
{
    private static readonly Dictionary<string, string> Pages = new(StringComparer.OrdinalIgnoreCase)
    {
        ["/admin"] = "/admin.html",
        ["/hotline"] = "/hotline.html",
        ["/report"] = "/report.html",
    };

    public static IApplicationBuilder UseWebPages(this IApplicationBuilder app)
    {
        // The pages' short addresses are the files themselves; nothing else falls back to a page,
        // so an unknown path stays a 404 and API paths are never answered with HTML.
        app.Use((context, next) =>
        {
            if (context.Request.Path.HasValue && Pages.TryGetValue(context.Request.Path.Value, out var file))
            {
                context.Request.Path = file;
            }
            return next(context);
        });
        app.UseDefaultFiles();
        return app.UseStaticFiles(new StaticFileOptions
        {
            // Revalidate every time: a page and its modules must never mix versions after a deploy.
            OnPrepareResponse = file => file.Context.Response.Headers[HeaderNames.CacheControl] = "no-cache",
        });
    }
}
