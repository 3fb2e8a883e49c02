using System.Collections.Immutable;
using System.Text.Json;
using Caucus.Core.Model;
using Caucus.Core.Rules;
using Caucus.Core.Validation;

namespace Caucus.Api.Reports;

/// <summary>
/// Reads a report's <c>tieBreaks</c>: each recorded game of chance names its tied <c>groups</c> and either the
/// <c>winners</c> (any rule set: the groups the chance favoured) or, under a card draw, the <c>cards</c> each group drew
/// (<c>{group, rank 2..14, suit}</c>), which the core ranks (<see cref="DrawnCards"/>): the chair records what happened,
/// the rules say who it favours. Errors name the field, e.g. <c>tieBreaks[0].cards[1].suit</c>.
/// </summary>
public static class TieBreakReader
{
    public const string Field = "tieBreaks";

    public static ImmutableArray<TieBreak> Read(JsonElement root, IReadOnlyCollection<string> candidates, TieMethod method, Action<string, string> error)
    {
        ArgumentNullException.ThrowIfNull(error);
        if (!root.TryGetProperty(Field, out var e) || e.ValueKind == JsonValueKind.Null) return [];
        var outcome = method == TieMethod.CardDraw ? "{groups, winners} or {groups, cards}" : "{groups, winners}";
        if (e.ValueKind != JsonValueKind.Array)
        {
            error(Field, $"tieBreaks must be an array of {outcome}.");
            return [];
        }
        var result = ImmutableArray.CreateBuilder<TieBreak>();
        var i = 0;
        foreach (var item in e.EnumerateArray())
        {
            var prefix = $"{Field}[{i++}]";
            if (item.ValueKind != JsonValueKind.Object)
            {
                error(prefix, $"Each tie-break must be an object {outcome}.");
                continue;
            }
            var groups = Names(item, "groups", prefix, candidates, error);
            if (groups is null) continue;
            if (groups.Count < 2)
            {
                error($"{prefix}.groups", "A tie needs at least two groups.");
                continue;
            }
            var hasCards = item.TryGetProperty("cards", out var cards) && cards.ValueKind != JsonValueKind.Null;
            if (hasCards && method != TieMethod.CardDraw)
            {
                error($"{prefix}.cards", $"This election's ties are settled by {method.Describe()}: record the winners.");
            }
            else if (hasCards && item.TryGetProperty("winners", out _))
            {
                error($"{prefix}.winners", "Record the cards drawn or the winners, not both.");
            }
            else if (hasCards && Cards(cards, $"{prefix}.cards", groups, error) is { } ranking)
            {
                result.Add(ranking);
            }
            else if (!hasCards && Names(item, "winners", prefix, candidates, error) is { } winners)
            {
                if (winners.Count == 0 || winners.Count >= groups.Count || !winners.All(groups.Contains))
                    error($"{prefix}.winners", "The winners must be some, but not all, of the tied groups.");
                else result.Add(TieBreak.Of(groups, winners));
            }
        }
        return result.ToImmutable();
    }

    /// <summary>One card per tied group, read into the ranking they record; null (with the errors said) when they cannot be.</summary>
    private static TieBreak? Cards(JsonElement cards, string field, List<string> groups, Action<string, string> error)
    {
        if (cards.ValueKind != JsonValueKind.Array)
        {
            error(field, "cards must be an array of {group, rank, suit}, one per tied group.");
            return null;
        }
        var drawn = new List<DrawnCard>();
        var ok = true;
        var i = 0;
        foreach (var card in cards.EnumerateArray())
        {
            var at = $"{field}[{i++}]";
            if (card.ValueKind != JsonValueKind.Object)
            {
                error(at, "A card is an object {group, rank, suit}.");
                ok = false;
                continue;
            }
            string? group = card.TryGetProperty("group", out var g) && g.ValueKind == JsonValueKind.String ? g.GetString() : null;
            if (group is null || !groups.Contains(group))
            {
                error($"{at}.group", $"group must be one of the tied groups ({string.Join(", ", groups)}).");
                ok = false;
            }
            int rank = 0;
            if (!card.TryGetProperty("rank", out var r) || r.ValueKind != JsonValueKind.Number || !r.TryGetInt32(out rank)
                || rank is < Card.LowestRank or > Card.Ace)
            {
                error($"{at}.rank", "rank must be a whole number from 2 to 14 (11 jack, 12 queen, 13 king, 14 ace).");
                ok = false;
            }
            Suit suit = default;
            if (!card.TryGetProperty("suit", out var s) || s.ValueKind != JsonValueKind.String
                || !ApiJson.TryParse(s.GetString(), out suit))
            {
                error($"{at}.suit", "suit must be one of spades, hearts, diamonds, clubs.");
                ok = false;
            }
            if (ok) drawn.Add(new DrawnCard(group!, new Card(rank, suit)));
        }
        if (!ok) return null;
        var missing = groups.Where(g => drawn.All(c => c.Group != g)).ToList();
        if (missing.Count > 0)
        {
            error(field, $"Every tied group draws a card; none is recorded for {string.Join(", ", missing)}.");
            return null;
        }
        try
        {
            return DrawnCards.Ranking(drawn);
        }
        catch (TallyException e)
        {
            error($"{field}{e.Field["cards".Length..]}", e.Message);
            return null;
        }
    }

    internal static List<string>? Names(JsonElement item, string name, string prefix, IReadOnlyCollection<string> candidates, Action<string, string> error)
    {
        var field = $"{prefix}.{name}";
        if (!item.TryGetProperty(name, out var e) || e.ValueKind != JsonValueKind.Array)
        {
            error(field, $"{name} must be an array of group names.");
            return null;
        }
        var names = new List<string>();
        foreach (var n in e.EnumerateArray())
        {
            if (n.ValueKind != JsonValueKind.String || !candidates.Contains(n.GetString()!))
            {
                error(field, $"'{n}' is not a preference group of this election.");
                return null;
            }
            if (!names.Contains(n.GetString()!)) names.Add(n.GetString()!);
        }
        return names;
    }
}
