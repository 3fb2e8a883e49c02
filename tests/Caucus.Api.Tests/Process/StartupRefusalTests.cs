using System.Diagnostics;
using Caucus.Api.Elections;
using Caucus.Api.Tests.Infrastructure;

namespace Caucus.Api.Tests.Processes;

/// <summary>A command line the service cannot serve stops it at start, with a message and exit code 2, before anything listens.</summary>
public sealed class StartupRefusalTests
{
    [Fact]
    public async Task An_unknown_election_name_stops_the_service_listing_the_shipped_elections()
    {
        var (exitCode, output) = await RunAsync(["--election", "nevada-2021"]);
        Assert.Equal(2, exitCode);
        Assert.Contains("--election nevada-2021: no election of that name is shipped; the shipped elections are iowa-2020, iowa-gop-2024, mn-dfl-example, nevada-2020", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_demo_of_an_election_naming_published_results_its_folder_does_not_hold_is_refused()
    {
        var folder = Directory.CreateTempSubdirectory("caucus-unpublished-");
        try
        {
            // election.json still names nv-caucus-results-2020-02-24.csv; the file is left behind.
            var shipped = ElectionSource.ShippedPath("nevada-2020");
            foreach (var file in (string[])["election.json", "counties.csv", "precincts.csv"]) File.Copy(Path.Combine(shipped, file), Path.Combine(folder.FullName, file));

            var (exitCode, output) = await RunAsync(["--demo", "--election", folder.FullName], workingDirectory: folder.FullName);
            Assert.Equal(2, exitCode);
            Assert.Contains("--demo: 2020 Nevada Democratic Caucuses", output, StringComparison.Ordinal);
            Assert.Contains("names the published results \"nv-caucus-results-2020-02-24.csv\" (\"publishedResults\"), which is not in the folder", output, StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(folder.FullName, "caucus-demo.db")), "the demo database is not touched");
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string[] arguments, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(ApiProcess.DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? AppContext.BaseDirectory,
        };
        info.ArgumentList.Add(ApiProcess.ApiDllPath);
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        info.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The service did not stop within 60 s: {await stdout}{await stderr}");
        }
        return (process.ExitCode, await stdout + await stderr);
    }
}
