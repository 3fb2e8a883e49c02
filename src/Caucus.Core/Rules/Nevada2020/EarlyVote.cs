using System.Collections.Immutable;
using Caucus.Core.Model;
using Caucus.Core.Validation;

namespace Caucus.Core.Rules.Nevada2020;

/// <summary>
/// shared/rules/nevada-2020.md, "Early vote (our reading)": "In the first alignment each valid card stands in its first
/// choice's group (so it counts for N and for viability). A group is viable if its first-alignment total (in person +
/// early) reaches the threshold. In the final alignment a card whose first choice is viable stays; any other card moves
/// to its highest-ranked choice that was viable in the first alignment, or leaves (still counted in N) when none was."
/// The engine, not the chair, does this arithmetic.
/// </summary>
public static class EarlyVote
{
    /// <summary>"Early voters ranked three to five candidates; a card with fewer than three different choices was void."</summary>
    public const int FewestChoices = 3;

    public const int MostChoices = 5;

    private static readonly Nevada2020RuleSet Rules = new();

    /// <param name="delegates">The precinct's D (the threshold depends on it).</param>
    /// <param name="inPerson">The in-person counts: attendees at the first alignment, first and final alignments; its
    /// reported delegates and card draws are carried into the merged tally.</param>
    /// <param name="early">The counts of each early-vote ranking cast for this precinct.</param>
    public static EarlyVoteMerge Merge(int delegates, Tally inPerson, IEnumerable<EarlyRanking> early)
    {
        ArgumentNullException.ThrowIfNull(inPerson);
        ArgumentNullException.ThrowIfNull(early);
        if (inPerson.Attendees < 0) throw new TallyException("attendees", "The number of in-person participants cannot be negative.");
        var cards = Validate([.. early]);

        long valid = 0, voided = 0;
        var earlyFirst = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (choices, count) in cards)
        {
            if (choices.Length < FewestChoices)
            {
                voided += count;
                continue;
            }
            valid += count;
            earlyFirst[choices[0]] = earlyFirst.GetValueOrDefault(choices[0]) + count;
        }

        var participants = ToCount("attendees", inPerson.Attendees + valid);
        var first = Add(inPerson.First, earlyFirst, "first");
        var threshold = Rules.ViabilityThreshold(delegates, participants);
        var viable = first.Where(f => f.Value > 0 && f.Value >= threshold).Select(f => f.Key).ToHashSet(StringComparer.Ordinal);

        long left = 0;
        var earlyFinal = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (choices, count) in cards)
        {
            if (choices.Length < FewestChoices) continue;
            var stays = choices.FirstOrDefault(viable.Contains);
            if (stays is null) left += count;
            else earlyFinal[stays] = earlyFinal.GetValueOrDefault(stays) + count;
        }

        var merged = inPerson with { Attendees = participants, First = first, Final = Add(inPerson.Final, earlyFinal, "final"), Early = [] };
        return new EarlyVoteMerge(merged, Counts(earlyFirst, "early"), Counts(earlyFinal, "early"),
            ToCount("early", voided), ToCount("early", left), [.. early]);
    }

    /// <summary>Each ranking's different choices in order (a repeated name adds nothing), or a TallyException naming the field.</summary>
    private static List<(ImmutableArray<string> Choices, long Count)> Validate(ImmutableArray<EarlyRanking> early)
    {
        var cards = new List<(ImmutableArray<string>, long)>(early.Length);
        for (var i = 0; i < early.Length; i++)
        {
            var ranking = early[i] ?? throw new TallyException($"early[{i}]", "An early-vote ranking cannot be empty.");
            if (ranking.Count < 0) throw new TallyException($"early[{i}].count", "The number of early-vote cards cannot be negative.");
            var choices = ranking.Choices.IsDefault ? [] : ranking.Choices;
            if (choices.Length > MostChoices)
                throw new TallyException($"early[{i}].choices", $"A preference card ranks at most {MostChoices} candidates, not {choices.Length}.");
            if (choices.Any(string.IsNullOrWhiteSpace))
                throw new TallyException($"early[{i}].choices", "A ranked choice must name a candidate.");
            cards.Add(([.. choices.Distinct(StringComparer.Ordinal)], ranking.Count));
        }
        return cards;
    }

    private static ImmutableSortedDictionary<string, int> Add(ImmutableSortedDictionary<string, int> inPerson,
        Dictionary<string, long> early, string field)
    {
        var sum = inPerson.ToDictionary(c => c.Key, c => (long)c.Value, StringComparer.Ordinal);
        foreach (var (g, n) in early) sum[g] = sum.GetValueOrDefault(g) + n;
        foreach (var (g, n) in sum)
            if (inPerson.GetValueOrDefault(g) < 0) throw new TallyException($"{field}.{g}", $"The {field} count for {g} cannot be negative.");
        return Counts(sum, field);
    }

    private static ImmutableSortedDictionary<string, int> Counts(Dictionary<string, long> counts, string field) =>
        counts.ToImmutableSortedDictionary(c => c.Key, c => ToCount($"{field}.{c.Key}", c.Value), StringComparer.Ordinal);

    private static int ToCount(string field, long value) =>
        value <= int.MaxValue ? (int)value : throw new TallyException(field, $"{value:N0} is more than a count can hold.");
}
