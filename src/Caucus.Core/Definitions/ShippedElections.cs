namespace Caucus.Core.Definitions;

/// <summary>
/// The election folders shipped with the build (copied from the repository's <c>elections/</c> into the output), by
/// name: the one home of the default the service and the CLI load when no election is named.
/// </summary>
public static class ShippedElections
{
    /// <summary>The folder under the build output that holds one folder per shipped election.</summary>
    public const string Folder = "elections";

    /// <summary>The election loaded when none is named; the first contest Caucus was built for.</summary>
    public const string Default = "iowa-2020";

    /// <summary>Where the shipped election of this name sits below <paramref name="baseDirectory"/> (the host's <c>AppContext.BaseDirectory</c>).</summary>
    public static string PathOf(string baseDirectory, string name)
    {
        ArgumentNullException.ThrowIfNull(baseDirectory);
        ArgumentException.ThrowIfNullOrEmpty(name);
        return Path.Combine(baseDirectory, Folder, name);
    }
}
