using System.Collections.Immutable;
using Caucus.Core.Model;

namespace Caucus.Core.Verification;

/// <summary>
/// The verdict on one published row; <see cref="Precinct"/> is null when the row is not in the election (status "unknown");
/// <see cref="Verdict"/> alone is null when the precinct held no caucus (no one in either alignment: "not-held").
/// <see cref="PublishedDelegates"/> are the county delegates the published SDEs stand for (null when they are not
/// whole delegates): what the party reported, to be compared as a chair's reported delegates are.
/// </summary>
public sealed record VerifiedPrecinct(PublishedRow Row, Precinct? Precinct, ConsistencyVerdict? Verdict,
    ImmutableSortedDictionary<string, int>? PublishedDelegates = null)
{
    public const string NotInElection = "the precinct is not in the election definition";

    public const string NoOneAligned = "no one aligned: no caucus was held";

    public string Status => Verdict?.Status.Slug() ?? (Precinct is null ? "unknown" : "not-held");

    public bool NotHeld => Verdict is null && Precinct is not null;

    public string Reason => Verdict is null
        ? Precinct is null ? NotInElection : NoOneAligned
        : Verdict.Status == ConsistencyStatus.Consistent ? "" : Verdict.Describe();
}
