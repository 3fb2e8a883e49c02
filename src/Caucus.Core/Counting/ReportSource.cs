namespace Caucus.Core.Counting;

/// <summary>
/// Who a report comes from, in order of authority: the counted report of a precinct is the most
/// authoritative source's latest revision (official > chair > hotline > captain). The declaration order
/// is the precedence; compare sources with <c>&lt;</c> and <c>&gt;</c>.
/// </summary>
public enum ReportSource
{
    /// <summary>The precinct captain, from the precinct's own credential.</summary>
    Captain,

    /// <summary>A hotline operator entering what a captain read over the phone.</summary>
    Hotline,

    /// <summary>The precinct or satellite chair's signed report.</summary>
    Chair,

    /// <summary>The party's official canvass (an admin enters it).</summary>
    Official,
}
