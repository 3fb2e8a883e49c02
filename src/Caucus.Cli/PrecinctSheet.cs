using System.Net;
using System.Text;
using QRCoder;

namespace Caucus.Cli;

/// <summary>
/// The printable credentials sheet: one precinct a printed page, its name, county and D, and its report-page
/// link as a QR code for the captain's phone (and as text, for typing when a camera fails). The QR codes are
/// PNG data URIs: SVG would draw each module as its own element, some 40 MB for Iowa's 1,765 precincts.
/// </summary>
public sealed class PrecinctSheet : IDisposable
{
    private readonly QRCodeGenerator _generator = new();
    private readonly StringBuilder _html = new();
    private int _count;

    public PrecinctSheet(string title)
    {
        _html.Append($$"""
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>{{WebUtility.HtmlEncode(title)}}</title>
            <style>
              body { font-family: system-ui, sans-serif; margin: 0; }
              section { page-break-after: always; break-after: page; padding: 2cm; text-align: center; }
              h1 { font-size: 28pt; margin: 0 0 .2em; }
              .county { font-size: 18pt; margin: 0; }
              img { width: 9cm; height: 9cm; image-rendering: pixelated; margin: 1cm auto; display: block; }
              .link { font-family: ui-monospace, monospace; font-size: 9pt; word-break: break-all; }
              .text code { font-size: 12pt; word-break: break-all; }
            </style>
            </head>
            <body>

            """);
    }

    public int Count => _count;

    /// <param name="text">The precinct's text-message template (its code, then blanks for the numbers), or null to leave it out.</param>
    public void Add(string county, string name, int delegates, string kind, string link, string? text = null)
    {
        using var code = _generator.CreateQrCode(link, QRCodeGenerator.ECCLevel.M);
        var png = new PngByteQRCode(code).GetGraphic(8);
        var satellite = kind == "satellite" ? " · satellite caucus" : "";
        _html.Append($"""
            <section data-precinct-link="{WebUtility.HtmlEncode(link)}">
              <h1>{WebUtility.HtmlEncode(name)}</h1>
              <p class="county">{WebUtility.HtmlEncode(county)} · {delegates} delegate{(delegates == 1 ? "" : "s")}{satellite}</p>
              <img src="data:image/png;base64,{Convert.ToBase64String(png)}" alt="QR code: the report page for {WebUtility.HtmlEncode(name)}">
              <p>Scan with your phone's camera to open your precinct's report page. Keep this sheet private: it is your credential.</p>
              <p class="link">{WebUtility.HtmlEncode(link)}</p>
              {(text is null ? "" : $"<p class=\"text\">No signal for the page? From your registered phone, text the numbers:<br><code>{WebUtility.HtmlEncode(text)}</code><br>(T and the winner's code for a game of chance), then reply YES to the read-back.</p>")}
            </section>

            """);
        _count++;
    }

    public async Task WriteAsync(string path, CancellationToken cancellationToken) =>
        await File.WriteAllTextAsync(path, _html + "</body>\n</html>\n", cancellationToken);

    public void Dispose() => _generator.Dispose();
}
