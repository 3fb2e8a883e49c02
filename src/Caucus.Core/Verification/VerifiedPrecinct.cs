using System.Collections.Immutable;
using Caucus.Core.Model;

namespace Caucus.Core.Verification;

/// <summary>
/// The verdict on one published row; <see cref="Precinct"/> is null when the row is not in the election (status "unknown").
/// <see cref="PublishedDelegates"/> are the county delegates the published SDEs stand for (null when they are not
/// whole delegates): what the party reported, to be compared as a chair's reported delegates are.
/// </summary>
public sealed record VerifiedPrecinct(PublishedRow Row, Precinct? Precinct, ConsistencyVerdict? Verdict,
    ImmutableSortedDictionary<string, int>? PublishedDelegates = null)
{
    public string Status => Verdict?.Status.Slug() ?? "unknown";

    public string Reason => Verdict is null
        ? "the precinct is not in the election definition"
        : Verdict.Status == ConsistencyStatus.Consistent ? "" : Verdict.Describe();
}
