using System.Text;
using Caucus.Api.Auth;
using Caucus.Api.Infrastructure;
using Caucus.Api.Results;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Caucus.Api.Export;

public static class ExportApi
{
    /// <summary>
    /// GET /api/v1/export/precincts.csv and /api/v1/export/cdf.json: downloads of one consistent read of the
    /// results (<see cref="ResultsState.ExportView"/>), readable by whoever may read the results, with
    /// ETag = results version and 304 on If-None-Match, like /api/v1/results.
    /// </summary>
    public static RouteGroupBuilder MapExport(this RouteGroupBuilder group)
    {
        group.RequireAuthorization(Policies.Read).WithTags("Export");
        group.MapGet("/precincts.csv", PrecinctsCsvFile)
            .WithSummary("One row per precinct × group: first, final, computed delegates and SDEs, reported delegates, status and reason.")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv").Produces(StatusCodes.Status304NotModified);
        group.MapGet("/cdf.json", CdfFile)
            .WithSummary("The results as a NIST SP 1500-100 V2 ElectionReport (election results common data format, JSON).")
            .Produces(StatusCodes.Status200OK, contentType: "application/json").Produces(StatusCodes.Status304NotModified);
        // Photos are not in the results' version sequence, so this list has no ETag: it is read fresh each time.
        group.MapGet("/photos.csv", PhotosCsvFile).RequireAuthorization(Policies.Audit)
            .WithSummary("Every worksheet photo: precinct, SHA-256, type, size, how and by whom it came, when, and where its bytes are.")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv");
        return group;
    }

    private static Results<FileContentHttpResult, StatusCodeHttpResult> PrecinctsCsvFile(HttpContext context, ResultsState state)
    {
        var view = state.ExportView();
        return NotModified(context, view)
            ? TypedResults.StatusCode(StatusCodes.Status304NotModified)
            : TypedResults.File(Encoding.UTF8.GetBytes(PrecinctsCsv.Write(view)), "text/csv; charset=utf-8", FileName(view, "precincts", "csv"));
    }

    private static Results<FileContentHttpResult, StatusCodeHttpResult> CdfFile(HttpContext context, ResultsState state)
    {
        var view = state.ExportView();
        return NotModified(context, view)
            ? TypedResults.StatusCode(StatusCodes.Status304NotModified)
            : TypedResults.File(CdfReport.Write(view), "application/json", FileName(view, "cdf", "json"));
    }

    private static async Task<FileContentHttpResult> PhotosCsvFile(ResultsState state, Storage.IPhotoStore photos, CancellationToken cancellationToken)
    {
        var csv = new StringBuilder("county,precinct_id,precinct,sha256,media_type,bytes,channel,actor,received_at,url\r\n");
        foreach (var p in await photos.AllPhotosAsync(cancellationToken))
        {
            var precinct = state.Election.FindPrecinct(p.PrecinctId);
            csv.Append(Caucus.Core.Text.Csv.Line(precinct?.County ?? "", p.PrecinctId, precinct?.Name ?? "", p.Sha256, p.MediaType,
                p.Size.ToString(System.Globalization.CultureInfo.InvariantCulture), ApiJson.Name(p.Channel), p.Actor,
                p.ReceivedAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture), Photos.PhotosApi.UrlOf(p.Sha256))).Append("\r\n");
        }
        return TypedResults.File(Encoding.UTF8.GetBytes(csv.ToString()), "text/csv; charset=utf-8", $"{state.Election.Id}-photos.csv");
    }

    /// <summary>e.g. iowa-2020-precincts-v1234.csv: the version in the name, so two downloads of one night never overwrite each other.</summary>
    private static string FileName(ExportView view, string what, string extension) => $"{view.Election.Id}-{what}-v{view.Version}.{extension}";

    private static bool NotModified(HttpContext context, ExportView view) => ETags.NotModified(context, view.ETag);
}
