using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;

namespace Caucus.Web.Tests.Infrastructure;

/// <summary>
/// The API serving the pages on a real loopback port, in Production mode, on a fresh SQLite file
/// (as tests/Caucus.Api.Tests' ApiFactory does). The port is chosen once, so the server can be stopped
/// and started again at the same address: the browser's origin, and with it its localStorage, stays the same.
/// The election is Iowa's (the default) unless a shipped election is named (<see cref="NevadaWebHost"/>).
/// </summary>
public class WebHost : IAsyncLifetime, IAsyncDisposable
{
    public const string AdminToken = "adm_web-tests-admin-token";

    private readonly string? _electionPath;
    private readonly IReadOnlyDictionary<string, string?> _extraSettings;

    public WebHost() : this(election: null)
    {
    }

    /// <param name="election">A shipped election's name (a folder under the output's elections/), or null for the default.</param>
    /// <param name="settings">Configuration over the defaults (e.g. <c>Caucus:PublicResults</c>, as <c>--demo</c> sets it).</param>
    protected WebHost(string? election, IReadOnlyDictionary<string, string?>? settings = null)
    {
        _extraSettings = settings ?? new Dictionary<string, string?>();
        if (election is null) return;
        _electionPath = Path.Combine(AppContext.BaseDirectory, "elections", election);
        if (!Directory.Exists(_electionPath)) throw new InvalidOperationException($"No shipped election {election} at {_electionPath}.");
    }

    /// <summary>The election folder the server loads (its published results are read from here too).</summary>
    public string ElectionFolder => Caucus.Api.Elections.ElectionSource.Folder(_electionPath);

    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"caucus-web-{Guid.NewGuid():N}");
    private readonly int _port = FreePort();
    private Factory? _factory;

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        Start();
        return Task.CompletedTask;
    }

    public Uri BaseAddress => new($"http://127.0.0.1:{_port}/");

    public bool Running => _factory is not null;

    public void Start()
    {
        if (_factory is not null) throw new InvalidOperationException("Already running.");
        _factory = new Factory(Path.Combine(_directory, "caucus.db"), _port, _electionPath, _extraSettings);
        _factory.StartServer();
    }

    public async Task StopAsync()
    {
        if (_factory is null) return;
        await _factory.DisposeAsync();
        _factory = null;
    }

    public HttpClient Client(string? token = AdminToken)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        if (token is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>A fresh token: role hotline, warroom, admin, or precinct with its precinct id.</summary>
    public async Task<string> IssueTokenAsync(string role, string? precinct = null)
    {
        using var client = Client();
        using var response = await client.PostAsJsonAsync("api/v1/admin/tokens", new { role, precinct });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }

    /// <summary>A report that must be stored and counted: 201.</summary>
    public async Task<JsonElement> SubmitAsync(string token, string precinct, string body)
    {
        var (status, json) = await PostReportAsync(token, precinct, body);
        Assert.True(status == HttpStatusCode.Created, $"{(int)status}: {json}");
        return json;
    }

    /// <summary>A report and whatever the server answers (e.g. 202 for one held out of the totals).</summary>
    public async Task<(HttpStatusCode Status, JsonElement Json)> PostReportAsync(string token, string precinct, string body)
    {
        using var client = Client(token);
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await client.PostAsync($"api/v1/precincts/{Uri.EscapeDataString(precinct)}/reports", content);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }

    public async Task<JsonElement> GetAsync(string path, string? token = AdminToken)
    {
        using var client = Client(token);
        return (await client.GetFromJsonAsync<JsonElement>(path)).Clone();
    }

    public async Task DisposeAsync()
    {
        await StopAsync();
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
    }

    async ValueTask IAsyncDisposable.DisposeAsync()
    {
        await DisposeAsync();
        GC.SuppressFinalize(this);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed class Factory : WebApplicationFactory<Program>
    {
        private readonly Dictionary<string, string?> _settings;

        public Factory(string databasePath, int port, string? electionPath, IReadOnlyDictionary<string, string?> extra)
        {
            _settings = new Dictionary<string, string?>(StringComparer.Ordinal)
            {
                ["Caucus:Store"] = "sqlite",
                ["ConnectionStrings:Caucus"] = $"Data Source={databasePath}",
                ["CAUCUS_ADMIN_TOKEN"] = AdminToken,
                ["Caucus:FailedAuthLimit"] = "1000000",
                // The page tests compare a page with the results document read right after their posts: a young snapshot
                // (the shipped 25 ms) may still be a version behind, which is the snapshot's contract, tested in
                // Caucus.Api.Tests, not the pages'. Here every read is the current version.
                ["Caucus:SnapshotMaxAgeMilliseconds"] = "0",
                ["Logging:LogLevel:Default"] = "Warning",
                ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
            };
            if (electionPath is not null) _settings["Caucus:ElectionPath"] = electionPath;
            foreach (var (key, value) in extra) _settings[key] = value;
            UseKestrel(options => options.Listen(IPAddress.Loopback, port));
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Production");
            foreach (var (key, value) in _settings) builder.UseSetting(key, value);
            builder.ConfigureAppConfiguration(config => config.AddInMemoryCollection(_settings));
        }
    }
}

/// <summary>The server on the Nevada 2020 election (county convention delegates, early-vote cards, card draws).</summary>
public sealed class NevadaWebHost() : WebHost("nevada-2020");

/// <summary>
/// Iowa with results readable without a token and marked as a rehearsal: what <c>--demo</c> sets (Demo/DemoExtensions.cs)
/// besides replaying the night, so the war room can be opened as a newcomer opens the demo's.
/// </summary>
public sealed class DemoReadsWebHost() : WebHost(null, new Dictionary<string, string?> { ["Caucus:PublicResults"] = "true", ["Caucus:Test"] = "true" });

/// <summary>Iowa with the generic SMS gateway configured (its shared secret): texts and worksheet photos.</summary>
public sealed class SmsWebHost() : WebHost(null, new Dictionary<string, string?> { ["Caucus:Sms:SharedSecret"] = SmsWebHost.SharedSecret })
{
    public const string SharedSecret = "web-tests-gateway-secret";
}

/// <summary>
/// A night set up as the README's walk-through does it: a small county party's hand-written precinct list made into an
/// election folder by <c>caucus election new</c>'s core (<see cref="Caucus.Core.Definitions.PartyPrecinctList"/>).
/// </summary>
public sealed class NewElectionWebHost() : WebHost(NewElectionFolder.Create());

public static class NewElectionFolder
{
    /// <summary>The walk-through's precinct list, as README.md prints it.</summary>
    public const string Csv = """
        county,precinct,delegates,stateDelegates
        Story,Ames 1-1,6,40
        Story,Ames 1-2,5,40
        Story,Ames 2-1,7,40
        Story,Nevada 1,4,40
        Boone,Boone 1,5,12
        Boone,Boone 2,3,12
        """;

    public static string Create()
    {
        var problems = new List<Caucus.Core.Definitions.DefinitionProblem>();
        var files = Caucus.Core.Definitions.PartyPrecinctList.Build("precincts-2028.csv", Csv,
            new("story-2028", "Story and Boone Counties 2028", "iowa-2020", ["Harris", "Buttigieg", "Klobuchar", "Uncommitted"], "19"), problems)
            ?? throw new InvalidOperationException(string.Join("\n", problems));
        var folder = Directory.CreateTempSubdirectory("caucus-story-2028-").FullName;
        foreach (var (name, text) in files) File.WriteAllText(Path.Combine(folder, name), text);
        return folder;
    }
}
