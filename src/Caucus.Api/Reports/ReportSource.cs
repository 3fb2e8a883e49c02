namespace Caucus.Api.Reports;

/// <summary>
/// Who a report comes from. The counted report of a precinct is the most authoritative source's latest
/// revision: official > chair > hotline > captain (a higher rank wins).
/// </summary>
public static class ReportSource
{
    public const string Captain = "captain";
    public const string Hotline = "hotline";
    public const string Chair = "chair";
    public const string Official = "official";

    public static readonly string[] All = [Captain, Hotline, Chair, Official];

    public static int Rank(string source) => Array.IndexOf(All, source);

    /// <summary>Which sources a role may report as: precinct credentials are the captain's or chair's, the hotline enters phoned-in tallies, admins enter anything (the official canvass).</summary>
    public static bool MayReportAs(string role, string source) => role switch
    {
        Auth.Roles.Admin => true,
        Auth.Roles.Hotline => source == Hotline,
        Auth.Roles.Precinct => source is Captain or Chair,
        _ => false,
    };
}
