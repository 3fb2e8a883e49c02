using System.Collections.Immutable;
using Caucus.Core.Allocation;
using Caucus.Core.Model;
using Caucus.Core.Validation;

namespace Caucus.Core.Rules.SecretBallot;

/// <summary>
/// A Republican secret-ballot caucus as the service counts it (shared/rules/secret-ballot.md): each reporting unit holds
/// one round of secret ballots and reports its votes per candidate; "no precinct delegates for president", so a unit's
/// allocation carries its votes and no delegate, and the national delegates are allocated statewide from the summed
/// vote (<see cref="Statewide"/>, <see cref="StatewideAllocator"/>). Parameters from the election folder
/// (<see cref="SecretBallotParameters"/>).
/// </summary>
public sealed class SecretBallotRuleSet(SecretBallotRules rules, ImmutableArray<string>? lot = null) : IRuleSet
{
    public const string RuleSetName = SecretBallotParameters.RuleSetName;

    public SecretBallotRules Rules { get; } = rules.Validated();

    public string Name => RuleSetName;

    /// <summary>Republican caucuses hold no satellites; kept only because the interface asks for it.</summary>
    public SatelliteWeighting SatelliteWeighting => SatelliteWeighting.Attendance;

    public IRuleSet WithSatelliteWeighting(SatelliteWeighting weighting) => this;

    /// <summary>National delegates, whole ones, allocated from the statewide vote only: no county or district has any.</summary>
    public HeadlineUnit Headline { get; } = new("National delegates", "delegates", WeightedByCounty: false, Statewide: true);

    /// <summary>
    /// One count: ballots cast, and the votes for each candidate; no alignment, no early vote, no tie at the unit (the
    /// statewide lot, when one is needed, is recorded in the election folder: <see cref="SecretBallotParameters.ReadLot"/>).
    /// </summary>
    public ReportForm Form { get; } = new("Ballots cast", "Votes", "Votes", null, TieMethod.DrawnLot, OneRound: true);

    /// <summary>
    /// Not measured on a public record (no unit-level Republican caucus counts were at hand). A unit elects no delegate
    /// (D = 0, counted as 1), so the per-delegate figure is the limit of a unit without registered voters or past turnout
    /// in the folder: 20,200 ballots, room for a whole county reporting as one unit (the shipped Iowa folder). Where the
    /// folder gives them: registered voters + 200, or 3 × past turnout + 200. The statewide ranges take the same limit as
    /// the most an unreported unit can add (the README's stated assumption): a report above it is held until confirmed.
    /// </summary>
    public PlausibilityLimits Plausibility { get; } = new(AttendeesPerDelegate: 20_000, Allowance: 200, PastTurnoutMultiple: 3, HardCeiling: 50_000);

    /// <summary>No threshold at the unit: the statewide threshold is the statewide allocation's.</summary>
    public int ViabilityThreshold(int delegates, int attendees) => 0;

    public IStatewideHeadline Statewide => _statewide ??= new SecretBallotStatewide(Rules, lot);

    private SecretBallotStatewide? _statewide;

    public CountedTally Count(int delegates, Tally reported)
    {
        ArgumentNullException.ThrowIfNull(reported);
        if (reported.HasEarlyVote) throw new TallyException("early", "A secret ballot has no early vote.");
        return new(reported, null);
    }

    public IFastAllocator CreateFastAllocator() => new NoUnitDelegates();

    /// <summary>The unit's votes, no delegate; its own check: no more votes than ballots cast.</summary>
    public PrecinctAllocation Allocate(int delegates, Tally tally)
    {
        ArgumentNullException.ThrowIfNull(tally);
        Count(delegates, tally);
        if (tally.Attendees < 0) throw new TallyException("attendees", "The number of ballots cast cannot be negative.");
        foreach (var (g, n) in tally.Final)
            if (n < 0) throw new TallyException($"final.{g}", $"The votes for {g} cannot be negative.");
        var warnings = ImmutableArray.CreateBuilder<ReportWarning>();
        if (tally.FinalTotal > tally.Attendees)
        {
            warnings.Add(new(WarningCode.VotesExceedBallots,
                $"The votes total {tally.FinalTotal:N0}, more than the {tally.Attendees:N0} ballots cast."));
        }
        return new PrecinctAllocation(delegates, tally.Attendees, 0,
            [.. tally.Groups.Select(g => new GroupAllocation(g, tally.FinalOf(g), tally.FinalOf(g), false, null, 0))],
            AllocationStatus.Decided, null, null, warnings.ToImmutable());
    }

    /// <summary>Ballots cast above the unit's registered voters, where the folder gives them (people may register at the door: a look, not a hold).</summary>
    public IEnumerable<ReportWarning> UnitChecks(Precinct precinct, Tally tally)
    {
        ArgumentNullException.ThrowIfNull(precinct);
        ArgumentNullException.ThrowIfNull(tally);
        if (precinct.Registered is { } registered && tally.Attendees > registered)
        {
            yield return new(WarningCode.BallotsAboveRegistered,
                $"{tally.Attendees:N0} ballots cast where {precinct.Name} has {registered:N0} registered voters.");
        }
    }

    /// <summary>The projection's per-unit arithmetic: a unit elects nobody, never a tie.</summary>
    private sealed class NoUnitDelegates : IFastAllocator
    {
        public int Threshold => 0;
        public bool IsPending => false;
        public TieKind TieKind => TieKind.TooFew;
        public int TieWinners => 0;
        public ReadOnlySpan<int> TiedGroups => [];
        public bool DividedByFinalTotal => false;
        public int ViabilityThreshold(int delegates, int attendees) => 0;

        public bool Allocate(int delegates, int attendees, ReadOnlySpan<int> final, Span<int> award)
        {
            award[..final.Length].Clear();
            return false;
        }

        public void ApplyTieOutcome(Span<int> award, ulong winners) =>
            throw new InvalidOperationException("A secret-ballot unit has no tie to settle.");
    }
}
