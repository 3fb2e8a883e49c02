using System.Globalization;
using Caucus.Api.Storage;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;

namespace Caucus.Api.Infrastructure;

/// <summary>
/// Turns the exceptions a request can legitimately end in into problem details: a dead database answers
/// 503 with Retry-After at once (the store's circuit breaker makes it fast; reads are served from memory
/// and never get here); a body the framework could not read (bad JSON for a bound record, too large)
/// answers its 4xx, in Development as in Production, never a 500.
/// </summary>
public sealed class ProblemExceptionHandler : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        switch (exception)
        {
            case StoreUnavailableException unavailable:
                httpContext.Response.Headers.RetryAfter =
                    Math.Max(1, Math.Ceiling(unavailable.RetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                await Problems.Write(httpContext, StatusCodes.Status503ServiceUnavailable, "Database unavailable",
                    unavailable.MayHaveCommitted
                        ? "The database did not confirm the write in time; it may still be stored. Retry with the same Idempotency-Key: it is never stored twice."
                        : "The report was not stored. Retry with the same Idempotency-Key.");
                return true;
            case BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge }:
                await Problems.Write(httpContext, StatusCodes.Status413PayloadTooLarge, "Request body too large",
                    $"The request body is larger than {httpContext.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize} bytes.");
                return true;
            case BadHttpRequestException bad:
                await Problems.Write(httpContext, bad.StatusCode, "Bad request", bad.Message);
                return true;
            default:
                return false;
        }
    }
}
