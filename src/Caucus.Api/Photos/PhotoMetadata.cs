using System.Buffers.Binary;

namespace Caucus.Api.Photos;

/// <summary>
/// Strips what a phone writes into a photo beyond the picture: EXIF (where and when it was taken, the device), XMP,
/// comments, text chunks. A worksheet photo is kept to check numbers against, and the captain's location is none of
/// headquarters' business. The picture's own data is copied byte for byte. A file whose structure does not hold
/// (a segment running past the end) is refused, not guessed at. Orientation goes with EXIF, so a photo may show
/// turned: the admin page lets the reader turn it.
/// </summary>
public static class PhotoMetadata
{
    /// <summary>The photo without its metadata, or null when its structure is broken.</summary>
    public static byte[]? Strip(PhotoType type, byte[] bytes) => type switch
    {
        PhotoType.Jpeg => Jpeg(bytes),
        PhotoType.Png => Png(bytes),
        _ => Webp(bytes),
    };

    /// <summary>
    /// JPEG: keeps SOI, APP0 (JFIF), APP14 (Adobe: the colour transform the picture needs) and every non-APP segment up
    /// to the start of scan, then the rest verbatim; drops APP1–APP13, APP15 (EXIF, XMP, ICC comments, maker data) and COM.
    /// </summary>
    private static byte[]? Jpeg(byte[] bytes)
    {
        using var output = new MemoryStream(bytes.Length);
        output.Write(bytes, 0, 2);
        var at = 2;
        while (at + 4 <= bytes.Length)
        {
            if (bytes[at] != 0xFF) return null;
            var marker = bytes[at + 1];
            if (marker == 0xFF) { at++; continue; } // fill byte
            if (marker == 0xD9) { output.Write(bytes, at, 2); return output.ToArray(); }
            var length = BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(at + 2));
            if (length < 2 || at + 2 + length > bytes.Length) return null;
            var drop = marker is (>= 0xE1 and <= 0xED) or 0xEF or 0xFE;
            if (!drop) output.Write(bytes, at, 2 + length);
            if (marker == 0xDA)
            {
                // Start of scan: the entropy-coded picture and everything after it, as it is.
                output.Write(bytes, at + 2 + length, bytes.Length - (at + 2 + length));
                return output.ToArray();
            }
            at += 2 + length;
        }
        return null;
    }

    private static readonly string[] PngMetadataChunks = ["tEXt", "zTXt", "iTXt", "eXIf", "tIME"];

    /// <summary>PNG: every chunk but the text, EXIF and time ones; each chunk's length and CRC as they were.</summary>
    private static byte[]? Png(byte[] bytes)
    {
        using var output = new MemoryStream(bytes.Length);
        output.Write(bytes, 0, 8);
        var at = 8;
        while (at + 12 <= bytes.Length)
        {
            var length = BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(at));
            if (length > int.MaxValue - 12 || at + 12 + (long)length > bytes.Length) return null;
            var type = System.Text.Encoding.ASCII.GetString(bytes, at + 4, 4);
            if (!PngMetadataChunks.Contains(type)) output.Write(bytes, at, 12 + (int)length);
            at += 12 + (int)length;
            if (type == "IEND") return output.ToArray();
        }
        return null;
    }

    /// <summary>WebP: every RIFF chunk but EXIF and XMP, the extended header's EXIF and XMP flags cleared, the RIFF size fixed.</summary>
    private static byte[]? Webp(byte[] bytes)
    {
        var riffEnd = 8 + (long)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(4));
        if (riffEnd > bytes.Length) return null;
        using var output = new MemoryStream(bytes.Length);
        output.Write(bytes, 0, 12);
        var at = 12;
        while (at + 8 <= riffEnd)
        {
            var type = System.Text.Encoding.ASCII.GetString(bytes, at, 4);
            var size = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at + 4));
            var padded = size + (size & 1);
            if (at + 8 + (long)padded > riffEnd) return null;
            if (type is not ("EXIF" or "XMP "))
            {
                var start = (int)output.Position;
                output.Write(bytes, at, 8 + (int)padded);
                if (type == "VP8X" && size >= 1)
                {
                    output.Position = start + 8;
                    output.WriteByte((byte)(bytes[at + 8] & ~0x0C));
                    output.Position = output.Length;
                }
            }
            at += 8 + (int)padded;
        }
        var result = output.ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(result.AsSpan(4), (uint)(result.Length - 8));
        return result;
    }
}
