using Caucus.Core.Allocation;

namespace Caucus.Core.Rules;

/// <summary>
/// What Iowa's and Nevada's fast allocators share word for word: the checks, the viability pass, the D = 1 rule, the
/// provisional outcome of a tie and its replacement. Each derived class brings only its rounding for D ≥ 2
/// (<see cref="AllocateSeveral"/>), which reports a tie by filling <see cref="Tied"/> and setting <see cref="TiedCount"/>,
/// <see cref="TieKind"/> and <see cref="TieWinners"/>.
/// </summary>
public abstract class FastAllocatorBase : IFastAllocator
{
    /// <summary>Tie-break outcomes are bit masks over group indices.</summary>
    public const int MaxGroups = IFastAllocator.MaxGroups;

    private readonly string _gameOfChance;
    private ulong _appliedWinners;

    /// <param name="gameOfChance">What the rules call the tie-break, for the error when none is pending.</param>
    protected FastAllocatorBase(string gameOfChance) => _gameOfChance = gameOfChance;

    /// <summary>Whether each group of the last allocation is viable.</summary>
    protected bool[] Viable { get; } = new bool[MaxGroups];

    /// <summary>The tied groups of the last allocation (the first <see cref="TiedCount"/>).</summary>
    protected int[] Tied { get; } = new int[MaxGroups];

    protected int TiedCount { get; set; }

    public int Threshold { get; private set; }

    public bool IsPending => TiedCount > 0;

    public TieKind TieKind { get; protected set; }

    public int TieWinners { get; protected set; }

    public ReadOnlySpan<int> TiedGroups => Tied.AsSpan(0, TiedCount);

    public bool DividedByFinalTotal { get; protected set; }

    public abstract int ViabilityThreshold(int delegates, int attendees);

    public bool Allocate(int delegates, int attendees, ReadOnlySpan<int> final, Span<int> award)
    {
        var k = final.Length;
        if (k > MaxGroups) throw new ArgumentOutOfRangeException(nameof(final), $"At most {MaxGroups} groups.");
        if (award.Length < k) throw new ArgumentException("The award span is shorter than the groups.", nameof(award));
        if (delegates < 0 || attendees < 0) throw new ArgumentOutOfRangeException(nameof(delegates), "Counts cannot be negative.");
        award[..k].Clear();
        TiedCount = 0;
        _appliedWinners = 0;
        TieWinners = 0;
        DividedByFinalTotal = false;
        Threshold = ViabilityThreshold(delegates, attendees);

        var viableCount = 0;
        long finalTotal = 0;
        for (var i = 0; i < k; i++)
        {
            if (final[i] < 0) throw new ArgumentOutOfRangeException(nameof(final), "Counts cannot be negative.");
            finalTotal += final[i];
            Viable[i] = final[i] > 0 && final[i] >= Threshold;
            if (Viable[i]) viableCount++;
        }
        if (delegates == 0 || attendees == 0 || viableCount == 0) return false;

        if (delegates == 1)
        {
            // Both rule sets: "D = 1: the single delegate goes to the group with the most supporters in final alignment."
            var most = 0;
            for (var i = 0; i < k; i++) if (Viable[i] && final[i] > most) most = final[i];
            for (var i = 0; i < k; i++) if (Viable[i] && final[i] == most) Tied[TiedCount++] = i;
            if (TiedCount == 1)
            {
                award[Tied[0]] = 1;
                TiedCount = 0;
                return false;
            }
            TieKind = TieKind.SingleDelegate;
            TieWinners = 1;
        }
        else
        {
            AllocateSeveral(delegates, attendees, final, award, finalTotal, viableCount);
        }
        if (TiedCount == 0) return false;
        // Provisional order, as the rule sets document it: the first tied groups in ordinal order win.
        for (var j = 0; j < TieWinners; j++) _appliedWinners |= 1UL << Tied[j];
        Shift(award, _appliedWinners, +1);
        return true;
    }

    /// <summary>
    /// D ≥ 2, at least one viable group, attendees &gt; 0: fills the viable groups' awards, or records a tie
    /// (its provisional outcome is applied by <see cref="Allocate"/>).
    /// </summary>
    protected abstract void AllocateSeveral(int delegates, int attendees, ReadOnlySpan<int> final, Span<int> award, long finalTotal, int viableCount);

    public void ApplyTieOutcome(Span<int> award, ulong winners)
    {
        if (TiedCount == 0) throw new InvalidOperationException($"No {_gameOfChance} is pending.");
        ulong tiedMask = 0;
        for (var j = 0; j < TiedCount; j++) tiedMask |= 1UL << Tied[j];
        if ((winners & ~tiedMask) != 0 || System.Numerics.BitOperations.PopCount(winners) != TieWinners)
        {
            throw new ArgumentException($"The winners must be {TieWinners} of the tied groups.", nameof(winners));
        }
        Shift(award, _appliedWinners, -1);
        _appliedWinners = winners;
        Shift(award, winners, +1);
    }

    /// <summary>
    /// Applies (sign +1) or undoes (-1) an outcome: in a too-many tie the losers give a delegate back, otherwise
    /// the winners gain one.
    /// </summary>
    private void Shift(Span<int> award, ulong winners, int sign)
    {
        for (var j = 0; j < TiedCount; j++)
        {
            var g = Tied[j];
            var won = (winners & (1UL << g)) != 0;
            if (TieKind == TieKind.TooMany ? !won : won) award[g] += TieKind == TieKind.TooMany ? -sign : sign;
        }
    }
}
