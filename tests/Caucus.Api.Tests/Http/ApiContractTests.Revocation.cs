using System.Diagnostics;
using System.Net;
using Caucus.Api.Tests.Infrastructure;

namespace Caucus.Api.Tests.Http;

/// <summary>Revoking credentials (issue 19): refused at once, idempotent, listed, in the audit trail, streams closed.</summary>
public abstract partial class ApiContractTests
{
    private static string TokenPath(string id) => "/api/v1/admin/tokens/" + Uri.EscapeDataString(id);

    [Fact]
    public async Task A_revoked_credential_is_refused_401_on_its_next_request()
    {
        var (token, id) = await Api.IssueCredentialAsync("warroom");
        AssertStatus(HttpStatusCode.OK, await Api.GetAsync("/api/v1/results", token));

        AssertStatus(HttpStatusCode.OK, await Api.DeleteAsync(TokenPath(id)));

        var refused = await Api.GetAsync("/api/v1/results", token);
        AssertStatus(HttpStatusCode.Unauthorized, refused);
        Assert.Equal("Bearer error=\"invalid_token\"", refused.Header("WWW-Authenticate"));
    }

    [Fact]
    public async Task A_revoked_hotline_credential_s_later_reports_are_refused_401()
    {
        const string precinct = "clayton/lodomillo";
        var (hotline, id) = await Api.IssueCredentialAsync("hotline");
        await Accepted(precinct, SimpleReport("hotline"), hotline);

        AssertStatus(HttpStatusCode.OK, await Api.DeleteAsync(TokenPath(id)));

        AssertStatus(HttpStatusCode.Unauthorized, await Api.PostReportAsync(precinct, SimpleReport("hotline", 13, 7), hotline));
        AssertStatus(HttpStatusCode.Unauthorized, await Api.PostAsync(ApiClient.PrecinctPath(precinct) + "/preview", SimpleReport("hotline"), hotline));
        // Only the one revision from before the revocation is stored.
        Assert.Single(await host.StoredBodiesAsync(precinct));
    }

    [Fact]
    public async Task Revoking_twice_answers_the_first_revocation_an_unknown_id_is_404_and_the_environment_admin_409()
    {
        var (_, id) = await Api.IssueCredentialAsync("hotline");
        var first = await Api.DeleteAsync(TokenPath(id));
        AssertStatus(HttpStatusCode.OK, first);
        Assert.Equal(id, first.Json.GetProperty("id").GetString());
        Assert.Equal("env-admin", first.Json.GetProperty("revokedBy").GetString());
        Assert.NotEqual(System.Text.Json.JsonValueKind.Null, first.Json.GetProperty("revokedAt").ValueKind);

        // Another admin revoking it again: the same answer, the first revocation's time and author.
        var other = await Api.IssueTokenAsync("admin");
        var again = await Api.DeleteAsync(TokenPath(id), other);
        AssertStatus(HttpStatusCode.OK, again);
        Assert.Equal(first.Text, again.Text);
        Assert.Equal(1, await host.ScalarAsync("SELECT COUNT(*) FROM token_revocations WHERE token_id = @id", new { id }));

        var unknown = await Api.DeleteAsync(TokenPath("tok_nobody"));
        AssertStatus(HttpStatusCode.NotFound, unknown);
        Assert.StartsWith("application/problem+json", unknown.Header("Content-Type"));
        Assert.Contains("tok_nobody", unknown.Json.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var environment = await Api.DeleteAsync(TokenPath("env-admin"));
        AssertStatus(HttpStatusCode.Conflict, environment);
        Assert.Contains("CAUCUS_ADMIN_TOKEN", environment.Json.GetProperty("detail").GetString(), StringComparison.Ordinal);
        AssertStatus(HttpStatusCode.OK, await Api.GetAsync("/api/v1/results"));
    }

    [Fact]
    public async Task Admins_list_credentials_with_their_revocations_and_never_a_token_or_its_hash()
    {
        const string precinct = "clayton/grand-meadow";
        var (captain, captainId) = await Api.IssueCredentialAsync("precinct", precinct);
        var (warroom, warroomId) = await Api.IssueCredentialAsync("warroom");
        AssertStatus(HttpStatusCode.OK, await Api.DeleteAsync(TokenPath(captainId)));

        var list = await Api.GetAsync("/api/v1/admin/tokens");
        AssertStatus(HttpStatusCode.OK, list);
        var tokens = list.Json.GetProperty("tokens").EnumerateArray().ToList();
        var revoked = tokens.Single(t => t.GetProperty("id").GetString() == captainId);
        Assert.Equal("precinct", revoked.GetProperty("role").GetString());
        Assert.Equal(precinct, revoked.GetProperty("precinct").GetString());
        Assert.Equal("captain", revoked.GetProperty("source").GetString());
        Assert.Equal("env-admin", revoked.GetProperty("revokedBy").GetString());
        Assert.NotEqual(System.Text.Json.JsonValueKind.Null, revoked.GetProperty("revokedAt").ValueKind);
        var working = tokens.Single(t => t.GetProperty("id").GetString() == warroomId);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, working.GetProperty("revokedAt").ValueKind);
        Assert.NotEqual(System.Text.Json.JsonValueKind.Null, working.GetProperty("issuedAt").ValueKind);
        Assert.DoesNotContain(captain, list.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(warroom, list.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(warroom))),
            list.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("hash", list.Text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Revoking_a_precinct_credential_is_in_that_precinct_s_audit_trail()
    {
        const string precinct = "clayton/buena-vista";
        var (_, id) = await Api.IssueCredentialAsync("precinct", precinct);
        var admin = await Api.IssueCredentialAsync("admin");
        AssertStatus(HttpStatusCode.OK, await Api.DeleteAsync(TokenPath(id), admin.Token));

        var revocation = Assert.Single((await Audit(precinct)).GetProperty("revocations").EnumerateArray());
        Assert.Equal(id, revocation.GetProperty("tokenId").GetString());
        Assert.Equal(admin.Id, revocation.GetProperty("revokedBy").GetString());
        Assert.NotEqual(System.Text.Json.JsonValueKind.Null, revocation.GetProperty("revokedAt").ValueKind);
        Assert.Empty((await Audit("clayton/marion")).GetProperty("revocations").EnumerateArray());
    }

    [Fact]
    public async Task A_revoked_credential_s_open_stream_closes()
    {
        var (token, id) = await Api.IssueCredentialAsync("warroom");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/stream");
        request.Headers.Authorization = new("Bearer", token);
        using var response = await Api.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cts.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cts.Token));
        Assert.Equal("results", (await NextEventAsync(reader, cts.Token)).Event);

        AssertStatus(HttpStatusCode.OK, await Api.DeleteAsync(TokenPath(id)));

        // The server ends the response: the rest of the stream reads to its end (a keep-alive comes only every 15 s).
        var ended = Stopwatch.StartNew();
        await reader.ReadToEndAsync(cts.Token);
        Assert.True(ended.Elapsed < TimeSpan.FromSeconds(10), $"The stream ended {ended.Elapsed.TotalSeconds:0.0} s after the revocation.");
    }

    [Fact]
    public async Task A_revocation_stored_by_another_instance_is_found_by_the_poll()
    {
        // Written straight to the database, with no notification: what a lost NOTIFY looks like to this instance.
        var (token, id) = await Api.IssueCredentialAsync("warroom");
        AssertStatus(HttpStatusCode.OK, await Api.GetAsync("/api/v1/results", token));

        await host.ExecuteAsync("INSERT INTO token_revocations (token_id, revoked_by, revoked_at) VALUES (@id, 'tok_elsewhere', @at)",
            new { id, at = DateTime.UtcNow });

        var elapsed = await Processes.Api.PollAsync(async () => (await Api.GetAsync("/api/v1/results", token)).Status == HttpStatusCode.Unauthorized,
            TimeSpan.FromSeconds(15), TimeSpan.FromMilliseconds(50));
        Assert.True(elapsed is not null, "The revocation was not applied within 15 s.");
    }
}
