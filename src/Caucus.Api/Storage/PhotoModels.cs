namespace Caucus.Api.Storage;

/// <summary>How a worksheet photo arrived: the report page's camera, an MMS to the SMS webhook, the hotline console.</summary>
public enum PhotoChannel
{
    Page,
    Mms,
    Hotline,
}

/// <summary>A photo arriving for a precinct (schema 0010): its bytes already checked and stripped.</summary>
public sealed record NewPhoto(string PrecinctId, string Sha256, string MediaType, byte[] Bytes, PhotoChannel Channel, string Actor, DateTimeOffset ReceivedAt);

/// <summary>A photo as listed for a precinct: who sent it, how, when; the bytes are read by hash.</summary>
public sealed record PhotoListing(long Seq, string PrecinctId, string Sha256, string MediaType, long Size, PhotoChannel Channel, string Actor, DateTimeOffset ReceivedAt);

public sealed record PhotoBytes(string MediaType, byte[] Bytes);

/// <summary>Worksheet photos, content-addressed (issue 24).</summary>
public interface IPhotoStore
{
    /// <summary>Stores the photo once by hash and lists it for the precinct once; the same photo again answers its first listing.</summary>
    Task<(PhotoListing Listing, bool Added)> AppendPhotoAsync(NewPhoto photo, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<PhotoListing>> PhotosOfPrecinctAsync(string precinctId, CancellationToken cancellationToken = default);

    /// <summary>Every precinct's photos, by precinct then arrival (the export).</summary>
    Task<IReadOnlyList<PhotoListing>> AllPhotosAsync(CancellationToken cancellationToken = default);

    /// <summary>Every precinct with at least one photo (the review queue's "photo received, numbers not entered").</summary>
    Task<IReadOnlySet<string>> PrecinctsWithPhotosAsync(CancellationToken cancellationToken = default);

    Task<PhotoBytes?> PhotoAsync(string sha256, CancellationToken cancellationToken = default);
}
