using System.Collections.Immutable;
using System.Text.Json;
using Caucus.Core.Counting;
using Caucus.Api.Infrastructure;
using Caucus.Core.Model;
using Caucus.Core.Rules;

namespace Caucus.Api.Reports;

/// <summary>
/// Validates a report body (DESIGN.md, "HTTP contract") and names every bad field, in the JSON path form
/// the client sent ("first.Sanders", "tieBreaks[0].winners"). Parsing the raw text (rather than binding)
/// lets the same function re-read stored revisions at start-up, and keeps rejected bodies verbatim. The fields a report may
/// carry beyond attendance and the two alignments are the rule set's (<see cref="ReportForm"/>): early-vote cards where it
/// has an early vote, and a tie outcome as winners or, for a card draw, the cards drawn (<see cref="TieBreakReader"/>).
/// </summary>
public static class ReportParser
{
    public const int MaxNoteLength = 2000;

    /// <summary>Parses a report body. <paramref name="newSubmission"/>: the rules added since reports were first stored (a note
    /// free of control characters) apply to new submissions only, so that every stored revision still parses.</summary>
    public static (ParsedReport? Report, Dictionary<string, string[]> Errors) Parse(string rawBody, IReadOnlyCollection<string> candidates,
        ReportForm form, bool newSubmission = true)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(form);
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        void Error(string field, string message)
        {
            if (!errors.TryGetValue(field, out var list)) errors[field] = list = [];
            list.Add(message);
        }

        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(rawBody, new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException e)
        {
            Error("body", $"The body is not valid JSON: {e.Message}");
            return (null, Freeze(errors));
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                Error("body", "The body must be a JSON object.");
                return (null, Freeze(errors));
            }
            // First, before any name or string is read: an escaped lone surrogate parses, and throws when read.
            foreach (var field in JsonText.InvalidText(root)) Error(field, JsonText.InvalidTextMessage);
            if (errors.Count > 0) return (null, Freeze(errors));
            string[] known = form.EarlyVote is null
                ? ["attendees", "first", "final", "reportedDelegates", "tieBreaks", "source", "note"]
                : ["attendees", "first", "final", "reportedDelegates", "tieBreaks", "source", "note", EarlyVoteReader.Field];
            // One round (a secret ballot): the votes are `final`, which is also the first count; no delegates or ties at the unit.
            string[] notInOneRound = ["first", "reportedDelegates", "tieBreaks"];
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in root.EnumerateObject())
            {
                // A field given twice is ambiguous (which one did the caller mean?), so it is refused, not last-wins.
                if (!seen.Add(property.Name)) Error(property.Name, $"'{property.Name}' is given twice.");
                else if (form.OneRound && notInOneRound.Contains(property.Name))
                    Error(property.Name, $"This election counts one round: give the votes per candidate as 'final', without '{property.Name}'.");
                else if (property.Name == EarlyVoteReader.Field && form.EarlyVote is null) Error(property.Name, "This election has no early vote.");
                else if (!known.Contains(property.Name)) Error(property.Name, $"Unknown field '{property.Name}'.");
            }

            var attendees = Count(root, "attendees", required: true, Error);
            // Open groups (a walking subcaucus's, named on the night): any name the counts give is a group, and the
            // other fields may name only those; the election's candidates are then only the forms' suggestions. A
            // one-round count (a secret ballot's votes) gives final only, which is also its first alignment.
            var open = form.OpenGroups;
            var first = form.OneRound ? null : Groups(root, "first", required: true, open ? null : candidates, open, Error);
            var final = Groups(root, "final", required: true, open ? null : candidates, open, Error);
            if (form.OneRound) first = final;
            IReadOnlyCollection<string> named = open ? NamedIn(first, final) : candidates;
            var reported = form.OneRound ? null : Groups(root, "reportedDelegates", required: false, named, open, Error);
            var tieBreaks = form.OneRound ? [] : TieBreakReader.Read(root, named, form.Ties, Error);
            var early = form.EarlyVote is { } earlyForm ? EarlyVoteReader.Read(root, named, earlyForm, Error) : [];

            ReportSource? source = null;
            if (!root.TryGetProperty("source", out var sourceElement) || sourceElement.ValueKind == JsonValueKind.Null)
                Error("source", "source is required: one of captain, hotline, chair, official.");
            else if (sourceElement.ValueKind != JsonValueKind.String || !ApiJson.TryParse<ReportSource>(sourceElement.GetString(), out var parsed))
                Error("source", "source must be one of captain, hotline, chair, official.");
            else source = parsed;

            string? note = null;
            if (root.TryGetProperty("note", out var noteElement) && noteElement.ValueKind != JsonValueKind.Null)
            {
                if (noteElement.ValueKind != JsonValueKind.String) Error("note", "note must be a string.");
                else if ((note = noteElement.GetString())!.Length > MaxNoteLength) Error("note", $"note must be at most {MaxNoteLength} characters.");
                else if (newSubmission && JsonText.HasControlCharacters(note)) Error("note", JsonText.ControlCharacterMessage);
            }

            if (errors.Count > 0) return (null, Freeze(errors));
            return (new ParsedReport(new Tally(attendees!.Value, first!, final!, reported, tieBreaks, early), source!.Value, note), Freeze(errors));
        }
    }

    private static int? Count(JsonElement root, string name, bool required, Action<string, string> error)
    {
        if (!root.TryGetProperty(name, out var e) || e.ValueKind == JsonValueKind.Null)
        {
            if (required) error(name, $"{name} is required.");
            return null;
        }
        if (e.ValueKind != JsonValueKind.Number || !e.TryGetInt32(out var n) || n < 0)
        {
            error(name, $"{name} must be a whole number of 0 or more.");
            return null;
        }
        return n;
    }

    /// <param name="allowed">The names the field may give; null: any name (an open count).</param>
    /// <param name="open">Names are a report's own (<see cref="GroupName"/>): kept normalized, checked, one per spelling
    /// without case, at most <see cref="GroupName.MaxGroups"/>.</param>
    private static ImmutableSortedDictionary<string, int>? Groups(JsonElement root, string name, bool required,
        IReadOnlyCollection<string>? allowed, bool open, Action<string, string> error)
    {
        if (!root.TryGetProperty(name, out var e) || e.ValueKind == JsonValueKind.Null)
        {
            if (required) error(name, $"{name} is required: an object of group name to count.");
            return null;
        }
        if (e.ValueKind != JsonValueKind.Object)
        {
            error(name, $"{name} must be an object of group name to count.");
            return null;
        }
        if (open && e.EnumerateObject().Count() > GroupName.MaxGroups)
        {
            error(name, $"A count names at most {GroupName.MaxGroups} subcaucuses.");
            return null;
        }
        var builder = ImmutableSortedDictionary.CreateBuilder<string, int>(StringComparer.Ordinal);
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var group in e.EnumerateObject())
        {
            var field = $"{name}.{group.Name}";
            var groupName = open ? GroupName.Normalize(group.Name) : group.Name;
            if (open && GroupName.Problem(groupName) is { } problem) error(field, problem);
            else if (allowed is not null && !allowed.Contains(groupName))
                error(field, open ? $"'{groupName}' is not a subcaucus of this report's counts." : $"'{group.Name}' is not a preference group of this election.");
            else if (group.Value.ValueKind != JsonValueKind.Number || !group.Value.TryGetInt32(out var n) || n < 0)
                error(field, "The count must be a whole number of 0 or more.");
            else if (builder.ContainsKey(groupName)) error(field, $"'{groupName}' is given twice.");
            else if (open && !keys.TryAdd(GroupName.Key(groupName), groupName))
                error(field, $"'{groupName}' is the same subcaucus as '{keys[GroupName.Key(groupName)]}' (names differing only by case and spacing are one).");
            else builder[groupName] = n;
        }
        return builder.ToImmutable();
    }

    /// <summary>The groups an open report's counts name: what its delegates, tie-breaks and early cards may refer to.</summary>
    private static HashSet<string> NamedIn(ImmutableSortedDictionary<string, int>? first, ImmutableSortedDictionary<string, int>? final) =>
        new((first?.Keys ?? []).Concat(final?.Keys ?? []), StringComparer.Ordinal);

    private static Dictionary<string, string[]> Freeze(Dictionary<string, List<string>> errors) =>
        errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);
}
