using System.Text;

namespace Caucus.Core.Model;

/// <summary>
/// The name of a group as a report gives it, where the groups are open (a walking subcaucus is named on the night,
/// <c>ReportForm.OpenGroups</c>): the spelling is kept as the captain typed it, with outer whitespace trimmed and inner
/// whitespace runs collapsed to one space, so that "Climate  Action " and "Climate Action" are one spelling; names that
/// differ only by case and spacing fold to one <see cref="Key"/>, which is how the war room adds precincts up.
/// </summary>
public static class GroupName
{
    /// <summary>The longest name a report may give a group (a subcaucus's name fits a line of the war room).</summary>
    public const int MaxLength = 60;

    /// <summary>The most groups one count may name: a precinct room holds a few dozen subcaucuses at most.</summary>
    public const int MaxGroups = 40;

    /// <summary>The spelling kept: trimmed, each run of inner whitespace one space.</summary>
    public static string Normalize(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var builder = new StringBuilder(name.Length);
        var space = false;
        foreach (var c in name.Trim())
        {
            if (char.IsWhiteSpace(c)) space = true;
            else
            {
                if (space) builder.Append(' ');
                space = false;
                builder.Append(c);
            }
        }
        return builder.ToString();
    }

    /// <summary>What the war room adds up by: the normalized spelling without case.</summary>
    public static string Key(string name) => Normalize(name).ToUpperInvariant();

    /// <summary>Why a name cannot be a group's, or null when it can (checked on the normalized spelling).</summary>
    public static string? Problem(string normalized)
    {
        ArgumentNullException.ThrowIfNull(normalized);
        if (normalized.Length == 0) return "A subcaucus needs a name.";
        if (normalized.Length > MaxLength) return $"A subcaucus name is at most {MaxLength} characters.";
        if (normalized.Any(char.IsControl)) return "A subcaucus name may not hold control characters.";
        return null;
    }
}
