using Caucus.Cli.Commands;

namespace Caucus.Cli.Tests;

/// <summary>`caucus election check` accepts the shipped secret-ballot folder (elections/iowa-gop-2024).</summary>
public sealed class SecretBallotFolderCheckTests
{
    [Fact]
    public void Election_check_accepts_the_iowa_gop_2024_folder_with_its_99_units()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var folder = new DirectoryInfo(Path.Combine(AppContext.BaseDirectory, "elections", "iowa-gop-2024"));
        Assert.Equal(0, ElectionCommand.Check(folder, stdout, stderr));
        Assert.Contains("2024 Iowa Republican Caucuses (iowa-gop-2024), rule set secret-ballot, 6 candidates, 99 counties, 99 precincts",
            stdout.ToString(), StringComparison.Ordinal);
    }
}
