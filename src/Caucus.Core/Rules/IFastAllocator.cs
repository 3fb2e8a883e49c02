using Caucus.Core.Allocation;

namespace Caucus.Core.Rules;

/// <summary>
/// A rule set's delegate arithmetic for the projection's inner loop (<see cref="IRuleSet.CreateFastAllocator"/>): int
/// spans, no allocation per call, and the same awards, ties and provisional outcomes as the rule set's exact
/// <see cref="IRuleSet.Allocate"/> (each implementation has a property test against its rule set). The projection names
/// no concrete allocator, so a new rule set brings its own. Groups are indexed in ordinal order of their names, because
/// that is the provisional order of a pending tie. Not thread-safe: one instance per thread (it reuses its buffers).
/// </summary>
public interface IFastAllocator
{
    /// <summary>Tie-break outcomes are bit masks over group indices.</summary>
    const int MaxGroups = 64;

    /// <summary>As the rule set's <see cref="IRuleSet.ViabilityThreshold"/>, for non-negative counts, without the checks.</summary>
    int ViabilityThreshold(int delegates, int attendees);

    /// <summary>The viability threshold of the last allocation.</summary>
    int Threshold { get; }

    /// <summary>True when the last allocation leaves a game of chance pending (its award is then the provisional one).</summary>
    bool IsPending { get; }

    TieKind TieKind { get; }

    /// <summary>How many of <see cref="TiedGroups"/> win the pending game of chance.</summary>
    int TieWinners { get; }

    /// <summary>The tied groups' indices, ascending (ordinal order of their names).</summary>
    ReadOnlySpan<int> TiedGroups { get; }

    /// <summary>True when the last allocation had to divide by the final-alignment total (the rule set's README).</summary>
    bool DividedByFinalTotal { get; }

    /// <summary>
    /// Fills <paramref name="award"/> with the delegates of each group (provisional when <see cref="IsPending"/>: the
    /// first tied groups win, as in the rule set). Counts must be non-negative.
    /// </summary>
    /// <returns>Whether a game of chance is pending.</returns>
    bool Allocate(int delegates, int attendees, ReadOnlySpan<int> final, Span<int> award);

    /// <summary>
    /// Replaces the provisional outcome of the pending tie by the one whose winners are the groups in
    /// <paramref name="winners"/> (bit i = group i); it must name exactly <see cref="TieWinners"/> of <see cref="TiedGroups"/>.
    /// </summary>
    void ApplyTieOutcome(Span<int> award, ulong winners);
}
