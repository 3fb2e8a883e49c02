using Caucus.Api.Elections;
using Caucus.Api.Infrastructure;
using Caucus.Core.Model;
using Caucus.Core.Projection;
using Caucus.Core.Simulation;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Caucus.Api.Demo;

/// <summary>
/// Plays a caucus night against this instance, over real HTTP at its own address, in accelerated time: the
/// <see cref="DemoPlan"/> built from the results file the election folder names (<c>publishedResults</c> in
/// election.json, read in the rule set's published format), or where it names none from a <see cref="SyntheticNight"/>
/// of the folder, sent one request at a time when it is due (a step that falls behind is sent as soon as it can be; the
/// order never changes).
/// </summary>
public sealed class DemoNight(
    DemoOptions options,
    Election election,
    CaucusOptions caucusOptions,
    IHostApplicationLifetime lifetime,
    IServer server,
    IConfiguration configuration,
    TimeProvider clock,
    ILogger<DemoNight> logger) : BackgroundService
{
    /// <summary>The published results file in the election's folder, or null when its election.json names none.</summary>
    public static string? PublishedResultsPath(string folder, Election election)
    {
        ArgumentNullException.ThrowIfNull(election);
        return election.PublishedResultsFile is { } file ? Path.Combine(folder, file) : null;
    }

    /// <summary>
    /// The night the demo plays: the published results where the folder has them (<see cref="PublishedResultsPath"/>),
    /// otherwise <see cref="SyntheticNight"/> from <paramref name="seed"/> (the same night for the same folder and seed),
    /// with a few words saying which for the log.
    /// </summary>
    public static (IReadOnlyList<PublishedReport> Reports, string Night) Reports(string folder, Election election, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(election);
        if (PublishedResultsPath(folder, election) is { } path)
        {
            return (PublishedReports.Reports(election, File.ReadAllText(path)), $"published night ({election.PublishedResultsFile})");
        }
        var synthetic = SyntheticNight.Generate(election, seed);
        return (synthetic.Reports, $"synthetic night (seed {seed}: {synthetic.Region} leans to {synthetic.LeaningGroup}" +
            (synthetic.NewGroups.IsEmpty ? ")" : $"; groups named on the night: {string.Join(", ", synthetic.NewGroups)})"));
    }

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
        var (reports, night) = Reports(ElectionSource.Folder(caucusOptions.ElectionPath), election, options.Seed);
        var plan = DemoPlan.Build(election, reports, options.Seed);

        var address = OwnAddress();
        using var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            BaseAddress = address,
            Timeout = TimeSpan.FromSeconds(30),
        };
        var client = new DemoClient(http, configuration["CAUCUS_ADMIN_TOKEN"]
            ?? throw new InvalidOperationException("CAUCUS_ADMIN_TOKEN is not set (Program.cs sets it at start-up)."));
        if (!await client.IsHealthyAsync(stoppingToken)) throw new InvalidOperationException($"{address}healthz is not healthy after start-up.");
        var pairs = plan.OperatorPairs(caucusOptions.Limits.HotlineReportsPerMinute);
        await client.IssueOperatorsAsync(pairs, stoppingToken);

        logger.LogInformation(
            "Demo night: playing the {Night} of {Election} at {Speed}x ({Minutes:0.#} min): {Precincts} precincts{Satellites} in {Requests} requests " +
            "({Hotline} through the hotline, {Pairs} pairs of operators entering each twice, with {Typos} typos, {Captains} captains and chairs, {Official} official; " +
            "{Corrections} corrections, {Tosses} ties settled late, {Retries} retries). Watch {Results} (no token needed).",
            night, election.Name, options.Speed, DemoPlan.NightLength.TotalMinutes / options.Speed, plan.Precincts,
            plan.Satellites > 0 ? $" (of them {plan.Satellites} satellites)" : "", plan.Steps.Length, plan.Hotline, pairs, plan.Typos,
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
                    "{Pending} ties pending, status {Status}; {Sent} requests sent, {Replayed} answered as replays, {Failed} refused",
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
