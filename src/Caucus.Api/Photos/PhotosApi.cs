using System.Security.Claims;
using Caucus.Api.Auth;
using Caucus.Api.Infrastructure;
using Caucus.Api.Storage;
using Caucus.Core.Model;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Caucus.Api.Photos;

/// <summary>A worksheet photo as listed for a precinct; <see cref="Url"/> reads its bytes.</summary>
public sealed record PhotoDocument(string Sha256, string MediaType, long Size, PhotoChannel Channel, string Actor, DateTimeOffset ReceivedAt, string Url)
{
    public static PhotoDocument From(PhotoListing p) => new(p.Sha256, p.MediaType, p.Size, p.Channel, p.Actor, p.ReceivedAt, PhotosApi.UrlOf(p.Sha256));
}

public sealed record PhotosDocument(string Precinct, IReadOnlyList<PhotoDocument> Photos);

/// <summary>
/// Worksheet photos (README, "Worksheet photos"): a precinct's captain or chair, a hotline operator or an admin sends one
/// (POST the image's bytes); headquarters and the war room list and read them beside the numbers.
/// </summary>
public static class PhotosApi
{
    public static string UrlOf(string sha256) => "/api/v1/photos/" + sha256;

    public static RouteGroupBuilder MapPrecinctPhotos(this RouteGroupBuilder group)
    {
        group.WithTags("Photos");
        group.MapPost("/{id}/photos", Upload).RequireAuthorization(Policies.Submit).RequireRateLimiting(RateLimits.Reports)
            .Accepts<byte[]>("image/jpeg", "image/png", "image/webp")
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .WithSummary($"Send a photo of the precinct's signed worksheet (JPEG, PNG or WebP, at most {PhotoIntake.MaxBytes / (1024 * 1024)} MB; metadata stripped).");
        group.MapGet("/{id}/photos", List).RequireAuthorization(Policies.Audit).WithSummary("The precinct's worksheet photos, oldest first.");
        return group;
    }

    public static RouteGroupBuilder MapPhotos(this RouteGroupBuilder group)
    {
        group.WithTags("Photos").RequireAuthorization(Policies.Audit);
        group.MapGet("/{sha256}", Read).WithSummary("A photo's bytes, by the SHA-256 it is stored under.");
        return group;
    }

    private static async Task<Results<Created<PhotoDocument>, Ok<PhotoDocument>, ProblemHttpResult, NotFound<ProblemDetails>>> Upload(string id,
        HttpContext context, Election election, PhotoIntake intake)
    {
        if (election.FindPrecinct(id) is not { } precinct) return TypedResults.NotFound(Problems.UnknownPrecinct(id));
        var user = context.User;
        var role = user.FindFirstValue(ClaimTypes.Role);
        if (role == Roles.Precinct && user.FindFirstValue(Roles.PrecinctClaim) != precinct.Id)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: "This credential may only send photos for its own precinct.");
        }
        // Refused on its declared length before a byte is read (a client that sent Expect: 100-continue sends none).
        var body = context.Request.ContentLength > PhotoIntake.MaxBytes ? null
            : await RequestBody.ReadBytesAsync(context.Request, PhotoIntake.MaxBytes, context.RequestAborted);
        if (body is null || body.TooLarge)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Photo too large",
                detail: $"The photo is larger than {PhotoIntake.MaxBytes / (1024 * 1024)} MB.");
        }
        var channel = role == Roles.Hotline ? PhotoChannel.Hotline : PhotoChannel.Page;
        var actor = user.FindFirstValue(Roles.TokenIdClaim) ?? TokenCache.EnvironmentAdminId;
        var (photo, added, refusal) = await intake.TakeAsync(precinct.Id, body.Bytes, channel, actor, context.RequestAborted);
        if (refusal is not null) return TypedResults.Problem(statusCode: refusal.Status, title: "The photo was not taken", detail: refusal.Message);
        var document = PhotoDocument.From(photo!);
        // The same photo again (a retry) answers the first listing, as a report's retry does.
        return added ? TypedResults.Created(document.Url, document) : TypedResults.Ok(document);
    }

    private static async Task<Results<Ok<PhotosDocument>, NotFound<ProblemDetails>>> List(string id, Election election, IPhotoStore photos,
        CancellationToken cancellationToken)
    {
        if (election.FindPrecinct(id) is null) return TypedResults.NotFound(Problems.UnknownPrecinct(id));
        var listed = await photos.PhotosOfPrecinctAsync(id, cancellationToken);
        return TypedResults.Ok(new PhotosDocument(id, [.. listed.Select(PhotoDocument.From)]));
    }

    private static async Task<Results<FileContentHttpResult, NotFound<ProblemDetails>>> Read(string sha256, HttpContext context, IPhotoStore photos,
        CancellationToken cancellationToken)
    {
        if (sha256.Length != 64 || !sha256.All(char.IsAsciiHexDigitLower) || await photos.PhotoAsync(sha256, cancellationToken) is not { } photo)
        {
            return TypedResults.NotFound(new ProblemDetails { Status = 404, Title = "No such photo", Detail = "No photo is stored under this hash." });
        }
        // Content-addressed: these bytes never change under this name.
        context.Response.Headers.CacheControl = "private, max-age=31536000, immutable";
        return TypedResults.File(photo.Bytes, photo.MediaType);
    }
}
