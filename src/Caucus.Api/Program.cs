using Caucus.Api;
using Caucus.Api.Admin;
using Caucus.Api.Audit;
using Caucus.Api.Auth;
using Caucus.Api.Demo;
using Caucus.Api.Elections;
using Caucus.Api.Export;
using Caucus.Api.Groups;
using Caucus.Api.Infrastructure;
using Caucus.Api.Precincts;
using Caucus.Api.Photos;
using Caucus.Api.Projection;
using Caucus.Api.Sms;
using Caucus.Api.Reports;
using Caucus.Api.Results;
using Caucus.Api.Review;
using Caucus.Api.Storage;
using Caucus.Api.Stream;

if (args is ["--healthcheck", ..]) return await HealthProbe.RunAsync(args);

// --election NAME|PATH: the election folder (Elections/). --demo [--demo-speed N]: the election's published night
// replayed against this instance, in test mode (Demo/).
WebApplicationBuilder builder;
string? generatedAdminToken;
try
{
    // Everything the binary ships (pages, settings, elections) is found beside it, whatever the working directory:
    // `dotnet /opt/caucus/Caucus.Api.dll` from anywhere serves the same pages as from its own folder.
    builder = WebApplication.CreateBuilder(new WebApplicationOptions
    {
        Args = ElectionSwitch.Translate(DemoExtensions.TranslateSwitches(args)),
        ContentRootPath = AppContext.BaseDirectory,
    });
    generatedAdminToken = builder.Configuration.EnsureAdminToken();
    builder.AddCaucusDemo();
}
catch (StartupRefusedException e)
{
    await Console.Error.WriteLineAsync(e.Message);
    return 2;
}

builder.Services.AddCaucusOptions(builder.Configuration);
builder.WebHost.ConfigureKestrel((context, k) =>
{
    k.Limits.MaxRequestBodySize = context.Configuration.ReadCaucusOptions().MaxRequestBodyBytes;
    k.AddServerHeader = false;
});
builder.Services.AddProblemDetails();
builder.Services.AddExceptionHandler<ProblemExceptionHandler>();
builder.Services.AddOpenApi();
builder.Services.AddCaucusHttpSecurity(builder.Configuration);
builder.Services.ConfigureHttpJsonOptions(o => ApiJson.Configure(o.SerializerOptions));
builder.Services.AddCaucusResults();
builder.Services.AddCaucusStore();
builder.Services.AddCaucusAuth();
builder.Services.AddCaucusRateLimits();
builder.Services.AddCaucusMetrics();
builder.Services.AddCaucusSms();

var app = builder.Build();

app.UseForwardedHeaders();
app.UseSecurityHeaders();
app.UseCaucusMetrics();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseWebPages();
app.UseRouting();
app.UseCaucusCors();
app.UsePrecinctIdDecoding();
app.UseAuthentication();
app.UseAuthorization();
app.UseRateLimiter();

if (app.Environment.IsDevelopment() || app.Services.GetRequiredService<CaucusOptions>().OpenApi) app.MapOpenApi();
app.MapHealth();
app.MapCaucusMetrics();
var api = app.MapGroup("/api/v1");
api.MapGroup("/me").MapMe();
api.MapGroup("/election").MapElection();
api.MapGroup("/election/map").MapElectionMap();
api.MapGroup("/precincts").MapPrecincts();
api.MapGroup("/precincts").MapReports();
api.MapGroup("/results").MapResults();
api.MapGroup("/changes").MapChanges();
api.MapGroup("/flags").MapFlags();
api.MapGroup("/projection").MapProjection();
api.MapGroup("/stream").MapStream();
api.MapGroup("/audit").MapAudit();
api.MapGroup("/admin").MapAdmin();
api.MapGroup("/admin/tokens").MapTokens();
api.MapGroup("/review").MapReview();
api.MapGroup("/groups").MapGroups();
api.MapGroup("/export").MapExport();
api.MapGroup("/sms").MapSms();
api.MapGroup("/precincts").MapPrecinctPhotos();
api.MapGroup("/photos").MapPhotos();

app.Lifetime.ApplicationStarted.Register(() => StartupBanner.Print(app, generatedAdminToken));

await app.RunAsync();
return 0;

public partial class Program;
