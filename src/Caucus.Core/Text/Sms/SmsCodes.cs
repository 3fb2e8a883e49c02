using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Text;
using Caucus.Core.Model;

namespace Caucus.Core.Text.Sms;

/// <summary>
/// The short codes a captain types on a phone keypad (README, "Reporting by text message"), derived from the election
/// so that nobody has to keep a code list in step with the folder: a precinct's code is its county's three-character
/// code and the shortest start of its name that no other precinct of the county shares ("ADR1NW" for Adair's 1NW ADAIR);
/// a group's code is the shortest start of its name, at least three letters, that no other group's name shares
/// ("BID", "BUT", "KLO"). A text may give any start of a group's name that fits one group only.
/// </summary>
public sealed class SmsCodes
{
    private readonly FrozenDictionary<string, Precinct> _precinctsByCode;
    private readonly ImmutableArray<(string Name, string Letters)> _groups;

    public SmsCodes(Election election)
    {
        ArgumentNullException.ThrowIfNull(election);
        var countyCodes = CountyCodes(election.Counties.Select(c => c.Name));
        var byCode = new Dictionary<string, Precinct>(StringComparer.Ordinal);
        var codeOf = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var county in election.Counties)
        {
            var precincts = election.PrecinctsIn(county.Name);
            var names = precincts.Select(p => Letters(p.Name, digits: true)).ToArray();
            for (var i = 0; i < precincts.Length; i++)
            {
                var code = countyCodes[county.Name] + NamePart(names, i, FirstToken(precincts[i].Name).Length);
                // Two precincts of one county with the same name: the later ones are numbered.
                var unique = code;
                for (var n = 2; byCode.ContainsKey(unique); n++) unique = $"{code}{n}";
                byCode[unique] = precincts[i];
                codeOf[precincts[i].Id] = unique;
            }
        }
        _precinctsByCode = byCode.ToFrozenDictionary(StringComparer.Ordinal);
        PrecinctCodes = codeOf.ToFrozenDictionary(StringComparer.Ordinal);
        _groups = [.. election.Candidates.Select(c => (c, Letters(c, digits: true)))];
        GroupCodes = _groups.ToFrozenDictionary(g => g.Name, g => GroupCode(g.Letters), StringComparer.Ordinal);
    }

    /// <summary>Each precinct's code by its id (published in its precinct document as <c>smsCode</c>).</summary>
    public FrozenDictionary<string, string> PrecinctCodes { get; }

    /// <summary>Each suggested group's printed code by its name.</summary>
    public FrozenDictionary<string, string> GroupCodes { get; }

    public Precinct? FindPrecinct(string code) => _precinctsByCode.GetValueOrDefault(Normalise(code));

    /// <summary>
    /// The group a typed code names: a group whose name is exactly the code, else the one group whose name starts with
    /// it. Null and the candidates when it fits several (a text is never read by guessing), null and none when no group.
    /// </summary>
    public (string? Group, ImmutableArray<string> Candidates) FindGroup(string code)
    {
        var typed = Normalise(code);
        if (typed.Length == 0) return (null, []);
        var exact = _groups.Where(g => g.Letters == typed).Select(g => g.Name).ToList();
        if (exact.Count == 1) return (exact[0], []);
        ImmutableArray<string> starting = [.. _groups.Where(g => g.Letters.StartsWith(typed, StringComparison.Ordinal)).Select(g => g.Name)];
        return starting.Length == 1 ? (starting[0], []) : (null, starting);
    }

    /// <summary>Upper case, letters and digits only: how codes compare (a text's case and punctuation never matter).</summary>
    public static string Normalise(string text) => Letters(text, digits: true);

    private string GroupCode(string letters)
    {
        for (var length = Math.Min(3, letters.Length); length < letters.Length; length++)
        {
            var start = letters[..length];
            if (_groups.Count(g => g.Letters.StartsWith(start, StringComparison.Ordinal)) == 1) return start;
        }
        return letters;
    }

    /// <summary>The shortest start of <paramref name="names"/>[i], no shorter than its first word, that starts no other name.</summary>
    private static string NamePart(string[] names, int i, int shortest)
    {
        var name = names[i];
        for (var length = Math.Clamp(shortest, 1, Math.Max(1, name.Length)); length < name.Length; length++)
        {
            var start = name[..length];
            if (!names.Where((other, j) => j != i && other.StartsWith(start, StringComparison.Ordinal)).Any()) return start;
        }
        return name;
    }

    private static string FirstToken(string name)
    {
        var trimmed = name.Trim();
        var end = trimmed.IndexOfAny([' ', '-', '/', ',']);
        return Letters(end < 0 ? trimmed : trimmed[..end], digits: true);
    }

    /// <summary>Three characters per county: its first letter and the next consonants or digits (ADR, PLK, CD1), else its first letters, else numbered.</summary>
    private static Dictionary<string, string> CountyCodes(IEnumerable<string> counties)
    {
        var codes = new Dictionary<string, string>(StringComparer.Ordinal);
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var county in counties.Order(StringComparer.Ordinal))
        {
            var letters = Letters(county, digits: true);
            var consonants = letters.Length == 0 ? "" : letters[0] + new string([.. letters.Skip(1).Where(c => !"AEIOU".Contains(c))]);
            string[] tries = [Pad(consonants), Pad(letters)];
            var code = tries.FirstOrDefault(used.Add);
            for (var n = 2; code is null; n++)
            {
                var numbered = $"{Pad(letters)[..2]}{n}";
                if (used.Add(numbered)) code = numbered;
            }
            codes[county] = code;
        }
        return codes;
    }

    private static string Pad(string letters) => letters.Length >= 3 ? letters[..3] : letters.PadRight(3, 'X');

    private static string Letters(string text, bool digits)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text.Normalize(NormalizationForm.FormD))
        {
            if (char.IsAsciiLetter(c)) builder.Append(char.ToUpperInvariant(c));
            else if (digits && char.IsAsciiDigit(c)) builder.Append(c);
        }
        return builder.ToString();
    }
}
