using System.Globalization;

namespace Caucus.Api.Storage;

/// <summary>
/// The seqs one commit appended, <see cref="From"/> through <see cref="To"/>: the payload of PostgreSQL's commit
/// NOTIFY, written <c>from-to</c>. A follower that holds <c>From - 1</c> knows the range is contiguous with what
/// it has. A payload of one number (written before ranges) is read as a commit ending at that seq.
/// </summary>
internal readonly record struct CommitRange(long From, long To)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{From}-{To}");

    public static bool TryParse(string? payload, out CommitRange range)
    {
        range = default;
        if (payload is null) return false;
        var dash = payload.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0)
        {
            if (!long.TryParse(payload, NumberStyles.None, CultureInfo.InvariantCulture, out var seq)) return false;
            range = new CommitRange(seq, seq);
            return true;
        }

        if (!long.TryParse(payload.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out var from)
            || !long.TryParse(payload.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var to)
            || from > to)
        {
            return false;
        }

        range = new CommitRange(from, to);
        return true;
    }
}
