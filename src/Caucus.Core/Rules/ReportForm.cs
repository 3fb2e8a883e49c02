using Caucus.Core.Model;

namespace Caucus.Core.Rules;

/// <summary>
/// The unit a rule set's results are headlined in, and what to call it: Iowa 2020's state delegate equivalents (county
/// delegates weighted by the county's state delegates), Nevada 2020's county convention delegates (no weighting).
/// </summary>
/// <param name="WeightedByCounty">Each county delegate is worth the county's <c>stateDelegates / countyDelegates</c>;
/// when false a delegate is one unit, and an election folder must say so (<c>stateDelegates = countyDelegates</c>).</param>
/// <param name="Statewide">The headline is allocated statewide only (<see cref="IRuleSet.Statewide"/>): a county's or
/// district's document carries its votes and no headline of its own, and the pages show none.</param>
public sealed record HeadlineUnit(string Name, string Abbreviation, bool WeightedByCounty, bool Statewide = false)
{
    /// <summary>A value in this unit as the party shows it: weighted units to 4 decimals (halves up), whole delegates as integers.</summary>
    public string Format(Arithmetic.Rational value) => value.ToDecimalString(WeightedByCounty ? 4 : 0);
}

/// <summary>An early vote of ranked preference cards: each card ranks from <paramref name="FewestChoices"/> to <paramref name="MostChoices"/> groups.</summary>
public sealed record EarlyVoteForm(int FewestChoices, int MostChoices);

/// <summary>
/// What a precinct reports under a rule set, for the entry forms of the pages (the hotline console, the report page,
/// the admin page render from it) and for the report reader (which fields it accepts): the labels of the attendance
/// count and the two alignments, whether the chair's delegates are reported, the early-vote cards if the rule set has
/// them, and the game of chance its ties go to (<see cref="TieMethod"/>: a coin toss records winners, a card draw
/// records each tied group's card). The groups are the election's candidates unless <paramref name="OpenGroups"/>.
/// </summary>
/// <param name="OneRound">The precinct counts once (a secret ballot's votes): the report gives <c>final</c> only, which
/// is also its first alignment; <paramref name="FirstLabel"/> is then unused.</param>
/// <param name="OpenGroups">Groups are created by the report (a walking subcaucus names its subcaucuses on the night):
/// the election's candidates are only the names the forms suggest.</param>
public sealed record ReportForm(
    string AttendeesLabel,
    string FirstLabel,
    string FinalLabel,
    EarlyVoteForm? EarlyVote,
    TieMethod Ties,
    bool OneRound = false,
    bool OpenGroups = false);

/// <summary>
/// A report as the rule set counts it: <paramref name="Tally"/> has the early vote merged into both alignments (what is
/// allocated and summed into the popular vote); <paramref name="Early"/> is the early vote's part of each alignment,
/// null where the report has none.
/// </summary>
public sealed record CountedTally(Tally Tally, EarlyVoteMerge? Early);
