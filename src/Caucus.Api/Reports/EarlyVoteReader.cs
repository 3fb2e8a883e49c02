using System.Collections.Immutable;
using System.Text.Json;
using Caucus.Core.Model;
using Caucus.Core.Rules;

namespace Caucus.Api.Reports;

/// <summary>
/// Reads a report's <c>early</c> votes, where the rule set has them (<see cref="EarlyVoteForm"/>): the number of early-vote
/// preference cards cast for the precinct with each ranking, <c>[{"choices": ["Warren", "Sanders", "Biden"], "count": 12}]</c>,
/// first choice first. The rule set merges them into the alignments; a ranking of fewer than its fewest choices is
/// accepted (the rules count such a card as void), more than its most is refused.
/// </summary>
public static class EarlyVoteReader
{
    public const string Field = "early";

    public static ImmutableArray<EarlyRanking> Read(JsonElement root, IReadOnlyCollection<string> candidates, EarlyVoteForm form, Action<string, string> error)
    {
        ArgumentNullException.ThrowIfNull(form);
        ArgumentNullException.ThrowIfNull(error);
        if (!root.TryGetProperty(Field, out var e) || e.ValueKind == JsonValueKind.Null) return [];
        if (e.ValueKind != JsonValueKind.Array)
        {
            error(Field, "early must be an array of {choices, count}: the cards cast with each ranking.");
            return [];
        }
        var result = ImmutableArray.CreateBuilder<EarlyRanking>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var i = 0;
        foreach (var item in e.EnumerateArray())
        {
            var prefix = $"{Field}[{i++}]";
            if (item.ValueKind != JsonValueKind.Object)
            {
                error(prefix, "Each early-vote ranking is an object {choices, count}.");
                continue;
            }
            int count = 0;
            if (!item.TryGetProperty("count", out var c) || c.ValueKind != JsonValueKind.Number || !c.TryGetInt32(out count) || count < 0)
            {
                error($"{prefix}.count", "count must be a whole number of 0 or more.");
                continue;
            }
            var choices = TieBreakReader.Names(item, "choices", prefix, candidates, error);
            if (choices is null) continue;
            if (choices.Count == 0 || choices.Count > form.MostChoices)
            {
                error($"{prefix}.choices", $"A card ranks from 1 to {form.MostChoices} groups (fewer than {form.FewestChoices} different ones makes it void).");
                continue;
            }
            // Names() drops a repeated name; the key is the ranking as given, so one ranking is listed once.
            if (!seen.Add(string.Join('\u001f', choices)))
            {
                error($"{prefix}.choices", "This ranking is listed twice: give its cards in one count.");
                continue;
            }
            result.Add(new EarlyRanking([.. choices], count));
        }
        return result.ToImmutable();
    }
}
