using System.Security.Claims;
using Caucus.Api.Auth;
using Caucus.Api.Infrastructure;
using Caucus.Api.Reports;
using Caucus.Api.Results;
using Caucus.Api.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Caucus.Api.Precincts;

public static class PrecinctsApi
{
    /// <summary>GET /api/v1/precincts and /api/v1/precincts/{id} (ids contain '/': send them URL-encoded as one segment).</summary>
    public static RouteGroupBuilder MapPrecincts(this RouteGroupBuilder group)
    {
        group.RequireAuthorization(Policies.Read).WithTags("Precincts");
        group.MapGet("/", List).WithSummary("Every precinct and satellite, and whether it has reported.");
        group.MapGet("/{id}", Get).WithSummary("One precinct: definition, counted revision, computed and reported allocation, flags, toss outcomes, double entry.")
            .Produces<PrecinctDetail>().Produces(StatusCodes.Status304NotModified);
        return group;
    }

    private static Ok<IEnumerable<PrecinctSummary>> List(ResultsState state)
    {
        var reported = state.Current.Reported;
        return TypedResults.Ok(state.Election.Precincts.Select(p =>
            new PrecinctSummary(p.Id, p.County, p.Name, p.Delegates, p.Kind, reported.Contains(p.Id))));
    }

    /// <summary>
    /// One precinct, with ETag = the results version read before the precinct (so the tag is never newer than what it
    /// names) and 304 on If-None-Match; a public document when <c>Caucus:PublicResults</c> is on (ETags.SetCacheControl).
    /// </summary>
    private static async Task<Results<Ok<PrecinctDetail>, StatusCodeHttpResult, NotFound<ProblemDetails>>> Get(string id, ResultsState state, ClaimsPrincipal user,
        ICaucusStore store, Sms.TextInbox texts, HttpContext context, CancellationToken cancellationToken)
    {
        var version = state.Version;
        var view = state.View(id);
        if (view is null)
        {
            return TypedResults.NotFound(Problems.UnknownPrecinct(id));
        }
        if (ETags.NotModified(context, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"\"{version}\""), publicDocument: true))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }
        var p = view.Precinct;
        var reports = view.Reports;
        var sources = reports.Latest.Values.Reverse().Select(s => new SourceDocument(s.Source, s.Revision, s.ReceivedAt,
            s.Result.Allocation.DelegatesByGroup.Where(g => g.Value > 0).ToDictionary(), ReferenceEquals(s, reports.Counted))).ToList();
        // Operators' entries that differ are named, so both consoles can say who typed what (the listing is read only then:
        // a rare case, never on the reporting path).
        var names = reports.DoubleEntry is { Differs: true }
            ? new Review.OperatorNames(await store.ListTokensAsync(cancellationToken), state.Election)
            : null;
        var doubleEntry = DoubleEntryDocument.From(reports.DoubleEntry, names);
        if (reports.Counted is not { } counted)
        {
            // Nothing counts yet, though entries may be stored (a hotline entry awaiting its second operator).
            return TypedResults.Ok(new PrecinctDetail(p.Id, p.County, p.Name, p.Delegates, p.Kind, false, reports.LatestRevision, null, null, null, [],
                null, new PrecinctFlags(false, false, view.SourcesDisagree, false), sources, null, [], doubleEntry) { SmsCode = texts.Codes.PrecinctCodes[p.Id] });
        }
        var allocation = counted.Result.Allocation;
        var tally = counted.Result.Tally;
        return TypedResults.Ok(new PrecinctDetail(p.Id, p.County, p.Name, p.Delegates, p.Kind, true, reports.LatestRevision,
            new CountedDocument(counted.Source, counted.Revision, counted.ReceivedAt, tally.Attendees, tally.First, tally.Final,
                ReadAccessRules.MayReadNotes(user, p.Id) ? counted.Note : null, EarlyVoteDocument.From(counted.Result)),
            AllocationDocument.From(allocation, view.Sde),
            tally.ReportedDelegates,
            [.. allocation.Warnings.Select(WarningDocument.From)],
            allocation.IsProvisional && allocation.Tie is { } tie ? TieDocument.From(tie) : null,
            new PrecinctFlags(counted.Result.IsInconsistent, allocation.IsProvisional, view.SourcesDisagree, view.SdeProvisional),
            sources,
            view.SdeRanges.Where(r => allocation.DelegatesOf(r.Key) > 0 || !r.Value.IsExact)
                .ToDictionary(r => r.Key, r => RangeDocument.From(r.Value), StringComparer.Ordinal),
            [.. view.Outcomes.Select(o => new OutcomeDocument(
                [.. o.TieBreaks.Select(t => new TieBreakDocument(t.Groups, t.Winners))],
                o.Allocation.DelegatesByGroup.Where(g => g.Value > 0).ToDictionary(),
                o.Sdes.Where(s => o.Allocation.DelegatesOf(s.Key) > 0).ToDictionary(s => s.Key, s => s.Value.ToDecimalString(4), StringComparer.Ordinal)))],
            doubleEntry)
        {
            SmsCode = texts.Codes.PrecinctCodes[p.Id],
            DecidedTieBreak = DecidedTieDocument.From(allocation.AppliedTieBreak),
        });
    }
}
