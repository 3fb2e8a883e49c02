using System.Collections.Immutable;
using System.Text;
using Caucus.Core.Model;
using Caucus.Core.Rules;

namespace Caucus.Core.Text.Sms;

/// <summary>
/// Reads a report typed on a phone (README, "Reporting by text message"):
/// <c>ADR1NW A40 F BID6 BUT8 KLO8 SAN9 WAR9 L BID6 BUT8 KLO8 SAN9 WAR9 T KLO</c> — the precinct's code, <c>A</c> and
/// the attendance, <c>F</c> then the first alignment, <c>L</c> then the final one (<c>V</c> then the votes where the
/// caucus counts once), <c>D</c> then the delegates the chair announced, <c>T</c> then the winners of the game of chance,
/// <c>E</c> then early-vote cards by ranking (<c>WAR&gt;SAN&gt;BID12</c>). A group is any start of its name that fits
/// one group; where the caucus names its own groups, a new one is written in quotes (<c>"Climate Action" 12</c>).
/// Case and spacing do not matter, nor O for 0 and l or I for 1 inside a number; anything ambiguous is refused with
/// what is wrong, never guessed.
/// </summary>
public static class TextGrammar
{
    /// <summary>Texts are short; a longer one is refused before it is read.</summary>
    public const int MaxLength = 1600;

    private const string Sections = "AFLVDTE";

    public static TextReading Read(string text, SmsCodes codes, ReportForm form)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(codes);
        ArgumentNullException.ThrowIfNull(form);
        if (text.Length > MaxLength) return TextReading.Wrong($"The text is longer than {MaxLength} characters.");
        var tokens = Tokenise(text, out var tokenError);
        if (tokenError is not null) return TextReading.Wrong(tokenError);
        if (tokens.Count == 0) return TextReading.Wrong("The text is empty: start with your precinct's code.");
        return new Reader(tokens, codes, form).Read();
    }

    private sealed record Token(string Raw, bool Quoted);

    private static List<Token> Tokenise(string text, out string? error)
    {
        error = null;
        var tokens = new List<Token>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c) || c == ',' || c == ';') { i++; continue; }
            if (c is '"' or '“' or '”')
            {
                var end = text.IndexOfAny(['"', '“', '”'], i + 1);
                if (end < 0) { error = "A name in quotes has no closing quote."; return tokens; }
                tokens.Add(new(text[(i + 1)..end], Quoted: true));
                i = end + 1;
                continue;
            }
            var start = i;
            while (i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] is not (',' or ';' or '"' or '“' or '”')) i++;
            tokens.Add(new(text[start..i], Quoted: false));
        }
        return tokens;
    }

    /// <summary>A number as typed: digits, with O or o for 0 and l or I for 1 after its first character; null if not one.</summary>
    internal static int? Number(string typed)
    {
        if (typed.Length == 0 || typed.Length > 9 || !(char.IsAsciiDigit(typed[0]) || typed[0] is 'O' or 'o')) return null;
        var value = 0;
        foreach (var c in typed)
        {
            var digit = c switch
            {
                >= '0' and <= '9' => c - '0',
                'O' or 'o' => 0,
                'l' or 'I' => 1,
                _ => -1,
            };
            if (digit < 0) return null;
            value = value * 10 + digit;
        }
        return value;
    }

    /// <summary>A word split into its letters and the number typed after them ("BID6" → BID, 6; "A4O" → A, 40).</summary>
    private static (string Letters, string? Number) Split(string word)
    {
        var firstDigit = -1;
        for (var i = 0; i < word.Length; i++)
        {
            if (char.IsAsciiDigit(word[i])) { firstDigit = i; break; }
        }
        if (firstDigit <= 0) return (word, null);
        return (word[..firstDigit], word[firstDigit..]);
    }

    private sealed class Reader(List<Token> tokens, SmsCodes codes, ReportForm form)
    {
        private int _at = 1;
        private char _section;
        private int? _attendees;
        private readonly Dictionary<char, SortedDictionary<string, int>> _counts = [];
        private readonly List<string> _winners = [];
        private readonly List<EarlyRanking> _early = [];

        public TextReading Read()
        {
            var code = SmsCodes.Normalise(tokens[0].Raw);
            if (code.Length == 0 || tokens[0].Quoted) return TextReading.Wrong("Start with your precinct's code.");
            while (_at < tokens.Count)
            {
                var error = Next();
                if (error is not null) return TextReading.Wrong(error);
            }
            var first = _counts.GetValueOrDefault('F');
            var final = _counts.GetValueOrDefault('L');
            if (_attendees is null) return TextReading.Wrong(form.OneRound ? "A: the number of ballots cast is missing (A then the number)." : "A: the attendance is missing (A then the number).");
            if (final is null) return TextReading.Wrong(form.OneRound ? "V: the votes are missing (V then each candidate's code and votes)." : "L: the final alignment is missing (L then each group's code and count).");
            if (first is null && !form.OneRound) return TextReading.Wrong("F: the first alignment is missing (F then each group's code and count).");
            var finalCounts = final.ToImmutableSortedDictionary(StringComparer.Ordinal);
            return new(new TextReport(code, _attendees,
                form.OneRound ? finalCounts : first!.ToImmutableSortedDictionary(StringComparer.Ordinal), finalCounts,
                _counts.GetValueOrDefault('D')?.ToImmutableSortedDictionary(StringComparer.Ordinal),
                [.. _winners], [.. _early]), null);
        }

        private string? Next()
        {
            var token = tokens[_at++];
            if (token.Quoted) return Group(token.Raw, NewName(token.Raw), Attached(null));
            var (letters, number) = Split(token.Raw);
            var upper = letters.ToUpperInvariant();
            if (upper.Length == 1 && Sections.Contains(upper[0]) && (number is null || upper == "A"))
            {
                return Section(upper[0], number);
            }
            if (Number(token.Raw) is not null) return $"{token.Raw}: which group? Put its code before the number.";
            if (_section == 'E' || token.Raw.Contains('>')) return Ranking(token.Raw);
            var (group, fits) = codes.FindGroup(letters);
            if (group is null)
            {
                if (fits.Length > 1) return $"{letters.ToUpperInvariant()}: could be {Join(fits)}; type more letters.";
                return form.OpenGroups
                    ? $"{letters.ToUpperInvariant()}: no group starts with that; write a new group's name in quotes."
                    : $"{letters.ToUpperInvariant()}: no candidate starts with that.";
            }
            return Group(letters.ToUpperInvariant(), group, Attached(number));
        }

        private string? Section(char section, string? number)
        {
            if (section == 'F' && form.OneRound) return "F: this caucus counts once; send V then the votes.";
            if (section == 'E' && form.EarlyVote is null) return "E: this caucus has no early vote.";
            _section = section == 'V' ? 'L' : section;
            // A section sent with no counts is sent: every group had none.
            if (_section is 'F' or 'L' or 'D' && !_counts.ContainsKey(_section)) _counts[_section] = new(StringComparer.Ordinal);
            if (section != 'A') return null;
            var typed = number ?? (_at < tokens.Count && !tokens[_at].Quoted && Number(tokens[_at].Raw) is not null ? tokens[_at++].Raw : null);
            if (typed is null || Number(typed) is not { } attendees) return "A: no number after it.";
            if (_attendees is not null) return "A: the attendance is given twice.";
            _attendees = attendees;
            _section = '\0';
            return null;
        }

        /// <summary>The number typed with the code, or else the next token if it is a number.</summary>
        private string? Attached(string? number)
        {
            if (number is not null) return number;
            if (_at < tokens.Count && !tokens[_at].Quoted && Number(tokens[_at].Raw) is not null) return tokens[_at++].Raw;
            return null;
        }

        private string? NewName(string quoted)
        {
            var name = string.Join(' ', quoted.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
            if (!form.OpenGroups) return null;
            var (known, _) = codes.FindGroup(name);
            return known is not null && SmsCodes.Normalise(known) == SmsCodes.Normalise(name) ? known : name;
        }

        private string? Group(string typed, string? group, string? number)
        {
            if (group is null) return $"\"{typed}\": this caucus's groups are its candidates; use their codes.";
            if (group.Length == 0) return "A name in quotes is empty.";
            if (_section == 'T')
            {
                if (number is not null) return $"{typed}: T takes the winners' codes, without numbers.";
                if (_winners.Contains(group)) return $"{typed}: named twice as a winner.";
                _winners.Add(group);
                return null;
            }
            if (_section is not ('F' or 'L' or 'D'))
            {
                return form.OneRound
                    ? $"{typed}: put V before the votes."
                    : $"{typed}: put F (first alignment) or L (final alignment) before the counts.";
            }
            if (number is null) return $"{typed}: no number after it.";
            if (Number(number) is not { } count) return $"{typed}: '{number}' is not a number.";
            var counts = _counts.TryGetValue(_section, out var c) ? c : _counts[_section] = new(StringComparer.Ordinal);
            if (!counts.TryAdd(group, count)) return $"{typed}: given twice in {SectionName(_section)}.";
            return null;
        }

        private string? Ranking(string raw)
        {
            if (_section != 'E') return $"{raw}: put E before early-vote cards.";
            var parts = raw.Split('>');
            var (lastLetters, lastNumber) = Split(parts[^1]);
            parts[^1] = lastLetters;
            var choices = new List<string>();
            foreach (var part in parts)
            {
                var (group, fits) = codes.FindGroup(part);
                if (group is null) return fits.Length > 1 ? $"{part.ToUpperInvariant()}: could be {Join(fits)}; type more letters." : $"{part.ToUpperInvariant()}: no candidate starts with that.";
                if (choices.Contains(group)) return $"{raw}: {group} is ranked twice.";
                choices.Add(group);
            }
            var number = Attached(lastNumber);
            if (number is null || Number(number) is not { } count) return $"{raw.ToUpperInvariant()}: no number of cards after it.";
            if (_early.Any(e => e.Choices.SequenceEqual(choices))) return $"{raw.ToUpperInvariant()}: this ranking is given twice.";
            _early.Add(new EarlyRanking([.. choices], count));
            return null;
        }

        private string SectionName(char section) => section switch
        {
            'F' => "the first alignment",
            'L' => form.OneRound ? "the votes" : "the final alignment",
            _ => "the delegates",
        };

        private static string Join(IReadOnlyList<string> names) =>
            names.Count <= 1 ? string.Join("", names) : $"{string.Join(", ", names.Take(names.Count - 1))} or {names[^1]}";
    }
}
