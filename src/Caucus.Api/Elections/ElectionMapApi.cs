using Caucus.Api.Infrastructure;
using Caucus.Core.Model;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Caucus.Api.Elections;

public static class ElectionMapApi
{
    /// <summary>GET /api/v1/election/map — public, like the election itself: the county outlines the war room draws.</summary>
    public static RouteGroupBuilder MapElectionMap(this RouteGroupBuilder group)
    {
        // Read on first request, once per host: the folder never changes while the service runs.
        var services = ((IEndpointRouteBuilder)group).ServiceProvider;
        var map = new Lazy<ElectionMap?>(() => ElectionMap.Read(
            ElectionSource.Folder(services.GetRequiredService<CaucusOptions>().ElectionPath), services.GetRequiredService<Election>()));

        group.WithTags("Election");
        group.MapGet("", (HttpContext context) => Get(context, map.Value)).AllowAnonymous()
            .WithSummary("The election's counties as pre-projected SVG paths.")
            .Produces<ElectionMapDocument>().Produces(StatusCodes.Status304NotModified).ProducesProblem(StatusCodes.Status404NotFound);
        return group;
    }

    private static Results<FileContentHttpResult, StatusCodeHttpResult, ProblemHttpResult> Get(HttpContext context, ElectionMap? map)
    {
        if (map is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No county map",
                detail: $"The election folder has no {ElectionMap.FileName} (node web/prepare.mjs writes it from the election's stateFips).");
        }
        return ETags.NotModified(context, map.ETag)
            ? TypedResults.StatusCode(StatusCodes.Status304NotModified)
            : TypedResults.Bytes(map.Json, "application/json");
    }
}
