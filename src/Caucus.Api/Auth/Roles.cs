using Caucus.Core.Counting;
using Caucus.Core.Model;

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

    /// <summary>The claim carrying the source a precinct token reports as (captain or chair).</summary>
    public const string SourceClaim = "caucus:source";
}

/// <summary>
/// A precinct credential is issued for one source, its captain's or its chair's, and reports only as it (a chair's
/// report outranks the hotline's, so a captain's credential must not claim it). Unless the issuer says otherwise:
/// a precinct's credential is its captain's, a satellite's its chair's (a satellite caucus has a chair, no captain).
/// </summary>
public static class TokenSources
{
    public static readonly ReportSource[] Allowed = [ReportSource.Captain, ReportSource.Chair];

    public static string DefaultFor(Precinct? precinct) =>
        ApiJson.Name(precinct?.Kind == PrecinctKind.Satellite ? ReportSource.Chair : ReportSource.Captain);
}

public static class Policies
{
    public const string Admin = "admin";
    public const string Submit = "submit";
    public const string Read = "read";
    public const string Audit = "audit";
}
