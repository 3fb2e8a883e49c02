using System.Security.Claims;
using Caucus.Api.Auth;
using Caucus.Api.Infrastructure;
using Caucus.Api.Results;
using Caucus.Core.Aggregation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Caucus.Api.Reports;

public static class ReportsApi
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    /// <summary>
    /// Routing would answer a body that is not JSON with 415 before the handler runs, and the refusal would never
    /// reach the audit trail; so routing takes any content type and the handler refuses (and stores) the wrong ones.
    /// </summary>
    private const string AnyContentType = "*/*";

    /// <summary>POST /api/v1/precincts/{id}/reports — submit a precinct's tallies (captain, hotline, chair or official).</summary>
    public static RouteGroupBuilder MapReports(this RouteGroupBuilder group)
    {
        group.RequireAuthorization(Policies.Submit).WithTags("Reports");
        group.MapPost("/{id}/reports", Submit)
            .RequireRateLimiting(RateLimits.Reports)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .AddEndpointFilter(async (invocation, next) =>
            {
                // Recorded once the answer is sent, so a 503 from the exception handler is timed too.
                var http = invocation.HttpContext;
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                http.Response.OnCompleted(() =>
                {
                    http.RequestServices.GetRequiredService<CaucusMetrics>()
                        .IngestDuration(System.Diagnostics.Stopwatch.GetElapsedTime(started), http.Response.StatusCode);
                    return Task.CompletedTask;
                });
                return await next(invocation);
            })
            .Accepts<ReportRequestExample>("application/json", AnyContentType)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithSummary("Submit a precinct's report; with Idempotency-Key a retry returns the original answer.");
        group.MapPost("/{id}/preview", Preview)
            .RequireRateLimiting(RateLimits.Previews)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .Accepts<ReportRequestExample>("application/json", AnyContentType)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .WithSummary("What a report with this body would compute (threshold, viable groups, delegates, SDEs, warnings, pending toss); stores nothing.");
        return group;
    }

    private static async Task<Results<Created<ReportResponse>, Accepted<ReportResponse>, ValidationProblem, ProblemHttpResult, NotFound<ProblemDetails>>> Submit(
        string id, HttpContext context, ResultsState state, ReportIngest ingest,
        [FromHeader(Name = IdempotencyKeyHeader)] string? idempotencyKey)
    {
        var cancellationToken = context.RequestAborted;
        var body = await RequestBody.ReadBytesAsync(context.Request, RequestBody.ReportLimitBytes, cancellationToken);
        var precinct = state.Election.FindPrecinct(id);
        if (body.TooLarge)
        {
            var tooLarge = ReportIngest.Problem(StatusCodes.Status413PayloadTooLarge, "Report too large",
                RequestBody.ReportTooLargeDetail);
            // Kept for the audit trail (as far as the limit was read: its prefix, size and hash), if the precinct exists.
            var refused = precinct is null ? ingest.RefuseUnknown(tooLarge)
                : await ingest.RefuseAsync(precinct.Id, context.User, body.Bytes, idempotencyKey, tooLarge, cancellationToken);
            return TypedResults.Problem(refused.Problem);
        }
        // Refusals below are stored like the parser's, so every refused submission is in the audit trail (for an
        // unknown precinct id only counted: nobody can fill the store through ids that do not exist).
        async Task<IngestOutcome.Refused> Refuse(ProblemDetails problem, string? key) => precinct is null
            ? ingest.RefuseUnknown(problem)
            : await ingest.RefuseAsync(precinct.Id, context.User, body.Bytes, key, problem, cancellationToken);
        if (idempotencyKey is { Length: > 200 })
        {
            return Invalid(await Refuse(Validation(IdempotencyKeyHeader, "At most 200 characters."), null));
        }
        if (body.Invalid is { } notText)
        {
            return Invalid(await Refuse(Validation("body", notText), idempotencyKey));
        }
        if (!IsJson(context.Request))
        {
            return TypedResults.Problem((await Refuse(UnsupportedMediaType(), idempotencyKey)).Problem);
        }
        if (precinct is null)
        {
            return TypedResults.NotFound(ingest.RefuseUnknown(Problems.UnknownPrecinct(id)).Problem);
        }
        var outcome = await ingest.SubmitAsync(precinct, body, idempotencyKey, context.User, cancellationToken);
        return outcome switch
        {
            // Stored, but held out of every total until an admin confirms it: 202, with the reason in `held`.
            IngestOutcome.Accepted { Response.Held: not null } a => TypedResults.Accepted($"/api/v1/precincts/{Uri.EscapeDataString(precinct.Id)}", a.Response),
            IngestOutcome.Accepted { Replayed: false } a => TypedResults.Created($"/api/v1/precincts/{Uri.EscapeDataString(precinct.Id)}", a.Response),
            IngestOutcome.Accepted a => Replay(context, a.Response),
            IngestOutcome.Refused { Problem: HttpValidationProblemDetails } r => Invalid(r),
            IngestOutcome.Refused r => TypedResults.Problem(r.Problem),
            _ => throw new InvalidOperationException("Unknown ingest outcome."),
        };
    }

    /// <summary>The pages' live math: the same parse, authorisation and rules as a report, and nothing stored or counted.</summary>
    private static async Task<Results<Ok<PreviewResponse>, ValidationProblem, ProblemHttpResult, NotFound<ProblemDetails>>> Preview(
        string id, HttpContext context, ResultsState state, ReportIngest ingest)
    {
        var body = await RequestBody.ReadTextAsync(context.Request, RequestBody.ReportLimitBytes, context.RequestAborted);
        if (body.TooLarge)
        {
            return TypedResults.Problem(ReportIngest.Problem(StatusCodes.Status413PayloadTooLarge, "Report too large",
                RequestBody.ReportTooLargeDetail));
        }
        if (body.Invalid is { } notText) return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["body"] = [notText] });
        if (!IsJson(context.Request)) return TypedResults.Problem(UnsupportedMediaType());
        var precinct = state.Election.FindPrecinct(id);
        if (precinct is null) return TypedResults.NotFound(Problems.UnknownPrecinct(id));
        var role = context.User.FindFirstValue(ClaimTypes.Role) ?? "";
        if (role == Roles.Precinct && context.User.FindFirstValue(Roles.PrecinctClaim) != precinct.Id)
        {
            return TypedResults.Problem(ReportIngest.Problem(StatusCodes.Status403Forbidden, "Forbidden", "This credential may only preview its own precinct."));
        }
        var (report, errors) = ReportParser.Parse(body.Text, state.Election.Candidates, state.Election.RuleSet.Form);
        if (report is null) return TypedResults.ValidationProblem(errors, title: "The report is not valid");
        if (!ReportPermissions.MayReportAs(context.User, report.Source))
        {
            return TypedResults.Problem(ReportIngest.Problem(StatusCodes.Status403Forbidden, "Forbidden", ReportPermissions.Refusal(context.User, report.Source)));
        }
        if (!ReportIngest.TryCompute(state.Election, precinct, report, out var result, out var invalid)) return TypedResults.Problem(invalid);
        return TypedResults.Ok(ingest.Preview(result));
    }

    /// <summary>A report is JSON in UTF-8: application/json (or +json), with no charset or utf-8; no Content-Type is read as JSON.</summary>
    private static bool IsJson(HttpRequest request)
    {
        if (string.IsNullOrEmpty(request.ContentType)) return true;
        if (!Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(request.ContentType, out var type)) return false;
        var media = type.MediaType.Value ?? "";
        var charset = type.Charset.Value;
        return (media.Equals("application/json", StringComparison.OrdinalIgnoreCase) || media.EndsWith("+json", StringComparison.OrdinalIgnoreCase))
            && (string.IsNullOrEmpty(charset) || charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase));
    }

    private static ProblemDetails UnsupportedMediaType() => ReportIngest.Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type",
        "A report is JSON in UTF-8: send Content-Type: application/json.");

    private static HttpValidationProblemDetails Validation(string field, string message) =>
        new(new Dictionary<string, string[]> { [field] = [message] }) { Status = StatusCodes.Status400BadRequest, Title = "The report is not valid" };

    private static ValidationProblem Invalid(IngestOutcome.Refused refused)
    {
        var v = (HttpValidationProblemDetails)refused.Problem;
        return TypedResults.ValidationProblem(v.Errors, v.Detail, v.Instance, v.Title, v.Type, v.Extensions);
    }

    /// <summary>A retry gets the original answer (201 and the same body), marked as a replay.</summary>
    private static Created<ReportResponse> Replay(HttpContext context, ReportResponse response)
    {
        context.Response.Headers["Idempotent-Replayed"] = "true";
        return TypedResults.Created($"/api/v1/precincts/{Uri.EscapeDataString(response.Precinct)}", response);
    }

    /// <summary>The body's shape, for the OpenAPI document (the endpoint reads the raw text itself, to keep it for audit).</summary>
    public sealed record ReportRequestExample(
        int Attendees,
        Dictionary<string, int> First,
        Dictionary<string, int> Final,
        Dictionary<string, int>? ReportedDelegates,
        TieBreakExample[]? TieBreaks,
        string Source,
        string? Note);

    public sealed record TieBreakExample(string[] Groups, string[] Winners);
}
