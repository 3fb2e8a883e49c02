using Caucus.Core.Definitions;

namespace Caucus.Cli.Tests;

public class ElectionFolderTests
{
    [Fact]
    public void A_missing_folder_is_refused_by_the_cli_loader()
    {
        var e = Assert.Throws<ElectionDefinitionException>(() => ElectionFolder.Load(Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"))));
        Assert.Equal(ElectionDefinition.ElectionFile, e.File);
    }

    [Fact]
    public void The_shipped_iowa_folder_loads_from_beside_the_binary()
    {
        var election = ElectionFolder.Load(null);
        Assert.Equal(1_678 + 87, election.Precincts.Length);
    }
}
