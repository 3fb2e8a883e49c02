using System.Security.Claims;
using System.Text.Json;
using Caucus.Api.Auth;
using Caucus.Api.Infrastructure;
using Caucus.Api.Results;
using Caucus.Api.Storage;
using Caucus.Core.Arithmetic;
using Caucus.Core.Counting;
using Caucus.Core.Model;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Caucus.Api.Review;

public static class ReviewApi
{
    /// <summary>
    /// GET /api/v1/review and POST /api/v1/review/decisions (admin): the reports that need a human (the queue is
    /// the core's rule) and the admin's decisions on them, each recorded durably and shown in the audit trail.
    /// A correction is a new report (source official) through the reports endpoint.
    /// </summary>
    public static RouteGroupBuilder MapReview(this RouteGroupBuilder group)
    {
        group.RequireAuthorization(Policies.Admin).WithTags("Review");
        group.MapGet("", Get).WithSummary("Every report that needs a human, with the reason and both versions where there are two.");
        group.MapPost("/decisions", Decide).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Clear a review item with a reason, or confirm a held (implausible) report so that it counts.");
        return group;
    }

    private static async Task<Ok<ReviewDocument>> Get(ResultsState state, ICaucusStore store, IPhotoStore photos, CancellationToken cancellationToken)
    {
        var (version, items) = state.Review();
        var election = state.Election;
        var names = new OperatorNames(await store.ListTokensAsync(cancellationToken), election);
        var reviewed = items.Select(i =>
        {
            var precinct = election.FindPrecinct(i.Precinct.Value)!;
            return new ReviewItemDocument(i.Key, i.Precinct.Value, precinct.County, precinct.Name, i.Reason, i.Detail, i.RevisionSeq,
                [.. i.Versions.Select(v => ReviewVersionDocument.From(v, names))], Weight(election, precinct),
                CertificationCheck.Blocks(i.Reason));
        });
        // A photo is no report: the precincts that sent only a picture, from the photo store (not the results' sequence).
        var photoOnly = (await photos.PrecinctsWithPhotosAsync(cancellationToken)).Order(StringComparer.Ordinal)
            .Where(id => state.View(id) is { } view && view.Reports.Latest.IsEmpty && view.Reports.HotlineEntries.IsEmpty)
            .Select(id => election.FindPrecinct(id)!)
            .Select(p => new ReviewItemDocument($"photo:{p.Id}", p.Id, p.County, p.Name, ReviewReason.PhotoWithoutNumbers,
                "A photo of the worksheet arrived and no numbers did: enter them from the photo.", 0, [], Weight(election, p),
                CertificationCheck.Blocks(ReviewReason.PhotoWithoutNumbers)));
        return TypedResults.Ok(new ReviewDocument(version, [.. reviewed, .. photoOnly]));
    }

    /// <summary>
    /// The headline units a precinct's delegates carry (Iowa: delegates × the county's SDE per delegate; Nevada: its
    /// delegates), what a decision on it can move: the admin page sorts by it. A satellite's SDEs depend on its satellite
    /// county's attendance; its nominal weight stands in for them here, which is enough to order a queue.
    /// </summary>
    private static string Weight(Election election, Precinct precinct)
    {
        var headline = election.RuleSet.Headline;
        var perDelegate = headline.WeightedByCounty ? election.CountyOf(precinct).SdePerDelegate : Rational.One;
        return headline.Format(perDelegate * precinct.Delegates);
    }

    /// <summary>
    /// Decides one item. The key names the item's revision (<c>reason:precinct:seq</c>), so a decision acts on the version
    /// the admin read: an item whose report was superseded since answers 412, a decided or unknown one 404; while the
    /// results are certified every decision is refused (409), so nothing changes a certified result under its label.
    /// </summary>
    private static async Task<Results<Ok<DecisionResponse>, ValidationProblem, ProblemHttpResult>> Decide(
        HttpContext context, ResultsState state, ICaucusStore store, CaucusOptions options, TimeProvider clock, CancellationToken cancellationToken)
    {
        var (request, errors) = Read(await RequestBody.ReadTextAsync(context.Request, DecisionLimit, cancellationToken));
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        if (!state.AcceptsDecisions) return Certified();
        var queue = state.Review().Items;
        var item = queue.FirstOrDefault(i => i.Key == request.Key);
        if (item is null)
        {
            // The same reason for the same precinct under another revision: the admin read an older version of it.
            var prefix = request.Key![..(request.Key!.LastIndexOf(':') + 1)];
            return queue.FirstOrDefault(i => prefix.Length > 0 && i.Key.StartsWith(prefix, StringComparison.Ordinal)) is { } newer
                ? TypedResults.Problem(statusCode: StatusCodes.Status412PreconditionFailed, title: "The item changed",
                    detail: $"'{request.Key}' names a report that was superseded: the item is now '{newer.Key}' (revision seq {newer.RevisionSeq}). Read it again and decide.")
                : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such review item",
                    detail: $"'{request.Key}' is not in the review queue (decided already, or superseded by a later revision).");
        }
        var action = ApiJson.TryParse<ReviewAction>(request.Action, out var parsed) ? parsed : ReviewAction.Clear;
        if (action == ReviewAction.Confirm && item.Reason != ReviewReason.Implausible)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Nothing to confirm",
                detail: "Only a held (implausible) report is confirmed; clear this item with a reason, or enter a correction.");
        }
        var outcome = await store.AppendReviewDecisionAsync(new NewReviewDecision(item.Key, item.Precinct.Value, item.RevisionSeq, ApiJson.Name(action),
            request.Reason!, context.User.FindFirstValue(Roles.TokenIdClaim) ?? "admin", clock.GetUtcNow(), options.Test), cancellationToken);
        if (outcome is not DecisionOutcome.Decided { Seq: var seq }) return Certified();
        await state.WaitForAppliedAsync(seq, cancellationToken).WaitAsync(TimeSpan.FromSeconds(5), clock, cancellationToken);
        return TypedResults.Ok(new DecisionResponse(item.Key, action, seq, state.Version));
    }

    private static ProblemHttpResult Certified() => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Results are certified",
        detail: "The results are certified: review decisions would change them under that label. Enter an official correction (it reopens the results), then decide and certify again.");

    /// <summary>Reads {"key", "action", "reason"} by hand so that every malformed body gets a 400 naming the field.</summary>
    private static (DecisionRequest Request, Dictionary<string, string[]> Errors) Read(BodyText body)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var fields = JsonText.ReadStringFields(body, DecisionLimit, ["key", "action", "reason"], errors);
        if (fields is null) return (new(null, null, null), errors);
        string? Text(string name)
        {
            if (fields.TryGetValue(name, out var text) && text.Length > 0) return text;
            errors[name] = [$"{name} is required: a non-empty string."];
            return null;
        }
        var request = new DecisionRequest(Text("key"), Text("action"), Text("reason"));
        if (request.Action is not null && !ApiJson.TryParse<ReviewAction>(request.Action, out _)) errors["action"] = ["action must be clear or confirm."];
        if (request.Reason is { Length: > 2000 }) errors["reason"] = ["reason must be at most 2000 characters."];
        return (request, errors);
    }

    private const int DecisionLimit = 8192;
}
