using Caucus.Api.Auth;
using Caucus.Core.Counting;

namespace Caucus.Api.Reports;

/// <summary>Who may report as which source (authorisation; which source counts is the core's rule).</summary>
public static class ReportPermissions
{
    /// <summary>Precinct credentials are the captain's or chair's, the hotline enters phoned-in tallies, admins enter anything (the official canvass).</summary>
    public static bool MayReportAs(string role, ReportSource source) => role switch
    {
        Roles.Admin => true,
        Roles.Hotline => source == ReportSource.Hotline,
        Roles.Precinct => source is ReportSource.Captain or ReportSource.Chair,
        _ => false,
    };
}
