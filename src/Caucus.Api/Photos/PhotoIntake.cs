using Caucus.Api.Storage;

namespace Caucus.Api.Photos;

/// <summary>Why a photo was not taken: said in words for the page, the console and the MMS reply.</summary>
public sealed record PhotoRefusal(int Status, string Message);

/// <summary>
/// A worksheet photo on its way in (README, "Worksheet photos"): at most <see cref="MaxBytes"/>, a JPEG, PNG or WebP
/// by its bytes, its metadata stripped, stored under the SHA-256 of what is kept.
/// </summary>
public sealed class PhotoIntake(IPhotoStore photos, TimeProvider clock)
{
    /// <summary>A phone's photo of a worksheet is 1–5 MB; 10 MiB leaves room and bounds what one request can make us hold.</summary>
    public const int MaxBytes = 10 * 1024 * 1024;

    /// <returns>The listing (<c>Added</c> false: this precinct had this photo already), or why it was refused.</returns>
    public async Task<(PhotoListing? Photo, bool Added, PhotoRefusal? Refusal)> TakeAsync(string precinctId, byte[] bytes, PhotoChannel channel, string actor,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if (bytes.Length == 0) return (null, false, new(StatusCodes.Status400BadRequest, "The photo is empty."));
        if (bytes.Length > MaxBytes) return (null, false, new(StatusCodes.Status413PayloadTooLarge, $"The photo is larger than {MaxBytes / (1024 * 1024)} MB."));
        if (PhotoFormat.Sniff(bytes) is not { } type)
        {
            return (null, false, new(StatusCodes.Status415UnsupportedMediaType, "The photo must be a JPEG, PNG or WebP image."));
        }
        if (PhotoMetadata.Strip(type, bytes) is not { } kept)
        {
            return (null, false, new(StatusCodes.Status400BadRequest, $"The photo is not a whole {type.ToString().ToUpperInvariant()} image (cut short or damaged)."));
        }
        var (listing, added) = await photos.AppendPhotoAsync(new NewPhoto(precinctId, Hashing.Sha256Hex(kept), PhotoFormat.MediaType(type), kept,
            channel, actor, clock.GetUtcNow()), cancellationToken);
        return (listing, added, null);
    }
}
