using Caucus.Web.Tests.Infrastructure;

namespace Caucus.Web.Tests;

public sealed class SecurityHeaderTests(WebHost host) : IClassFixture<WebHost>
{
    [Theory]
    [InlineData("/")]
    [InlineData("/hotline")]
    [InlineData("/report")]
    [InlineData("/js/warroom.js")]
    [InlineData("/css/site.css")]
    public async Task Every_page_and_file_is_served_with_the_security_headers(string path)
    {
        using var client = host.Client(token: null);
        using var response = await client.GetAsync(path);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
    }

    [Fact]
    public async Task The_pages_hold_no_inline_script_or_style()
    {
        using var client = host.Client(token: null);
        foreach (var path in new[] { "/", "/hotline", "/report" })
        {
            var html = await client.GetStringAsync(path);
            Assert.DoesNotContain("style=", html, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotMatch("<script(?![^>]*\\ssrc=)", html);
        }
    }
}
