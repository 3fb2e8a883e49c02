using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Caucus.LoadTests;

/// <summary>
/// A line chart written as a PNG with nothing but the BCL: an RGB canvas, Bresenham lines, a 3×5 pixel font
/// for the labels, and a PNG encoder (zlib via <see cref="ZLibStream"/>, CRC-32 by table).
/// </summary>
internal static class PngChart
{
    public sealed record Series(string Name, (byte R, byte G, byte B) Color, IReadOnlyList<(double X, double Y)> Points, bool Thin = false);

    public static byte[] LineChart(string title, string xLabel, string yLabel, IReadOnlyList<Series> series, double? limitY = null,
        int width = 800, int height = 360)
    {
        var c = new Canvas(width, height);
        c.Fill(0, 0, width, height, (255, 255, 255));
        const int left = 64, right = 16, top = 34, bottom = 40;
        int plotW = width - left - right, plotH = height - top - bottom;

        var xs = series.SelectMany(s => s.Points).Select(p => p.X).DefaultIfEmpty(0).ToArray();
        var ys = series.SelectMany(s => s.Points).Select(p => p.Y).Where(double.IsFinite).DefaultIfEmpty(1).ToArray();
        double xMin = Math.Min(0, xs.Min()), xMax = Math.Max(xs.Max(), xMin + 1);
        var yMax = NiceCeiling(Math.Max(ys.Max(), limitY ?? 0) * 1.1);
        int X(double x) => left + (int)Math.Round((x - xMin) / (xMax - xMin) * plotW);
        int Y(double y) => top + plotH - (int)Math.Round(Math.Clamp(y, 0, yMax) / yMax * plotH);

        // Grid and axis labels.
        const int gridLines = 5;
        for (var i = 0; i <= gridLines; i++)
        {
            var v = yMax * i / gridLines;
            var y = Y(v);
            c.Line(left, y, left + plotW, y, (225, 225, 225));
            var label = Format(v);
            c.Text(left - 6 - TextWidth(label, 2), y - 5, label, (60, 60, 60), 2);
        }
        var xStep = Math.Max(1, NiceCeiling((xMax - xMin) / 10));
        for (var x = Math.Ceiling(xMin / xStep) * xStep; x <= xMax + 1e-9; x += xStep)
        {
            var px = X(x);
            c.Line(px, top, px, top + plotH, (235, 235, 235));
            var label = Format(x);
            c.Text(px - TextWidth(label, 2) / 2, top + plotH + 6, label, (60, 60, 60), 2);
        }
        c.Line(left, top, left, top + plotH, (0, 0, 0));
        c.Line(left, top + plotH, left + plotW, top + plotH, (0, 0, 0));
        c.Text(left, 8, title, (0, 0, 0), 2);
        c.Text(left + plotW - TextWidth(xLabel, 2), height - 14, xLabel, (60, 60, 60), 2);
        c.Text(4, top - 14, yLabel, (60, 60, 60), 2);

        if (limitY is { } limit)
        {
            var y = Y(limit);
            for (var x = left; x < left + plotW; x += 8) c.Line(x, y, Math.Min(x + 4, left + plotW), y, (220, 0, 0));
        }

        // Series, then a legend along the top right.
        foreach (var s in series)
        {
            var points = s.Points.Where(p => double.IsFinite(p.Y)).ToArray();
            for (var i = 1; i < points.Length; i++)
            {
                c.Line(X(points[i - 1].X), Y(points[i - 1].Y), X(points[i].X), Y(points[i].Y), s.Color, s.Thin ? 1 : 2);
            }
            foreach (var p in points) c.Fill(X(p.X) - 2, Y(p.Y) - 2, 5, 5, s.Color);
        }
        var lx = left + plotW;
        foreach (var s in series.Reverse())
        {
            lx -= TextWidth(s.Name, 2) + 28;
            c.Fill(lx, 12, 14, 6, s.Color);
            c.Text(lx + 18, 10, s.Name, (0, 0, 0), 2);
        }
        return c.EncodePng();
    }

    private static string Format(double v) =>
        v >= 100 || v == Math.Floor(v) ? v.ToString("0") : v >= 10 ? v.ToString("0.#") : v.ToString("0.##");

    private static double NiceCeiling(double v)
    {
        if (v <= 0 || !double.IsFinite(v)) return 1;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(v)));
        foreach (var step in new[] { 1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10 })
        {
            if (step * magnitude >= v) return step * magnitude;
        }
        return 10 * magnitude;
    }

    private static int TextWidth(string text, int scale) => text.Length * 4 * scale;

    private sealed class Canvas(int width, int height)
    {
        private readonly byte[] rgb = new byte[width * height * 3];

        public void Set(int x, int y, (byte R, byte G, byte B) color)
        {
            if ((uint)x >= (uint)width || (uint)y >= (uint)height) return;
            var i = (y * width + x) * 3;
            rgb[i] = color.R; rgb[i + 1] = color.G; rgb[i + 2] = color.B;
        }

        public void Fill(int x, int y, int w, int h, (byte R, byte G, byte B) color)
        {
            for (var yy = y; yy < y + h; yy++)
                for (var xx = x; xx < x + w; xx++) Set(xx, yy, color);
        }

        public void Line(int x0, int y0, int x1, int y1, (byte R, byte G, byte B) color, int thickness = 1)
        {
            int dx = Math.Abs(x1 - x0), dy = -Math.Abs(y1 - y0), sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1, err = dx + dy;
            while (true)
            {
                for (var t = 0; t < thickness; t++) { Set(x0, y0 + t, color); Set(x0 + t, y0, color); }
                if (x0 == x1 && y0 == y1) break;
                var e2 = 2 * err;
                if (e2 >= dy) { err += dy; x0 += sx; }
                if (e2 <= dx) { err += dx; y0 += sy; }
            }
        }

        public void Text(int x, int y, string text, (byte R, byte G, byte B) color, int scale)
        {
            foreach (var ch in text.ToLowerInvariant())
            {
                if (Font.TryGetValue(ch, out var rows))
                {
                    for (var r = 0; r < 5; r++)
                        for (var col = 0; col < 3; col++)
                            if (rows[r * 3 + col] == '#') Fill(x + col * scale, y + r * scale, scale, scale, color);
                }
                x += 4 * scale;
            }
        }

        public byte[] EncodePng()
        {
            using var png = new MemoryStream();
            png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
            var header = new byte[13];
            BinaryPrimitives.WriteInt32BigEndian(header, width);
            BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
            header[8] = 8;  // bits per channel
            header[9] = 2;  // colour type: RGB
            Chunk(png, "IHDR", header);
            using (var raw = new MemoryStream())
            {
                using (var z = new ZLibStream(raw, CompressionLevel.SmallestSize, leaveOpen: true))
                {
                    for (var y = 0; y < height; y++)
                    {
                        z.WriteByte(0); // filter: none
                        z.Write(rgb, y * width * 3, width * 3);
                    }
                }
                Chunk(png, "IDAT", raw.ToArray());
            }
            Chunk(png, "IEND", []);
            return png.ToArray();
        }

        private static void Chunk(Stream s, string type, byte[] data)
        {
            Span<byte> four = stackalloc byte[4];
            BinaryPrimitives.WriteInt32BigEndian(four, data.Length);
            s.Write(four);
            var typeBytes = Encoding.ASCII.GetBytes(type);
            s.Write(typeBytes);
            s.Write(data);
            var crc = Crc32.Update(Crc32.Update(0xFFFFFFFFu, typeBytes), data) ^ 0xFFFFFFFFu;
            BinaryPrimitives.WriteUInt32BigEndian(four, crc);
            s.Write(four);
        }
    }

    private static class Crc32
    {
        private static readonly uint[] Table = Enumerable.Range(0, 256).Select(n =>
        {
            var c = (uint)n;
            for (var k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            return c;
        }).ToArray();

        public static uint Update(uint crc, ReadOnlySpan<byte> data)
        {
            foreach (var b in data) crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
            return crc;
        }
    }

    /// <summary>3×5 glyphs, row by row ('#' = ink). Letters share one case.</summary>
    private static readonly Dictionary<char, string> Font = new()
    {
        ['0'] = "####.##.##.####", ['1'] = ".#.##..#..#.###", ['2'] = "###..#####..###", ['3'] = "###..####..####",
        ['4'] = "#.##.####..#..#", ['5'] = "####..###..####", ['6'] = "####..####.####", ['7'] = "###..#..#..#..#",
        ['8'] = "####.#####.####", ['9'] = "####.####..####", ['.'] = "............#..", ['-'] = "......###......",
        ['/'] = "..#..#.#.#..#..", ['('] = ".#.#..#..#...#.", [')'] = ".#...#..#..#.#.", [':'] = "....#.....#....",
        ['%'] = "#.#..#.#.#..#.#", ['='] = "...###...###...", [','] = "..........#.#..", [' '] = "...............",
        ['a'] = ".#.#.#####.##.#", ['b'] = "##.#.###.#.###.", ['c'] = "####..#..#..###", ['d'] = "##.#.##.##.###.",
        ['e'] = "####..##.#..###", ['f'] = "####..##.#..#..", ['g'] = "####..#.##.####", ['h'] = "#.##.#####.##.#",
        ['i'] = "###.#..#..#.###", ['j'] = "..#..#..##.####", ['k'] = "#.##.###.#.##.#", ['l'] = "#..#..#..#..###",
        ['m'] = "#.########.##.#", ['n'] = "##.#.##.##.##.#", ['o'] = ".#.#.##.##.#.#.", ['p'] = "####.#####..#..",
        ['q'] = "####.##.####..#", ['r'] = "##.#.###.#.##.#", ['s'] = ".###...#...###.", ['t'] = "###.#..#..#..#.",
        ['u'] = "#.##.##.##.####", ['v'] = "#.##.##.##.#.#.", ['w'] = "#.##.########.#", ['x'] = "#.##.#.#.#.##.#",
        ['y'] = "#.##.#.#..#..#.", ['z'] = "###..#.#.#..###",
    };
}
