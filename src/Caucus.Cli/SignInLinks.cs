namespace Caucus.Cli;

/// <summary>
/// The link a credential holder opens: the role's page with the token in the fragment, which browsers never
/// send to the server (so it stays out of access logs); the page keeps it and clears the address bar.
/// A precinct link also names its precinct, so the report page opens on it; an admin's opens the review queue.
/// </summary>
public static class SignInLinks
{
    public static string For(string url, string role, string token, string? precinct)
    {
        ArgumentNullException.ThrowIfNull(url);
        var root = url.TrimEnd('/');
        return role switch
        {
            "admin" => $"{root}/admin#token={token}",
            "hotline" => $"{root}/hotline#token={token}",
            "precinct" => $"{root}/report#token={token}&precinct={Uri.EscapeDataString(precinct ?? "")}",
            _ => $"{root}/#token={token}",
        };
    }
}
