using Caucus.Core.Allocation;
using Caucus.Core.Model;
using Caucus.Core.Rules.Iowa2020;

namespace Caucus.Core.Rules;

/// <summary>
/// A named, versioned set of caucus rules. Other years and states are added beside
/// <see cref="Iowa2020RuleSet"/> without touching it.
/// </summary>
public interface IRuleSet
{
    string Name { get; }

    SatelliteWeighting SatelliteWeighting { get; }

    /// <summary>The unit its results are headlined in (Iowa: SDEs; Nevada: county convention delegates) and what to call it.</summary>
    HeadlineUnit Headline { get; }

    /// <summary>What a precinct reports: the entry form the pages render and the fields the report reader accepts.</summary>
    ReportForm Form { get; }

    /// <summary>The game of chance ties go to (the form's <see cref="ReportForm.Ties"/>).</summary>
    TieMethod Ties => Form.Ties;

    /// <summary>How many attendees a precinct may report before its report is held for review.</summary>
    PlausibilityLimits Plausibility { get; }

    /// <summary>The fewest final-alignment supporters a group needs to be viable in a precinct electing <paramref name="delegates"/>.</summary>
    int ViabilityThreshold(int delegates, int attendees);

    /// <summary>Allocates the precinct's <paramref name="delegates"/> county delegates. Pure and total: a result, or a <c>TallyException</c>.</summary>
    PrecinctAllocation Allocate(int delegates, Tally tally);

    /// <summary>
    /// The report as counted: the early vote merged into the alignments where the rule set has one (what
    /// <see cref="Allocate"/> is given and the popular vote sums). A report with early-vote cards under a rule set
    /// without them is a <c>TallyException</c> naming <c>early</c>.
    /// </summary>
    CountedTally Count(int delegates, Tally reported);

    /// <summary>
    /// A fresh allocator with the same arithmetic as <see cref="Allocate"/> on int spans, for the projection's inner
    /// loop. It reuses its buffers: one per thread.
    /// </summary>
    IFastAllocator CreateFastAllocator();

    IRuleSet WithSatelliteWeighting(SatelliteWeighting weighting);

    /// <summary>
    /// The headline allocated statewide from the summed vote, when the rule set has one (a secret ballot's national
    /// delegates): the units then elect no headline delegates and county and district totals carry votes only.
    /// </summary>
    IStatewideHeadline? Statewide => null;

    /// <summary>
    /// The rule set's checks of a report against its unit's figures in the folder (registered voters, past turnout),
    /// beyond what <see cref="Allocate"/> sees: warnings for the review queue, never a change to the count.
    /// </summary>
    IEnumerable<Validation.ReportWarning> UnitChecks(Precinct precinct, Tally tally) => [];
}
