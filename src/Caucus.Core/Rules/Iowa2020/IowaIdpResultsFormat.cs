using Caucus.Core.Model;
using Caucus.Core.Verification;

namespace Caucus.Core.Rules.Iowa2020;

/// <summary>The Iowa Democratic Party's 2020 results file (<see cref="PublishedResults"/>), recomputed by <see cref="PublishedResultsVerifier"/>.</summary>
public sealed class IowaIdpResultsFormat : IPublishedResultsFormat
{
    public static IowaIdpResultsFormat Instance { get; } = new();

    private IowaIdpResultsFormat()
    {
    }

    public string Description => "the 2020 IDP format (three header rows; first, final expression and SDEs per group)";

    public string VerdictColumn => "status";

    public VerificationReport Verify(Election election, string text) => PublishedResultsVerifier.Verify(election, text);
}
