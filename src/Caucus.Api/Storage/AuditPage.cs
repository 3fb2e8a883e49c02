namespace Caucus.Api.Storage;

/// <summary>The size of one audit entry, read before the entry itself: its seq and the bytes of what it stores.</summary>
internal sealed class AuditEntrySize
{
    public long Seq { get; set; }
    public long Bytes { get; set; }
}

/// <summary>
/// Where one audit page ends (issue 19, case 4: a page of 500 padded reports was 16 MB, and twenty at once took the
/// API to 1.2 GB). An entry's size is the bytes it stores: a revision's text and exact bytes, a refusal's kept prefix
/// (or pre-0006 text) and reason, a review decision's reason. Changes (revisions and decisions, one commit sequence)
/// are taken first, in seq order, then refusals (their own sequence), while the page's bytes stay within the bound
/// and each kind within the row limit; the page stops at the first entry that does not fit (never skipping it for a
/// smaller one), except that a page's first entry is always taken, so an entry larger than the bound comes alone and
/// paging always moves on.
/// </summary>
internal static class AuditPage
{
    /// <summary>How many of each list's leading entries the page holds; the lists are in seq order.</summary>
    public static (int Changes, int Rejections) Cut(IReadOnlyList<AuditEntrySize> changes, IReadOnlyList<AuditEntrySize> rejections,
        int limit, long maxBytes)
    {
        long used = 0;
        var taken = 0;
        int Take(IReadOnlyList<AuditEntrySize> entries)
        {
            var n = 0;
            while (n < entries.Count && n < limit && (taken == 0 || used + entries[n].Bytes <= maxBytes))
            {
                used += entries[n].Bytes;
                n++;
                taken++;
            }
            return n;
        }
        // Refusals have their own sequence and cursor: they take what room the changes left.
        var changesTaken = Take(changes);
        return (changesTaken, Take(rejections));
    }
}
