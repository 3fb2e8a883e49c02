using System.Collections.Immutable;
using Caucus.Core.Allocation;
using Caucus.Core.Model;
using Caucus.Core.Validation;

namespace Caucus.Core.Rules;

/// <summary>
/// What every rule set does once its arithmetic leaves a tie to chance: apply the recorded outcome that settles it, or
/// the provisional one (the first tied groups in ordinal order of their names) until one is recorded, and say which
/// recorded outcomes match no tie. Only the game's name differs between rule sets (<see cref="TieMethod"/>).
/// </summary>
public static class TieSettlement
{
    public static (AllocationStatus Status, TieBreak? Applied) Settle(Tally tally, PendingTie? tie, TieMethod method,
        Dictionary<string, int> award, ImmutableArray<ReportWarning>.Builder warnings)
    {
        ArgumentNullException.ThrowIfNull(tally);
        ArgumentNullException.ThrowIfNull(award);
        ArgumentNullException.ThrowIfNull(warnings);
        var status = AllocationStatus.Decided;
        TieBreak? applied = null;
        var game = method.Describe();
        if (tie is not null)
        {
            var recorded = tally.TieBreaksOrEmpty.FirstOrDefault(t => t.Groups.SequenceEqual(tie.Groups));
            if (recorded?.WinnersOf(tie) is { } winners)
            {
                applied = recorded;
                status = AllocationStatus.TieBroken;
                ApplyOutcome(tie, winners, award);
            }
            else
            {
                if (recorded is not null)
                {
                    warnings.Add(new(WarningCode.TieBreakInvalid,
                        $"The recorded {game} among {string.Join(", ", tie.Groups)} must name {tie.Delegates} winner(s) from those groups."));
                }
                status = AllocationStatus.PendingTieBreak;
                ApplyOutcome(tie, tie.Groups.Take(tie.Delegates), award);
                warnings.Add(new(WarningCode.TieBreakPending,
                    $"A {game} decides: {tie.Describe()}. Until its outcome is recorded the allocation is provisional."));
            }
        }
        foreach (var unused in tally.TieBreaksOrEmpty.Where(t => t != applied && (tie is null || !t.Groups.SequenceEqual(tie.Groups))))
        {
            warnings.Add(new(WarningCode.TieBreakNotApplicable,
                $"The recorded {game} among {string.Join(", ", unused.Groups)} does not match a tie the rules leave to chance."));
        }
        return (status, applied);
    }

    /// <summary>In a too-many tie the losers give a delegate back; otherwise (too few, a single delegate) the winners gain one.</summary>
    public static void ApplyOutcome(PendingTie tie, IEnumerable<string> winners, Dictionary<string, int> award)
    {
        ArgumentNullException.ThrowIfNull(tie);
        ArgumentNullException.ThrowIfNull(award);
        var won = winners.ToHashSet(StringComparer.Ordinal);
        foreach (var g in tie.Groups)
        {
            if (tie.Kind == TieKind.TooMany && !won.Contains(g)) award[g] -= 1;
            else if (tie.Kind != TieKind.TooMany && won.Contains(g)) award[g] += 1;
        }
    }
}
