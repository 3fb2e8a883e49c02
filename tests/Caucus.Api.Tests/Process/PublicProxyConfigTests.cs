using System.Diagnostics;
using System.Text.RegularExpressions;
using Caucus.Api.Tests.Infrastructure;

namespace Caucus.Api.Tests.Processes;

/// <summary>
/// deploy/nginx-public.conf, the public results proxy of docker-compose.yml: the caching the README promises is in the
/// file, and nginx accepts it (with the upstream names, which resolve only inside compose, replaced by loopback).
/// The load test's `public` command runs it for real (loadtests/reports/public-proxy.md).
/// </summary>
public sealed class PublicProxyConfigTests
{
    private static readonly string Repo = ApiProcess.FindRepoRoot(AppContext.BaseDirectory);
    private static readonly string Config = File.ReadAllText(Path.Combine(Repo, "deploy", "nginx-public.conf"));

    [Theory]
    [InlineData(@"proxy_cache_use_stale error timeout updating http_500 http_502 http_503 http_504;")]
    [InlineData(@"proxy_cache_background_update on;")]
    [InlineData(@"proxy_cache_lock on;")]
    [InlineData(@"proxy_cache_revalidate on;")]
    [InlineData(@"proxy_cache_bypass $caucus_credential;")]
    [InlineData(@"proxy_no_cache $caucus_credential;")]
    [InlineData(@"proxy_cache_key $uri;")]
    public void The_cached_location_has(string directive) => Assert.Contains(directive, Config, StringComparison.Ordinal);

    [Fact]
    public void Any_authorization_header_skips_the_cache_and_the_stream_is_unbuffered()
    {
        Assert.Matches(new Regex(@"map \$http_authorization \$caucus_credential \{\s*""""\s+0;\s*default\s+1;\s*\}"), Config);
        Assert.Matches(new Regex(@"location = /api/v1/stream \{[^}]*proxy_buffering off;[^}]*proxy_cache off;"), Config);
        Assert.DoesNotContain("$http_authorization", Regex.Match(Config, @"proxy_cache_key[^;]*;").Value, StringComparison.Ordinal);
    }

    [Fact]
    public void The_compose_file_runs_it_in_front_of_both_instances_with_public_results_on()
    {
        var compose = File.ReadAllText(Path.Combine(Repo, "docker-compose.yml"));
        Assert.Contains("./deploy/nginx-public.conf:/etc/nginx/nginx.conf:ro", compose, StringComparison.Ordinal);
        Assert.Contains("Caucus__PublicResults: \"true\"", compose, StringComparison.Ordinal);
        Assert.Contains("server api-1:8080;", Config, StringComparison.Ordinal);
        Assert.Contains("server api-2:8080;", Config, StringComparison.Ordinal);
    }

    /// <summary>Debian's nginx, installed the way the PostgreSQL tests install their server when it is missing.</summary>
    private static string Nginx()
    {
        const string nginx = "/usr/sbin/nginx";
        if (File.Exists(nginx)) return nginx;
        if (!Environment.IsPrivilegedProcess) throw new InvalidOperationException("nginx is not installed and the tests are not root: apt-get install nginx.");
        foreach (string[] arguments in (string[][])[["update"], ["install", "-y", "--no-install-recommends", "nginx"]])
        {
            using var apt = System.Diagnostics.Process.Start(new ProcessStartInfo("apt-get", arguments) { UseShellExecute = false })!;
            if (!apt.WaitForExit(TimeSpan.FromMinutes(10)) || apt.ExitCode != 0) throw new InvalidOperationException($"apt-get {string.Join(' ', arguments)} failed.");
        }
        return File.Exists(nginx) ? nginx : throw new InvalidOperationException("nginx installed but not at /usr/sbin/nginx.");
    }

    [Fact]
    public void Nginx_accepts_it()
    {
        var nginx = Nginx();
        var dir = Directory.CreateTempSubdirectory("caucus-nginx-").FullName;
        try
        {
            var text = Regex.Replace(Config, @"server api-\d:8080;", "server 127.0.0.1:1;")
                .Replace("listen 80;", "listen 127.0.0.1:1;", StringComparison.Ordinal)
                .Replace("/var/cache/nginx/caucus", Path.Combine(dir, "cache"), StringComparison.Ordinal)
                .Replace("/var/log/nginx/", dir + "/", StringComparison.Ordinal)
                .Replace("/run/nginx-public.pid", Path.Combine(dir, "nginx.pid"), StringComparison.Ordinal);
            var path = Path.Combine(dir, "nginx.conf");
            File.WriteAllText(path, text);
            using var process = System.Diagnostics.Process.Start(new ProcessStartInfo(nginx) { ArgumentList = { "-t", "-c", path }, RedirectStandardError = true, UseShellExecute = false })!;
            var output = process.StandardError.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, output);
            Assert.Contains("test is successful", output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
