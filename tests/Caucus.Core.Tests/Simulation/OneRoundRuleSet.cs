using Caucus.Core.Allocation;
using Caucus.Core.Model;
using Caucus.Core.Rules;
using Caucus.Core.Rules.WalkingSubcaucus;
using Caucus.Core.Validation;

namespace Caucus.Core.Tests.Simulation;

/// <summary>
/// A stand-in one-round rule set (<see cref="ReportForm.OneRound"/>) for the generator's tests until the secret ballot's
/// precinct rule set lands: the walking subcaucus's arithmetic on the one count, and a refusal of any report that is not
/// one round (first and final the same, no more votes than ballots), so a generator that wrote two rounds fails here.
/// </summary>
internal sealed class OneRoundRuleSet : IRuleSet
{
    private readonly WalkingSubcaucusRuleSet _inner = new();

    public string Name => "one-round-test";

    public SatelliteWeighting SatelliteWeighting => SatelliteWeighting.Attendance;

    public HeadlineUnit Headline => _inner.Headline;

    public ReportForm Form { get; } = new("Ballots cast", "", "Votes", null, TieMethod.DrawnLot, OneRound: true);

    public PlausibilityLimits Plausibility => _inner.Plausibility;

    public int ViabilityThreshold(int delegates, int attendees) => _inner.ViabilityThreshold(delegates, attendees);

    public PrecinctAllocation Allocate(int delegates, Tally tally)
    {
        ArgumentNullException.ThrowIfNull(tally);
        if (!Tally.SameCounts(tally.First, tally.Final)) throw new TallyException("first", "One round: the first count is the votes.");
        if (tally.FinalTotal > tally.Attendees) throw new TallyException("attendees", "More votes than ballots cast.");
        return _inner.Allocate(delegates, tally);
    }

    public CountedTally Count(int delegates, Tally reported) => _inner.Count(delegates, reported);

    public IFastAllocator CreateFastAllocator() => _inner.CreateFastAllocator();

    public IRuleSet WithSatelliteWeighting(SatelliteWeighting weighting) => this;
}
