namespace Caucus.Api.Auth;

/// <summary>The four roles of DESIGN.md: admin, hotline (submits for any precinct), precinct (bound to one), warroom (reads).</summary>
public static class Roles
{
    public const string Admin = "admin";
    public const string Hotline = "hotline";
    public const string Precinct = "precinct";
    public const string Warroom = "warroom";

    public static readonly string[] All = [Admin, Hotline, Precinct, Warroom];

    /// <summary>The claim carrying a precinct token's precinct id.</summary>
    public const string PrecinctClaim = "caucus:precinct";

    public const string TokenIdClaim = "caucus:token";
}

public static class Policies
{
    public const string Admin = "admin";
    public const string Submit = "submit";
    public const string Read = "read";
}
