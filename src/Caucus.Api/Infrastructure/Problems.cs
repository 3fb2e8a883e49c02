using Microsoft.AspNetCore.Mvc;

namespace Caucus.Api.Infrastructure;

/// <summary>RFC 9457 problem details written outside an endpoint (middleware), in the same shape endpoints use.</summary>
public static class Problems
{
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
