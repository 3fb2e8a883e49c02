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
        var ranges = DelegateRanges.Of(rules, votes, remainingVotes).ToDictionary(r => r.Candidate, StringComparer.Ordinal);
        var candidates = votes.Keys.Order(StringComparer.Ordinal).Select(c =>
        {
            var delegates = allocation?.Delegates.GetValueOrDefault(c) ?? 0;
            var range = ranges[c];
            return new StatewideCandidate(c, votes[c], delegates, Math.Min(range.Low, delegates), Math.Max(range.High, delegates));
        });
        return new([.. candidates], DelegateRanges.Called([.. ranges.Values]), remainingVotes, allocation?.Lot?.Seats ?? 0, RangesExact: false);
    }

    public IFastStatewideAllocator CreateFastAllocator(IReadOnlyList<string> candidates) => new FastStatewideAllocator(rules, candidates);
}
