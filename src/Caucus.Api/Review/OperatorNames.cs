using Caucus.Api.Auth;
using Caucus.Api.Storage;
using Caucus.Core.Model;

namespace Caucus.Api.Review;

/// <summary>
/// Who sent a report, in words an admin can say on the phone: a credential carries no name of its own, so it is named
/// by its role as issued and its place in the order of issue ("Hotline operator 2", the second hotline credential;
/// "Captain of Adair — 4SE ORIENT"). The token id stays in the audit trail; the admin page shows these names instead.
/// </summary>
public sealed class OperatorNames
{
    private readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);

    public OperatorNames(IEnumerable<TokenListing> tokens, Election election)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentNullException.ThrowIfNull(election);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var token in tokens.OrderBy(t => t.CreatedAt).ThenBy(t => t.Id, StringComparer.Ordinal))
        {
            var n = counts[token.Role] = counts.GetValueOrDefault(token.Role) + 1;
            _names[token.Id] = token.Role switch
            {
                Roles.Precinct when election.FindPrecinct(token.PrecinctId ?? "") is { } p =>
                    $"{((token.Source ?? TokenSources.DefaultFor(p)) == "chair" ? "Chair" : "Captain")} of {p.County} — {p.Name}",
                Roles.Hotline => $"Hotline operator {n}",
                Roles.Admin => $"Admin {n}",
                Roles.Warroom => $"War room {n}",
                _ => $"{token.Role} credential {n}",
            };
        }
    }

    /// <summary>The name for a token id; the environment's admin token and an id no longer listed get words too.</summary>
    public string Of(string actor) => _names.TryGetValue(actor, out var name) ? name
        : actor == TokenCache.EnvironmentAdminId ? "the admin (CAUCUS_ADMIN_TOKEN)"
        : "an unlisted credential";
}
