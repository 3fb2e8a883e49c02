using System.Diagnostics;
using System.Net;
using Caucus.Api.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Caucus.Api.Tests.Processes;

/// <summary>
/// The published build started from another directory, as an operator would (<c>dotnet /opt/caucus/Caucus.Api.dll</c>):
/// the pages, their scripts and the shipped election are found beside the binary, not in the working directory
/// (issue 22: they answered 404).
/// </summary>
[Collection(ApiProcessCollection.Name)]
public sealed class PublishedBuildTests(ITestOutputHelper output)
{
    [Fact]
    public async Task The_published_build_started_from_another_directory_serves_every_page_and_the_election()
    {
        var root = Directory.CreateTempSubdirectory("caucus-published-");
        try
        {
            var publish = Path.Combine(root.FullName, "opt", "caucus");
            var elsewhere = Directory.CreateDirectory(Path.Combine(root.FullName, "home", "operator")).FullName;
            await PublishAsync(publish);
            await using var api = await ApiProcess.StartAsync("published", "sqlite", $"Data Source={Path.Combine(elsewhere, "caucus.db")}",
                Api.AdminToken, workingDirectory: elsewhere, apiDll: Path.Combine(publish, "Caucus.Api.dll"));
            using var client = new HttpClient { BaseAddress = api.BaseAddress };
            foreach (var (path, marker) in ((string, string)[])[("/", "<html"), ("/hotline", "<html"), ("/report", "<html"), ("/admin", "<html"),
                ("/js/api.js", "export"), ("/css/site.css", "{")])
            {
                using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
                var body = await response.Content.ReadAsStringAsync();
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode}\n{api.Tail(20)}");
                Assert.Contains(marker, body, StringComparison.OrdinalIgnoreCase);
            }
            using var election = await client.GetAsync(new Uri("api/v1/election", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, election.StatusCode);
            Assert.Contains("Iowa", await election.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(elsewhere, "wwwroot")), "nothing is looked for in the working directory");
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    /// <summary><c>dotnet publish</c> of the API as this test run built it (no second build).</summary>
    private async Task PublishAsync(string directory)
    {
        var repo = ApiProcess.FindRepoRoot(AppContext.BaseDirectory);
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent?.Name ?? "Debug";
        var info = new ProcessStartInfo(ApiProcess.DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = repo,
        };
        foreach (var argument in (string[])["publish", Path.Combine("src", "Caucus.Api", "Caucus.Api.csproj"), "-c", configuration,
            "--no-build", "-o", directory, "-nologo", "-v", "q"]) info.ArgumentList.Add(argument);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        output.WriteLine(await stdout + await stderr);
        Assert.True(process.ExitCode == 0, $"dotnet publish exited {process.ExitCode}: {await stdout}{await stderr}");
    }
}
