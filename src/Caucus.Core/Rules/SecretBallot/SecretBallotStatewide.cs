using System.Collections.Immutable;
using Caucus.Core.Validation;

namespace Caucus.Core.Rules.SecretBallot;

/// <summary>
/// A secret ballot's statewide headline: <see cref="StatewideAllocator"/> on the summed vote (the recorded lot, if the
/// folder gives one, settles equal claims), and <see cref="DelegateRanges"/> for what the votes out could still move.
/// </summary>
internal sealed class SecretBallotStatewide(SecretBallotRules rules, ImmutableArray<string>? lot) : IStatewideHeadline
{
    public StatewideCount Count(IReadOnlyDictionary<string, long> votes, long remainingVotes)
    {
        ArgumentNullException.ThrowIfNull(votes);
        var total = votes.Values.Sum();
        // No vote counted yet allocates nothing; the ranges still say what the votes out could do.
        var allocation = total == 0 ? null : StatewideAllocator.Allocate(rules, votes, lot is { } l ? [.. l] : null);
        var ranges = StatewideRanges.Of(rules, votes, remainingVotes).ToDictionary(r => r.Candidate, StringComparer.Ordinal);
        var candidates = votes.Keys.Order(StringComparer.Ordinal).Select(c =>
        {
            var delegates = allocation?.Delegates.GetValueOrDefault(c) ?? 0;
            var range = ranges[c];
            // Nothing out and no lot pending: the count is the result (a recorded lot settles what the ranges leave to chance).
            return remainingVotes == 0 && allocation is { Lot: null }
                ? new StatewideCandidate(c, votes[c], delegates, delegates, delegates)
                : new StatewideCandidate(c, votes[c], delegates, Math.Min(range.Low, delegates), Math.Max(range.High, delegates));
        }).ToImmutableArray();
        return new(candidates, candidates.Sum(c => c.Low), remainingVotes, allocation?.Lot?.Seats ?? 0,
            RangesExact: ranges.Values.All(r => r.LowExact && r.HighExact));
    }

    public IFastStatewideAllocator CreateFastAllocator(IReadOnlyList<string> candidates) => new FastStatewideAllocator(rules, candidates);
}
