using Caucus.Api.Demo;
using Caucus.Api.Elections;
using Caucus.Api.Infrastructure;

namespace Caucus.Api.Tests.Demo;

/// <summary><c>--election NAME|PATH</c>: a shipped name, a folder, and the refusals a newcomer would meet.</summary>
public sealed class ElectionSwitchTests
{
    [Fact]
    public void A_bare_name_becomes_the_shipped_folder_of_that_name_with_or_without_the_demo()
    {
        var nevada = ElectionSource.ShippedPath("nevada-2020");
        Assert.True(File.Exists(Path.Combine(nevada, "election.json")), nevada);
        Assert.Equal(["--Caucus:Demo:Enabled=true", $"--Caucus:ElectionPath={nevada}", "--urls", "http://127.0.0.1:5077"],
            ElectionSwitch.Translate(DemoExtensions.TranslateSwitches(["--demo", "--election", "nevada-2020", "--urls", "http://127.0.0.1:5077"])));
        Assert.Equal([$"--Caucus:ElectionPath={nevada}"], ElectionSwitch.Translate(["--election=nevada-2020"]));
        Assert.Equal(["--urls", "http://127.0.0.1:5077"], ElectionSwitch.Translate(["--urls", "http://127.0.0.1:5077"]));
    }

    [Fact]
    public void A_path_is_the_working_directorys_made_absolute()
    {
        // Relative to where the command was typed, not to the content root (the binary's folder).
        var folder = Path.GetRelativePath(Environment.CurrentDirectory, ElectionSource.ShippedPath("iowa-2020"));
        Assert.Contains(Path.DirectorySeparatorChar, folder);
        Assert.False(Path.IsPathRooted(folder));
        Assert.Equal([$"--Caucus:ElectionPath={Path.GetFullPath(folder)}"], ElectionSwitch.Translate(["--election", folder]));
    }

    [Fact]
    public void An_unknown_name_is_refused_with_the_shipped_elections_listed()
    {
        var refused = Assert.Throws<StartupRefusedException>(() => ElectionSwitch.Translate(["--election", "nevada-2021"]));
        Assert.Contains("--election nevada-2021", refused.Message, StringComparison.Ordinal);
        Assert.Contains("iowa-2020, iowa-gop-2024, mn-dfl-example, nevada-2020", refused.Message, StringComparison.Ordinal);

        var empty = Directory.CreateTempSubdirectory("caucus-no-election-");
        try
        {
            var noElection = Assert.Throws<StartupRefusedException>(() => ElectionSwitch.Translate([$"--election={empty.FullName}"]));
            Assert.Contains("no election.json", noElection.Message, StringComparison.Ordinal);
        }
        finally
        {
            empty.Delete();
        }
        Assert.Throws<StartupRefusedException>(() => ElectionSwitch.Translate(["--election"]));
    }
}
