using Caucus.Core.Model;

namespace Caucus.Core.Verification;

/// <summary>The verdict on one published row; <see cref="Precinct"/> is null when the row is not in the election (status "unknown").</summary>
public sealed record VerifiedPrecinct(PublishedRow Row, Precinct? Precinct, ConsistencyVerdict? Verdict)
{
    public string Status => Verdict?.Status.Slug() ?? "unknown";

    public string Reason => Verdict is null
        ? "the precinct is not in the election definition"
        : Verdict.Status == ConsistencyStatus.Consistent ? "" : Verdict.Describe();
}
