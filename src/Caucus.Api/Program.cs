using System.Security.Cryptography;
using Caucus.Api.Admin;
using Caucus.Api.Audit;
using Caucus.Api.Auth;
using Caucus.Api.Elections;
using Caucus.Api.Infrastructure;
using Caucus.Api.Precincts;
using Caucus.Api.Reports;
using Caucus.Api.Results;
using Caucus.Api.Storage;
using Caucus.Api.Stream;

if (args is ["--healthcheck", ..]) return await HealthProbe.RunAsync(args);

var builder = WebApplication.CreateBuilder(args);

// A dev run without CAUCUS_ADMIN_TOKEN gets a fresh admin token, printed once at start-up.
var generatedAdminToken = string.IsNullOrEmpty(builder.Configuration["CAUCUS_ADMIN_TOKEN"])
    ? "adm_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20))
    : null;
if (generatedAdminToken is not null) builder.Configuration["CAUCUS_ADMIN_TOKEN"] = generatedAdminToken;

builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = 1024 * 1024);
builder.Services.AddProblemDetails();
builder.Services.AddExceptionHandler<ProblemExceptionHandler>();
builder.Services.AddOpenApi();
builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.CamelCase);
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton(sp => ElectionSource.Load(sp.GetRequiredService<IConfiguration>()));
builder.Services.AddSingleton(sp => new ResultsState(sp.GetRequiredService<Caucus.Core.Model.Election>(),
    sp.GetRequiredService<TimeProvider>(), builder.Configuration.GetValue("Caucus:Test", false)));
builder.Services.AddCaucusStore();
builder.Services.AddSingleton<ReportIngest>();
builder.Services.AddSingleton<RevisionFollower>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<RevisionFollower>());
builder.Services.AddCaucusAuth(builder.Configuration);

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseFailedAuthLimit();
app.UseRouting();
app.UsePrecinctIdDecoding();
app.UseAuthentication();
app.UseAuthorization();

app.MapOpenApi();
app.MapHealth();
var api = app.MapGroup("/api/v1");
api.MapElection();
api.MapGroup("/precincts").MapPrecincts();
api.MapGroup("/precincts").MapReports();
api.MapResults();
api.MapGroup("/admin").MapAdmin();
api.MapGroup("/audit").MapAudit();
api.MapStream();

app.Lifetime.ApplicationStarted.Register(() =>
{
    var election = app.Services.GetRequiredService<Caucus.Core.Model.Election>();
    Console.WriteLine($"Caucus is counting '{election.Name}' ({election.Precincts.Length} precincts and satellites), " +
        $"store: {app.Configuration["Caucus:Store"] ?? "sqlite"}.");
    var addresses = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
        .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()?.Addresses ?? app.Urls;
    Console.WriteLine($"Listening on {string.Join(", ", addresses)}  (health: /healthz, OpenAPI: /openapi/v1.json)");
    Console.WriteLine(generatedAdminToken is null
        ? "Admin token: the value of CAUCUS_ADMIN_TOKEN."
        : $"Admin token for this run: {generatedAdminToken}  (set CAUCUS_ADMIN_TOKEN to choose your own)");
});

await app.RunAsync();
return 0;

public partial class Program;
