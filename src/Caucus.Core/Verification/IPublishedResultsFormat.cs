using Caucus.Core.Model;

namespace Caucus.Core.Verification;

/// <summary>
/// A party's published results file and how to recompute it: each rule set's contest published its night in its own
/// shape (Iowa's wide IDP file with SDEs, Nevada's long file one row per candidate with county delegates), so reading
/// it belongs beside the rule set, and `caucus verify` only prints the <see cref="VerificationReport"/>.
/// </summary>
public interface IPublishedResultsFormat
{
    /// <summary>What the format is, for `caucus verify --help` and errors.</summary>
    string Description { get; }

    /// <summary>The CSV column holding a precinct's verdict (Iowa's output has called it <c>status</c> since it shipped).</summary>
    string VerdictColumn { get; }

    /// <summary>Recomputes <paramref name="text"/> under <paramref name="election"/>'s rule set. Total: unreadable rows are errors in the report.</summary>
    VerificationReport Verify(Election election, string text);
}
