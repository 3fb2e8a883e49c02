using System.Security.Claims;
using Caucus.Api.Auth;
using Caucus.Core.Counting;

namespace Caucus.Api.Reports;

/// <summary>Who may report as which source (authorisation; which source counts is the core's rule).</summary>
public static class ReportPermissions
{
    /// <summary>
    /// A precinct credential reports as the one source it was issued for (its captain's or its chair's), the hotline
    /// enters phoned-in tallies, admins enter anything (the official canvass).
    /// </summary>
    public static bool MayReportAs(ClaimsPrincipal user, ReportSource source)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.FindFirstValue(ClaimTypes.Role) switch
        {
            Roles.Admin => true,
            Roles.Hotline => source == ReportSource.Hotline,
            Roles.Precinct => source is ReportSource.Captain or ReportSource.Chair && user.FindFirstValue(Roles.SourceClaim) == ApiJson.Name(source),
            _ => false,
        };
    }

    /// <summary>Why <see cref="MayReportAs"/> said no, for the 403.</summary>
    public static string Refusal(ClaimsPrincipal user, ReportSource source)
    {
        ArgumentNullException.ThrowIfNull(user);
        var role = user.FindFirstValue(ClaimTypes.Role) ?? "";
        var issuedFor = user.FindFirstValue(Roles.SourceClaim);
        return issuedFor is null
            ? $"A {role} credential cannot report with source '{ApiJson.Name(source)}'."
            : $"This precinct credential was issued for the {issuedFor} and reports only with source '{issuedFor}', not '{ApiJson.Name(source)}'.";
    }
}
