using Caucus.Core.Aggregation;
using Caucus.Core.Allocation;
using Caucus.Core.Arithmetic;
using Caucus.Core.Counting;
using Caucus.Core.Validation;

namespace Caucus.Api.Reports;

/// <summary>
/// The 201 answer to a report: its revision, the computed allocation, warnings and any pending tie-break, and
/// (hotline) where double entry stands: an entry awaiting its second operator, or in mismatch, does not count.
/// <c>held</c> says why an implausible report is stored but held out of every total (answered 202) until an admin confirms it.
/// </summary>
public sealed record ReportResponse(
    string Precinct,
    int Revision,
    ReportSource Source,
    AllocationDocument Allocation,
    IReadOnlyList<WarningDocument> Warnings,
    TieDocument? PendingTieBreak,
    string? Held,
    DoubleEntryDocument? DoubleEntry,
    EarlyVoteDocument? Early = null);

/// <summary>The answer to a preview: what a report with this body would compute. Nothing is stored or counted.</summary>
public sealed record PreviewResponse(
    string Precinct,
    AllocationDocument Allocation,
    IReadOnlyList<WarningDocument> Warnings,
    TieDocument? PendingTieBreak,
    EarlyVoteDocument? Early = null);

/// <summary>Where a precinct's hotline entries stand; on a mismatch, the differing fields ("final.Warren: 9 vs 7").</summary>
/// <param name="Operators">When the entries differ and the answer could name them: the operators of the two entries each
/// difference compares, in its order ("final.Warren: 9 vs 7": the first name entered 9), named as the credentials were
/// issued ("Hotline operator 2"), never a token id.</param>
public sealed record DoubleEntryDocument(DoubleEntryStatus Status, IReadOnlyList<string> Differences, IReadOnlyList<string>? Operators = null)
{
    public static DoubleEntryDocument? From(DoubleEntryState? state, Review.OperatorNames? names = null) => state is null ? null
        : new(state.Status, state.Differences,
            names is not null && state.Differs && state.DifferingEntry is { } differing && state.ComparedWith is { } compared
                ? [names.Of(differing.Actor), names.Of(compared.Actor)]
                : null);
}

/// <summary>
/// A precinct's computed allocation. <c>sde</c> is given for precincts (delegates × SD/CD); a satellite's
/// SDEs depend on its whole satellite county and are shown on the precinct and results pages instead.
/// </summary>
public sealed record AllocationDocument(
    int Delegates,
    int Attendees,
    int ViabilityThreshold,
    AllocationStatus Status,
    bool Provisional,
    IReadOnlyDictionary<string, int> CountyDelegates,
    IReadOnlyDictionary<string, string>? Sde,
    IReadOnlyList<string> ViableGroups)
{
    public static AllocationDocument From(PrecinctAllocation a, IReadOnlyDictionary<string, Rational>? sde) => new(
        a.Delegates, a.Attendees, a.ViabilityThreshold, a.Status, a.IsProvisional,
        a.Groups.Where(g => g.Delegates > 0 || g.Viable).ToDictionary(g => g.Group, g => g.Delegates, StringComparer.Ordinal),
        sde?.Where(s => a.DelegatesOf(s.Key) > 0).ToDictionary(s => s.Key, s => s.Value.ToDecimalString(4), StringComparer.Ordinal),
        [.. a.Groups.Where(g => g.Viable).Select(g => g.Group)]);
}

public sealed record WarningDocument(WarningCode Code, string Message, string? Group)
{
    public static WarningDocument From(ReportWarning w) => new(w.Code, w.Message, w.Group);
}

/// <summary>A tie the rules leave to chance: which groups tie for how many delegates.</summary>
public sealed record TieDocument(TieKind Kind, IReadOnlyList<string> Groups, int Delegates, string Description)
{
    public static TieDocument From(PendingTie t) => new(t.Kind, t.Groups, t.Delegates, t.Describe());
}

/// <summary>
/// In person and early side by side, where the report carries an early vote: the counted alignments (what the allocation
/// and the totals use) are the in-person counts plus the early cards merged in by the rule set. <c>cards</c> is every card
/// reported, <c>void</c> those with too few different choices (in no group, not counted as participants), <c>left</c> the
/// valid cards with no choice viable at the first alignment (participants in no final group).
/// </summary>
public sealed record EarlyVoteDocument(
    int InPersonAttendees,
    IReadOnlyDictionary<string, int> InPersonFirst,
    IReadOnlyDictionary<string, int> InPersonFinal,
    int Cards,
    int Void,
    int Left,
    IReadOnlyDictionary<string, int> EarlyFirst,
    IReadOnlyDictionary<string, int> EarlyFinal,
    IReadOnlyList<EarlyRankingDocument> Rankings)
{
    public static EarlyVoteDocument? From(PrecinctResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Early is not { } early) return null;
        var valid = early.EarlyFirst.Values.Sum();
        return new(result.Tally.Attendees - valid,
            Minus(result.Tally.First, early.EarlyFirst), Minus(result.Tally.Final, early.EarlyFinal),
            valid + early.VoidCards, early.VoidCards, early.LeftCards, early.EarlyFirst, early.EarlyFinal,
            [.. (early.Rankings.IsDefault ? [] : early.Rankings).Select(r => new EarlyRankingDocument(r.Choices, r.Count))]);
    }

    private static Dictionary<string, int> Minus(IReadOnlyDictionary<string, int> counted, IReadOnlyDictionary<string, int> early) =>
        counted.ToDictionary(c => c.Key, c => c.Value - early.GetValueOrDefault(c.Key), StringComparer.Ordinal);
}

/// <summary>One early-vote ranking as reported: its choices, first first, and how many cards ranked so.</summary>
public sealed record EarlyRankingDocument(IReadOnlyList<string> Choices, int Count);
