using System.Net;
using Caucus.LoadTests.Framework;

namespace Caucus.LoadTests.Night;

/// <summary>The caucus-night scenarios, each a <see cref="ScenarioProps"/> built the NBomber way.</summary>
public static class NightScenarios
{
    private enum Kind { Report, Correction, Duplicate }

    private sealed record PlanItem(Kind Kind, string Precinct, string Key, string Body, int Original)
    {
        public TaskCompletionSource<ReportSender.Sent?> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>
    /// The wave's shape, compressed to <paramref name="minutes"/>: a ramp over the first quarter (the rate rises
    /// linearly to the peak), the peak for the middle half (the night's 30-minute peak of a 60-minute wave: about
    /// two thirds of the reports), a tail over the last quarter (down to nothing). Rates are per 10 s so that a
    /// long, gentle wave still has whole numbers.
    /// </summary>
    public static LoadSimulation[] WaveShape(int requests, double minutes)
    {
        var seconds = minutes * 60;
        var peakPer10s = Math.Max(1, (int)Math.Round(requests / (0.75 * seconds) * 10));
        var tenSeconds = TimeSpan.FromSeconds(10);
        return
        [
            Simulation.RampingInject(peakPer10s, tenSeconds, TimeSpan.FromSeconds(seconds / 4)),
            Simulation.Inject(peakPer10s, tenSeconds, TimeSpan.FromSeconds(seconds / 2)),
            Simulation.RampingInject(0, tenSeconds, TimeSpan.FromSeconds(seconds / 4)),
        ];
    }

    /// <summary>
    /// The reporting wave: one first report per precinct (all but the hotline's), in a seeded order, each with its own
    /// Idempotency-Key; corrections (a new report, new key, to an already reported precinct) and duplicate retries
    /// (the same key and body as an acknowledged report: expect 201, Idempotent-Replayed: true and the original
    /// revision). A retry or correction is planned at least 50 slots after its original and, like a client that
    /// retries after its answer was lost, is sent only once the original was answered.
    /// </summary>
    public static ScenarioProps Wave(string name, Election election, IReadOnlyList<string> precincts, ReportSender sender, string runId, int seed,
        double minutes, double correctionShare, double duplicateShare)
    {
        var firsts = precincts.Count;
        var wanted = (int)Math.Round(firsts * (1 + correctionShare + duplicateShare));
        var shape = WaveShape(wanted, minutes);
        var total = Schedule.DueSeconds(shape).Length;
        var random = new Random(seed);
        var duplicates = Math.Min((int)Math.Round(firsts * duplicateShare), Math.Max(0, total - firsts));
        var corrections = Math.Max(0, total - firsts - duplicates);
        var items = new List<(double Order, PlanItem Item)>();
        double spacing = total / (double)Math.Max(1, firsts), gap = 50;
        for (var i = 0; i < Math.Min(firsts, total); i++)
        {
            items.Add((i * spacing, new PlanItem(Kind.Report, precincts[i], $"{runId}-w{i}", election.Body(random, "official"), -1)));
        }
        for (var e = 0; e < duplicates + corrections; e++)
        {
            var original = random.Next(Math.Min(firsts, total));
            var order = original * spacing + gap + random.NextDouble() * total * 0.15;
            var o = items[original].Item;
            items.Add((order, e < duplicates
                ? new PlanItem(Kind.Duplicate, o.Precinct, o.Key, o.Body, original)
                : new PlanItem(Kind.Correction, o.Precinct, $"{runId}-c{e}", election.Body(random, "official", "load test: correction"), original)));
        }
        var firstItems = items.Take(Math.Min(firsts, total)).Select(x => x.Item).ToArray();
        var plan = items.OrderBy(x => x.Order).Select(x => x.Item).ToArray();

        return Scenario.Create(name, async context =>
        {
            var item = plan[context.InvocationNumber];
            ReportSender.Sent? sent = null;
            try
            {
                if (item.Kind != Kind.Report)
                {
                    var original = await firstItems[item.Original].Done.Task.WaitAsync(context.ScenarioCancellationToken);
                    if (original?.Revision is null) return Response.Fail(item.Kind == Kind.Duplicate ? "duplicate" : "correction", "its original was not acknowledged");
                    sent = await sender.PostAsync(item.Precinct, item.Key, item.Body, null, context.ScenarioCancellationToken);
                    if (item.Kind == Kind.Duplicate)
                    {
                        if (sent.Status != HttpStatusCode.Created) return Response.Fail("duplicate", $"HTTP {(int)sent.Status}");
                        if (!sent.Replayed) return Response.Fail("duplicate", "no Idempotent-Replayed: true");
                        if (sent.Revision != original.Revision) return Response.Fail("duplicate", $"revision {sent.Revision}, original {original.Revision}");
                        return Response.Ok("duplicate: 201 replayed");
                    }
                }
                else
                {
                    sent = await sender.PostAsync(item.Precinct, item.Key, item.Body, null, context.ScenarioCancellationToken);
                }
                var label = item.Kind == Kind.Report ? "report" : "correction";
                if (sent.Status != HttpStatusCode.Created || sent.Revision is not { } revision) return Response.Fail(label, $"HTTP {(int)sent.Status}");
                if (sent.Replayed) return Response.Fail(label, "replayed a key never sent before");
                sender.Acks.Add(new Ack(item.Precinct, item.Key, revision, sent.AckTicks, name));
                return Response.Ok($"{label}: 201");
            }
            finally
            {
                item.Done.TrySetResult(sent);
            }
        }).WithLoadSimulations(shape);
    }

    /// <summary>The burst: a report for every precinct and satellite, all due within one second (new keys; corrections where already reported).</summary>
    public static ScenarioProps Burst(Election election, ReportSender sender, string runId, int seed)
    {
        var random = new Random(seed + 1);
        var order = election.Precincts.ToArray();
        random.Shuffle(order);
        var bodies = order.Select(_ => election.Body(random, "official", "load test: burst")).ToArray();
        return Scenario.Create("burst", async context =>
        {
            var i = (int)context.InvocationNumber;
            var key = $"{runId}-b{i}";
            var sent = await sender.PostAsync(order[i], key, bodies[i], null, context.ScenarioCancellationToken);
            if (sent.Status != HttpStatusCode.Created || sent.Revision is not { } revision) return Response.Fail("report", $"HTTP {(int)sent.Status}");
            sender.Acks.Add(new Ack(order[i], key, revision, sent.AckTicks, "burst"));
            return Response.Ok("report: 201");
        })
        .WithLoadSimulations(Simulation.Inject(order.Length, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)))
        .WithPlotBucket(TimeSpan.FromMilliseconds(100));
    }

    /// <summary>
    /// Sustained ingest: revisions to every precinct in turn (new keys; each a correction once the precinct has
    /// reported) at a fixed rate, for the issue's throughput target (durable reports per second at p99 with the
    /// listeners attached), beyond the 1,765 reports the night itself holds.
    /// </summary>
    public static ScenarioProps Ingest(Election election, ReportSender sender, string runId, int seed, int rate, TimeSpan during)
    {
        var random = new Random(seed + 2);
        var order = election.Precincts.ToArray();
        random.Shuffle(order);
        var bodies = Enumerable.Range(0, 4096).Select(_ => election.Body(random, "official", "load test: sustained ingest")).ToArray();
        return Scenario.Create("ingest", async context =>
        {
            var i = (int)context.InvocationNumber;
            var key = $"{runId}-i{i}";
            var precinct = order[i % order.Length];
            var sent = await sender.PostAsync(precinct, key, bodies[i % bodies.Length], null, context.ScenarioCancellationToken);
            if (sent.Status != HttpStatusCode.Created || sent.Revision is not { } revision) return Response.Fail("report", $"HTTP {(int)sent.Status}");
            sender.Acks.Add(new Ack(precinct, key, revision, sent.AckTicks, "ingest"));
            return Response.Ok("report: 201");
        })
        .WithLoadSimulations(Simulation.Inject(rate, TimeSpan.FromSeconds(1), during))
        .WithPlotBucket(TimeSpan.FromMilliseconds(250));
    }

    /// <summary>
    /// Hotline double entry: for each precinct, one operator enters the tally (expect 201 and
    /// <c>awaiting-second-entry</c>: stored, not counted), then a second operator with another credential enters
    /// the same numbers (expect 201 and <c>confirmed</c>: now it counts). One invocation is the pair.
    /// </summary>
    public static ScenarioProps Hotline(Election election, IReadOnlyList<string> precincts, ReportSender sender, string runId, int seed,
        (string First, string Second) operators, double minutes)
    {
        var random = new Random(seed + 2);
        var bodies = precincts.Select(_ => election.Body(random, "hotline")).ToArray();
        var during = TimeSpan.FromSeconds(minutes * 60);
        return Scenario.Create("hotline", async context =>
        {
            var i = (int)context.InvocationNumber;
            var one = await sender.PostAsync(precincts[i], $"{runId}-h{i}a", bodies[i], operators.First, context.ScenarioCancellationToken);
            if (one.Status != HttpStatusCode.Created || one.Revision is not { } r1) return Response.Fail("first entry", $"HTTP {(int)one.Status}");
            sender.Acks.Add(new Ack(precincts[i], $"{runId}-h{i}a", r1, one.AckTicks, "hotline"));
            if (one.DoubleEntry != "awaiting-second-entry") return Response.Fail("first entry", $"doubleEntry {one.DoubleEntry ?? "absent"}");
            var two = await sender.PostAsync(precincts[i], $"{runId}-h{i}b", bodies[i], operators.Second, context.ScenarioCancellationToken);
            if (two.Status != HttpStatusCode.Created || two.Revision is not { } r2) return Response.Fail("second entry", $"HTTP {(int)two.Status}");
            sender.Acks.Add(new Ack(precincts[i], $"{runId}-h{i}b", r2, two.AckTicks, "hotline"));
            if (two.DoubleEntry != "confirmed") return Response.Fail("second entry", $"doubleEntry {two.DoubleEntry ?? "absent"}");
            return Response.Ok("201 awaiting, 201 confirmed");
        }).WithLoadSimulations(Simulation.Inject(precincts.Count, during, during));
    }

    /// <summary>
    /// War-room polling of <paramref name="path"/> with If-None-Match of the last ETag seen: 200 (with an ETag)
    /// and 304 are both fine. A 200 without an ETag is counted as its own answer (the endpoint cannot do
    /// conditional GETs), and the projection's 503 before its first computation is its documented answer.
    /// </summary>
    public static ScenarioProps Polling(string name, HttpClient client, string path, int ratePerSecond, TimeSpan during, TimeSpan warmUp = default,
        bool conditional = true)
    {
        string? etag = null;
        return Scenario.Create(name, async context =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            var tag = Volatile.Read(ref etag);
            if (tag is not null && conditional) request.Headers.TryAddWithoutValidation("If-None-Match", tag);
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, context.ScenarioCancellationToken);
            await response.Content.ReadAsByteArrayAsync(context.ScenarioCancellationToken);
            switch (response.StatusCode)
            {
                case HttpStatusCode.OK:
                    if (response.Headers.TryGetValues("ETag", out var tags) && tags.FirstOrDefault() is { Length: > 0 } newTag)
                    {
                        Volatile.Write(ref etag, newTag);
                        return Response.Ok("200");
                    }
                    return Response.Ok("200 (no ETag)");
                case HttpStatusCode.NotModified:
                    return Response.Ok("304");
                case HttpStatusCode.ServiceUnavailable when name.Contains("projection", StringComparison.Ordinal):
                    return Response.Ok("503 (not computed yet)");
                default:
                    return Response.Fail($"HTTP {(int)response.StatusCode}");
            }
        })
        .WithLoadSimulations(Simulation.Inject(ratePerSecond, TimeSpan.FromSeconds(1), during + warmUp))
        .WithWarmUpDuration(warmUp);
    }
}
