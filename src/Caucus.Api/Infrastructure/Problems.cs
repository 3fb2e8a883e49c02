using Microsoft.AspNetCore.Mvc;

namespace Caucus.Api.Infrastructure;

/// <summary>RFC 9457 problem details written outside an endpoint (middleware), in the same shape endpoints use.</summary>
public static class Problems
{
    /// <summary>The 404 every endpoint taking a precinct id answers for an id the election does not have.</summary>
    public static ProblemDetails UnknownPrecinct(string id) =>
        new() { Status = StatusCodes.Status404NotFound, Title = "Unknown precinct", Detail = $"No precinct or satellite has the id '{id}'." };

    public static async Task Write(HttpContext context, int status, string title, string detail)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.StatusCode = status;
        var writer = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        await writer.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        });
    }
}
