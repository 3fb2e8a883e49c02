using System.Security.Claims;
using Caucus.Api.Auth;
using Caucus.Api.Infrastructure;
using Caucus.Api.Results;
using Caucus.Api.Storage;
using Caucus.Core.Model;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Caucus.Api.Groups;

/// <summary>A group spelling the counted reports use: in how many precincts, and the group the war room shows it under.</summary>
public sealed record GroupSpellingDocument(string Spelling, int Precincts, string Group);

/// <summary>A merge that stands: <see cref="From"/>'s spelling adds up under <see cref="Into"/>'s.</summary>
public sealed record GroupMergeDocument(string From, string Into);

/// <summary>One of headquarters' actions on the group names, as stored (the audit trail): who, when, what.</summary>
public sealed record GroupMergeActionDocument(long Seq, GroupMergeAction Action, string From, string? Into, string Actor, DateTimeOffset At);

/// <summary>GET /api/v1/groups: the spellings, the merges that stand, and every merge and unmerge made.</summary>
public sealed record GroupsDocument(long Version, bool OpenGroups, IReadOnlyList<GroupSpellingDocument> Spellings,
    IReadOnlyList<GroupMergeDocument> Merges, IReadOnlyList<GroupMergeActionDocument> History);

public sealed record GroupMergeResponse(long Seq, long Version);

public static class GroupsApi
{
    /// <summary>
    /// GET /api/v1/groups, POST /api/v1/groups/merge {from, into}, POST /api/v1/groups/unmerge {from} (admin): where the
    /// rule set's groups are open (<c>ReportForm.OpenGroups</c>), headquarters merges one spelling into another so the war
    /// room adds them up as one, and undoes it. Each action is stored in the results' commit sequence and kept (the
    /// history is the audit trail); no precinct's own report or allocation is rewritten.
    /// </summary>
    public static RouteGroupBuilder MapGroups(this RouteGroupBuilder group)
    {
        group.RequireAuthorization(Policies.Admin).WithTags("Groups");
        group.MapGet("", Get).WithSummary("The group spellings the counted reports use, with their precincts, the merges that stand and every merge made.");
        group.MapPost("/merge", Merge).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Merge one group spelling into another: the war room adds them up as one.");
        group.MapPost("/unmerge", Unmerge).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Undo the merge of a group spelling.");
        return group;
    }

    private const int RequestLimit = 4096;

    private static async Task<Ok<GroupsDocument>> Get(ResultsState state, ICaucusStore store, CancellationToken cancellationToken)
    {
        var history = await store.LoadGroupMergesAsync(cancellationToken);
        var (version, spellings, merges) = state.GroupSpellings();
        return TypedResults.Ok(new GroupsDocument(version, state.Election.RuleSet.Form.OpenGroups,
            [.. spellings.Select(s => new GroupSpellingDocument(s.Spelling, s.Precincts, s.ShownAs))],
            [.. merges.ByKey.Values.Select(m => new GroupMergeDocument(m.From, m.Into))],
            [.. history.Select(h => new GroupMergeActionDocument(h.Seq, h.Action, h.FromName, h.IntoName, h.Actor, h.MergedAt))]));
    }

    private static async Task<Results<Ok<GroupMergeResponse>, ValidationProblem, ProblemHttpResult>> Merge(HttpContext context, ResultsState state,
        ICaucusStore store, TimeProvider clock, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var fields = JsonText.ReadStringFields(await RequestBody.ReadTextAsync(context.Request, RequestLimit, cancellationToken), RequestLimit,
            ["from", "into"], errors);
        if (fields is null) return TypedResults.ValidationProblem(errors);
        var from = Name(fields, "from", errors);
        var into = Name(fields, "into", errors);
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        if (Closed(state) is { } closed) return closed;
        if (state.GroupSpellings().Merges.Merge(from!, into!) is null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["into"] = [$"'{into}' is '{from}' already, or adds up under it: merging would change nothing or make a loop."],
            });
        }
        return await Append(new NewGroupMerge(GroupMergeAction.Merge, from!, into, Actor(context), clock.GetUtcNow()), state, store, clock, cancellationToken);
    }

    private static async Task<Results<Ok<GroupMergeResponse>, ValidationProblem, ProblemHttpResult>> Unmerge(HttpContext context, ResultsState state,
        ICaucusStore store, TimeProvider clock, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var fields = JsonText.ReadStringFields(await RequestBody.ReadTextAsync(context.Request, RequestLimit, cancellationToken), RequestLimit,
            ["from"], errors);
        if (fields is null) return TypedResults.ValidationProblem(errors);
        var from = Name(fields, "from", errors);
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        if (Closed(state) is { } closed) return closed;
        if (state.GroupSpellings().Merges.Unmerge(from!) is null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["from"] = [$"'{from}' is not merged into another group."] });
        }
        return await Append(new NewGroupMerge(GroupMergeAction.Unmerge, from!, null, Actor(context), clock.GetUtcNow()), state, store, clock, cancellationToken);
    }

    private static async Task<Results<Ok<GroupMergeResponse>, ValidationProblem, ProblemHttpResult>> Append(NewGroupMerge merge, ResultsState state,
        ICaucusStore store, TimeProvider clock, CancellationToken cancellationToken)
    {
        var seq = await store.AppendGroupMergeAsync(merge, cancellationToken);
        await state.WaitForAppliedAsync(seq, cancellationToken).WaitAsync(TimeSpan.FromSeconds(5), clock, cancellationToken);
        return TypedResults.Ok(new GroupMergeResponse(seq, state.Version));
    }

    /// <summary>Under a closed list the groups are the election's candidates: there are no spellings to merge.</summary>
    private static ProblemHttpResult? Closed(ResultsState state) => state.Election.RuleSet.Form.OpenGroups ? null
        : TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The groups are the election's candidates",
            detail: "This election's rule set takes only its candidates as groups: there are no spellings to merge.");

    private static string? Name(Dictionary<string, string> fields, string field, Dictionary<string, string[]> errors)
    {
        var name = fields.TryGetValue(field, out var given) ? GroupName.Normalize(given) : "";
        if (GroupName.Problem(name) is { } problem) errors[field] = [$"{field}: {problem}"];
        return name;
    }

    private static string Actor(HttpContext context) => context.User.FindFirstValue(Roles.TokenIdClaim) ?? "admin";
}
