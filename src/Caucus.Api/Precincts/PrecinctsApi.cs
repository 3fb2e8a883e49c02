using Caucus.Api.Auth;
using Caucus.Api.Infrastructure;
using Caucus.Api.Reports;
using Caucus.Api.Results;
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
        group.MapGet("/{id}", Get).WithSummary("One precinct: definition, counted revision, computed and reported allocation, flags.");
        return group;
    }

    private static Ok<IEnumerable<PrecinctSummary>> List(ResultsState state)
    {
        var reported = state.Current.Reported;
        return TypedResults.Ok(state.Election.Precincts.Select(p =>
            new PrecinctSummary(p.Id, p.County, p.Name, p.Delegates, p.Kind, reported.Contains(p.Id))));
    }

    private static Results<Ok<PrecinctDetail>, NotFound<ProblemDetails>> Get(string id, ResultsState state)
    {
        var view = state.View(id);
        if (view is null)
        {
            return TypedResults.NotFound(Problems.UnknownPrecinct(id));
        }
        var p = view.Precinct;
        if (view.Reports.Counted is not { } counted)
        {
            return TypedResults.Ok(new PrecinctDetail(p.Id, p.County, p.Name, p.Delegates, p.Kind, false, 0, null, null, null, [], null,
                new PrecinctFlags(false, false, false, false), []));
        }
        var allocation = counted.Result.Allocation;
        var tally = counted.Result.Tally;
        return TypedResults.Ok(new PrecinctDetail(p.Id, p.County, p.Name, p.Delegates, p.Kind, true, view.Reports.LatestRevision,
            new CountedDocument(counted.Source, counted.Revision, counted.ReceivedAt, tally.Attendees, tally.First, tally.Final, counted.Note),
            AllocationDocument.From(allocation, view.Sde),
            tally.ReportedDelegates,
            [.. allocation.Warnings.Select(WarningDocument.From)],
            allocation.IsProvisional && allocation.Tie is { } tie ? TieDocument.From(tie) : null,
            new PrecinctFlags(counted.Result.IsInconsistent, allocation.IsProvisional, view.SourcesDisagree, view.SdeProvisional),
            [.. view.Reports.Latest.Values.Reverse().Select(s => new SourceDocument(s.Source, s.Revision, s.ReceivedAt,
                s.Result.Allocation.DelegatesByGroup.Where(g => g.Value > 0).ToDictionary(), ReferenceEquals(s, counted)))]));
    }
}
