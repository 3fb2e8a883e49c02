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

    /// <summary>e.g. iowa-2020-precincts-v1234.csv: the version in the name, so two downloads of one night never overwrite each other.</summary>
    private static string FileName(ExportView view, string what, string extension) => $"{view.Election.Id}-{what}-v{view.Version}.{extension}";

    private static bool NotModified(HttpContext context, ExportView view) => ETags.NotModified(context, view.ETag);
}
