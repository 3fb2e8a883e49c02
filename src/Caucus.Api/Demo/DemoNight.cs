using Caucus.Api.Elections;
using Caucus.Core.Model;
using Caucus.Core.Projection;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Caucus.Api.Demo;

/// <summary>
/// Replays the 2020 night against this instance, over real HTTP at its own address, in accelerated time: the
/// <see cref="DemoPlan"/> built from the published 100% release shipped beside the election, sent one request at
/// a time when it is due (a step that falls behind is sent as soon as it can be; the order never changes).
/// </summary>
public sealed class DemoNight(
    DemoOptions options,
    Election election,
    IHostApplicationLifetime lifetime,
    IServer server,
    IConfiguration configuration,
    TimeProvider clock,
    ILogger<DemoNight> logger) : BackgroundService
{
    /// <summary>The 100% release, copied into the election folder by <c>tools/derive-iowa-2020.py</c> (MIT, its licence beside it).</summary>
    public const string PublishedResultsFile = "idp-results-2020-02-08-100pct.csv";

    private const int MaxLoggedFailures = 5;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The server stops listening before hosted services are told to stop: end the replay as shutdown begins,
        // not with requests refused on the way out.
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, lifetime.ApplicationStopping);
        try
        {
            await ReplayAsync(stopping.Token);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            logger.LogInformation("Demo night stopped.");
        }
        catch (Exception e)
        {
            // The service itself goes on serving what was replayed so far.
            logger.LogError(e, "Demo night could not go on");
        }
    }

    private async Task ReplayAsync(CancellationToken stoppingToken)
    {
        // The server's address is known, and the results rebuilt from the store, once the application has started.
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        {
            await started.Task.WaitAsync(stoppingToken);
        }
        var published = await File.ReadAllTextAsync(Path.Combine(ElectionSource.DefaultPath, PublishedResultsFile), stoppingToken);
        var plan = DemoPlan.Build(election, PublishedReports.Reports(election, published), options.Seed);

        var address = OwnAddress();
        using var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            BaseAddress = address,
            Timeout = TimeSpan.FromSeconds(30),
        };
        var client = new DemoClient(http, configuration["CAUCUS_ADMIN_TOKEN"]
            ?? throw new InvalidOperationException("CAUCUS_ADMIN_TOKEN is not set (Program.cs sets it at start-up)."));
        if (!await client.IsHealthyAsync(stoppingToken)) throw new InvalidOperationException($"{address}healthz is not healthy after start-up.");
        await client.IssueOperatorsAsync(stoppingToken);

        logger.LogInformation(
            "Demo night: replaying the 2020 caucus night at {Speed}x ({Minutes:0.#} min): {Precincts} precincts and satellites in {Requests} requests " +
            "({Hotline} through the hotline with double entry and {Typos} typos, {Captains} captains and chairs, {Official} official; " +
            "{Corrections} corrections, {Tosses} tosses recorded late, {Retries} retries). Watch {Results} (no token needed).",
            options.Speed, DemoPlan.NightLength.TotalMinutes / options.Speed, plan.Precincts, plan.Steps.Length, plan.Hotline, plan.Typos,
            plan.Captains, plan.Official, plan.Corrections, plan.Tosses, plan.Retries, new Uri(address, "api/v1/results"));

        var start = clock.GetTimestamp();
        int failed = 0, replayed = 0, tenths = 0;
        for (var i = 0; i < plan.Steps.Length; i++)
        {
            var step = plan.Steps[i];
            var wait = step.At / options.Speed - clock.GetElapsedTime(start);
            if (wait > TimeSpan.Zero) await Task.Delay(wait, clock, stoppingToken);

            DemoSent sent;
            try
            {
                sent = await client.SendAsync(step, stoppingToken);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !stoppingToken.IsCancellationRequested)
            {
                // A lost answer or a refused token: the night goes on, as it would on the phones.
                sent = new DemoSent(0, false, e.Message);
            }
            if (sent.Replayed) replayed++;
            if (!sent.Accepted && ++failed <= MaxLoggedFailures)
            {
                logger.LogWarning("Demo night: {Kind} for {Precinct} answered {Status}: {Problem}", step.Kind, step.Precinct, (int)sent.Status, sent.Problem);
            }
            if ((i + 1) * 10 / plan.Steps.Length > tenths)
            {
                tenths = (i + 1) * 10 / plan.Steps.Length;
                var reading = await client.ReadResultsAsync(stoppingToken);
                logger.LogInformation(
                    "Demo night {Percent}% ({Simulated:h\\:mm} into the night): {Reporting} of {Total} reporting, {Inconsistent} inconsistent, " +
                    "{Pending} tosses pending, status {Status}; {Sent} requests sent, {Replayed} answered as replays, {Failed} refused",
                    tenths * 10, step.At, reading.Reporting, reading.Total, reading.Inconsistent, reading.PendingTieBreaks, reading.Status,
                    i + 1, replayed, failed);
            }
        }
        logger.LogInformation("Demo night replayed in {Elapsed:0} s. The service keeps serving it; restart with --demo to replay it again.",
            clock.GetElapsedTime(start).TotalSeconds);
    }

    /// <summary>This server's own address (http preferred), with a wildcard host (<c>+</c>, <c>*</c>, <c>0.0.0.0</c>, <c>[::]</c>) read as loopback.</summary>
    private Uri OwnAddress()
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var chosen = addresses.OrderBy(a => a.StartsWith("http://", StringComparison.OrdinalIgnoreCase) ? 0 : 1).FirstOrDefault()
            ?? throw new InvalidOperationException("The server reports no address to replay the night against.");
        var builder = new UriBuilder(chosen.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal));
        if (builder.Host is "0.0.0.0") builder.Host = "127.0.0.1";
        else if (builder.Host is "[::]" or "::") builder.Host = "[::1]";
        builder.Path = "/";
        return builder.Uri;
    }
}
