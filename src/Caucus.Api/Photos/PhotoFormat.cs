namespace Caucus.Api.Photos;

/// <summary>The image types a worksheet photo may be, told by their bytes (never by the name or the declared type).</summary>
public enum PhotoType
{
    Jpeg,
    Png,
    Webp,
}

public static class PhotoFormat
{
    public static string MediaType(PhotoType type) => type switch
    {
        PhotoType.Jpeg => "image/jpeg",
        PhotoType.Png => "image/png",
        _ => "image/webp",
    };

    /// <summary>The type the bytes are, or null: a JPEG's SOI marker, PNG's eight-byte signature, a RIFF file of WEBP.</summary>
    public static PhotoType? Sniff(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length >= 4 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF) return PhotoType.Jpeg;
        if (bytes.Length >= 8 && bytes[..8].SequenceEqual(PngSignature)) return PhotoType.Png;
        if (bytes.Length >= 12 && bytes[..4].SequenceEqual("RIFF"u8) && bytes[8..12].SequenceEqual("WEBP"u8)) return PhotoType.Webp;
        return null;
    }

    internal static ReadOnlySpan<byte> PngSignature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
}
