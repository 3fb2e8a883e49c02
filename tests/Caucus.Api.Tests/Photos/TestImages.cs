using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Caucus.Api.Tests.Photos;

/// <summary>Small real images for the photo tests: a PNG a browser can draw (with a text chunk a phone might write) and a JPEG's structure with EXIF.</summary>
public static class TestImages
{
    public const string Secret = "GPS 41.5868 -93.6250 captain's phone";

    /// <summary>A striped RGB PNG like a photographed sheet of lines, with a tEXt chunk holding <see cref="Secret"/>.</summary>
    public static byte[] Png(int width = 320, int height = 200, bool withText = true)
    {
        using var output = new MemoryStream();
        output.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bit depth
        header[9] = 2; // truecolour
        Chunk(output, "IHDR", header);
        if (withText) Chunk(output, "tEXt", Encoding.Latin1.GetBytes("Comment\0" + Secret));
        using var pixels = new MemoryStream();
        using (var z = new ZLibStream(pixels, CompressionLevel.Fastest, leaveOpen: true))
        {
            for (var y = 0; y < height; y++)
            {
                z.WriteByte(0);
                for (var x = 0; x < width; x++)
                {
                    var ink = y % 20 == 0 || (x > 40 && x < 60 && y % 20 < 12);
                    byte v = ink ? (byte)40 : (byte)245;
                    z.Write([v, v, (byte)(ink ? 120 : 240)]);
                }
            }
        }
        Chunk(output, "IDAT", pixels.ToArray());
        Chunk(output, "IEND", []);
        return output.ToArray();
    }

    /// <summary>A JPEG's segments: SOI, APP0 (JFIF), APP1 (EXIF holding <see cref="Secret"/>), a comment, SOS with scan bytes, EOI.</summary>
    public static byte[] JpegWithExif()
    {
        using var output = new MemoryStream();
        output.Write([0xFF, 0xD8]);
        Segment(output, 0xE0, Encoding.ASCII.GetBytes("JFIF\0\u0001\u0001\0\0\u0001\0\u0001\0\0"));
        Segment(output, 0xE1, Encoding.ASCII.GetBytes("Exif\0\0" + Secret));
        Segment(output, 0xFE, Encoding.ASCII.GetBytes("taken by " + Secret));
        Segment(output, 0xDA, [1, 1, 0, 0, 63, 0]);
        output.Write([0x12, 0x34, 0x56, 0xFF, 0x00, 0x78]);
        output.Write([0xFF, 0xD9]);
        return output.ToArray();
    }

    private static void Segment(System.IO.Stream output, byte marker, byte[] data)
    {
        output.Write([0xFF, marker]);
        var length = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(length, (ushort)(data.Length + 2));
        output.Write(length);
        output.Write(data);
    }

    private static void Chunk(System.IO.Stream output, string type, byte[] data)
    {
        var length = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        output.Write(length);
        var typed = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        output.Write(typed);
        var crc = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32(typed));
        output.Write(crc);
    }

    private static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
        }
        return ~crc;
    }
}
