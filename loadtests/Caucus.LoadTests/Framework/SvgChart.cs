using System.Globalization;
using System.Net;
using System.Text;

namespace Caucus.LoadTests.Framework;

/// <summary>A line chart as SVG text: a polyline per series, axes, grid, labels and a legend.</summary>
public static class SvgChart
{
    public sealed record Series(string Name, string Color, IReadOnlyList<(double X, double Y)> Points, bool Thin = false);

    private static readonly string[] Palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2"];

    public static string Color(int index) => Palette[index % Palette.Length];

    public static string LineChart(string title, string xLabel, string yLabel, IReadOnlyList<Series> series, double? limitY = null,
        int width = 860, int height = 380)
    {
        static string F(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);
        const int left = 64, right = 180, top = 36, bottom = 44;
        int plotW = width - left - right, plotH = height - top - bottom;
        var points = series.SelectMany(s => s.Points).Where(p => double.IsFinite(p.Y)).ToList();
        double xMin = points.Count == 0 ? 0 : Math.Min(0, points.Min(p => p.X));
        double xMax = Math.Max(points.Count == 0 ? 1 : points.Max(p => p.X), xMin + 1);
        var yMax = NiceCeiling(Math.Max(points.Count == 0 ? 1 : points.Max(p => p.Y), limitY ?? 0) * 1.05);
        double X(double x) => left + (x - xMin) / (xMax - xMin) * plotW;
        double Y(double y) => top + plotH - Math.Clamp(y, 0, yMax) / yMax * plotH;

        var svg = new StringBuilder();
        svg.AppendLine(CultureInfo.InvariantCulture, $"""<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">""");
        svg.AppendLine("""<rect width="100%" height="100%" fill="white"/>""");
        svg.AppendLine(CultureInfo.InvariantCulture, $"""<text x="{left}" y="20" font-size="14" font-weight="bold">{Escape(title)}</text>""");
        for (var i = 0; i <= 5; i++)
        {
            var y = yMax * i / 5;
            svg.AppendLine(CultureInfo.InvariantCulture, $"""<line x1="{left}" x2="{left + plotW}" y1="{F(Y(y))}" y2="{F(Y(y))}" stroke="#ddd"/>""");
            svg.AppendLine(CultureInfo.InvariantCulture, $"""<text x="{left - 6}" y="{F(Y(y) + 4)}" text-anchor="end">{F(y)}</text>""");
        }
        var xStep = NiceCeiling((xMax - xMin) / 8);
        for (var x = Math.Ceiling(xMin / xStep) * xStep; x <= xMax + 1e-9; x += xStep)
        {
            svg.AppendLine(CultureInfo.InvariantCulture, $"""<line x1="{F(X(x))}" x2="{F(X(x))}" y1="{top + plotH}" y2="{top + plotH + 4}" stroke="#333"/>""");
            svg.AppendLine(CultureInfo.InvariantCulture, $"""<text x="{F(X(x))}" y="{top + plotH + 18}" text-anchor="middle">{F(x)}</text>""");
        }
        svg.AppendLine(CultureInfo.InvariantCulture, $"""<line x1="{left}" x2="{left}" y1="{top}" y2="{top + plotH}" stroke="#333"/>""");
        svg.AppendLine(CultureInfo.InvariantCulture, $"""<line x1="{left}" x2="{left + plotW}" y1="{top + plotH}" y2="{top + plotH}" stroke="#333"/>""");
        svg.AppendLine(CultureInfo.InvariantCulture, $"""<text x="{left + plotW / 2}" y="{height - 8}" text-anchor="middle">{Escape(xLabel)}</text>""");
        svg.AppendLine(CultureInfo.InvariantCulture, $"""<text x="14" y="{top + plotH / 2}" text-anchor="middle" transform="rotate(-90 14 {top + plotH / 2})">{Escape(yLabel)}</text>""");
        if (limitY is { } limit)
        {
            svg.AppendLine(CultureInfo.InvariantCulture, $"""<line x1="{left}" x2="{left + plotW}" y1="{F(Y(limit))}" y2="{F(Y(limit))}" stroke="#d62728" stroke-dasharray="6 4"/>""");
        }
        var legendY = top;
        foreach (var s in series)
        {
            // A gap in the data (a bucket with no answers) breaks the line rather than bridging it.
            foreach (var run in Runs(s.Points))
            {
                if (run.Count == 1)
                {
                    svg.AppendLine(CultureInfo.InvariantCulture, $"""<circle cx="{F(X(run[0].X))}" cy="{F(Y(run[0].Y))}" r="2" fill="{s.Color}"/>""");
                    continue;
                }
                var path = string.Join(' ', run.Select(p => $"{F(X(p.X))},{F(Y(p.Y))}"));
                svg.AppendLine(CultureInfo.InvariantCulture, $"""<polyline fill="none" stroke="{s.Color}" stroke-width="{(s.Thin ? 1 : 2)}"{(s.Thin ? " stroke-opacity=\"0.6\"" : "")} points="{path}"/>""");
            }
            svg.AppendLine(CultureInfo.InvariantCulture, $"""<line x1="{left + plotW + 12}" x2="{left + plotW + 32}" y1="{legendY + 6}" y2="{legendY + 6}" stroke="{s.Color}" stroke-width="{(s.Thin ? 1 : 2)}"/>""");
            svg.AppendLine(CultureInfo.InvariantCulture, $"""<text x="{left + plotW + 38}" y="{legendY + 10}">{Escape(s.Name)}</text>""");
            legendY += 18;
        }
        if (limitY is not null)
        {
            svg.AppendLine(CultureInfo.InvariantCulture, $"""<line x1="{left + plotW + 12}" x2="{left + plotW + 32}" y1="{legendY + 6}" y2="{legendY + 6}" stroke="#d62728" stroke-dasharray="6 4"/>""");
            svg.AppendLine(CultureInfo.InvariantCulture, $"""<text x="{left + plotW + 38}" y="{legendY + 10}">limit</text>""");
        }
        svg.AppendLine("</svg>");
        return svg.ToString();
    }

    private static IEnumerable<List<(double X, double Y)>> Runs(IReadOnlyList<(double X, double Y)> points)
    {
        var run = new List<(double X, double Y)>();
        foreach (var p in points)
        {
            if (double.IsFinite(p.Y)) { run.Add(p); continue; }
            if (run.Count > 0) yield return run;
            run = [];
        }
        if (run.Count > 0) yield return run;
    }

    private static double NiceCeiling(double v)
    {
        if (!(v > 0)) return 1;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(v)));
        foreach (var step in new[] { 1, 2, 2.5, 5, 10 })
        {
            if (step * magnitude >= v) return step * magnitude;
        }
        return 10 * magnitude;
    }

    private static string Escape(string text) => WebUtility.HtmlEncode(text);
}
