using System.Collections.Immutable;
using Caucus.Core.Validation;

namespace Caucus.Core.Rules.SecretBallot;

/// <summary>
/// A secret ballot's statewide headline: <see cref="StatewideAllocator"/> on the summed vote (the recorded lot, if the
/// folder gives one, settles equal claims), and <see cref="DelegateRanges"/> for what the votes out could still move.
/// </summary>
internal sealed class SecretBallotStatewide(SecretBallotRules rules, ImmutableArray<string>? lot) : IStatewideHeadline
{
    // The last count asked for and its answer: a results version asks the same question several times (the document,
    // the other reading, the leader alert, the status), and the exact ranges cost a small search each.
    // A reference, swapped whole, so a reader on another thread never sees one count's key with another's answer.
    private Cached? _last;

    private sealed record Cached(string Key, StatewideCount Count);

    public StatewideCount Count(IReadOnlyDictionary<string, long> votes, long remainingVotes)
    {
        ArgumentNullException.ThrowIfNull(votes);
        var key = string.Join(",", votes.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => $"{v.Key}={v.Value}")) + $"|{remainingVotes}";
        if (_last is { } last && last.Key == key) return last.Count;
        var count = Compute(votes, remainingVotes);
        _last = new Cached(key, count);
        return count;
    }

    private StatewideCount Compute(IReadOnlyDictionary<string, long> votes, long remainingVotes)
    {
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
