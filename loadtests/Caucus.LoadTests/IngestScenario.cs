using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Caucus.LoadTests;

/// <summary>
/// The reporting wave: report POSTs to distinct precincts in a seeded order (cycling when the run needs more
/// than there are precincts), each with its own Idempotency-Key; a share of duplicate retries (the key and body
/// of an acknowledged report: expect 201 with Idempotent-Replayed: true and the original revision) and of
/// corrections (a new report to an already reported precinct: expect 201).
/// </summary>
internal sealed class IngestScenario(double rate, Options options) : Scenario("ingest", rate)
{
    private const int RememberedAcks = 4096;

    private readonly Random random = new(options.Seed);
    private readonly string runId = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()[..4]);
    private readonly Lock gate = new();
    private readonly List<Ack> acknowledged = [];
    private readonly List<string> reportedPrecincts = [];
    private readonly HashSet<string> reportedSet = new(StringComparer.Ordinal);
    private string[] candidates = [];
    private string[] order = [];
    private int alreadyReportedAtStart;
    private long nextFirst;
    private long planned, plannedDuplicates, plannedCorrections;

    private sealed record Ack(string Precinct, string Key, string Body, int Revision);

    private enum Kind { First, Correction, Duplicate }

    public override async Task InitAsync(HttpClient client, CancellationToken cancellationToken)
    {
        var election = await client.GetFromJsonAsync<JsonElement>("api/v1/election", cancellationToken);
        candidates = [.. election.GetProperty("candidates").EnumerateArray().Select(c => c.GetString()!)];
        var precincts = await client.GetFromJsonAsync<JsonElement>("api/v1/precincts", cancellationToken);
        var ids = new List<string>();
        foreach (var p in precincts.EnumerateArray())
        {
            var id = p.GetProperty("id").GetString()!;
            ids.Add(id);
            if (p.TryGetProperty("reported", out var r) && r.ValueKind == JsonValueKind.True)
            {
                alreadyReportedAtStart++;
                if (reportedSet.Add(id)) reportedPrecincts.Add(id);
            }
        }
        if (ids.Count == 0 || candidates.Length < 2) throw new InvalidOperationException("The API lists no precincts or candidates.");
        order = [.. ids];
        random.Shuffle(order);
    }

    public override IEnumerable<string> Notes()
    {
        yield return $"{order.Length} precincts and satellites listed by the API; {alreadyReportedAtStart} had already reported when the run started.";
        yield return $"Planned (warm-up included): {planned} requests = {planned - plannedDuplicates - plannedCorrections} reports in precinct order " +
            $"(distinct precincts: {Math.Min(nextFirst, order.Length)}{(nextFirst > order.Length ? $", cycled {nextFirst / (double)order.Length:0.0}x" : "")}), " +
            $"{plannedCorrections} corrections, {plannedDuplicates} duplicate retries.";
    }

    public override PlannedRequest Plan(long index)
    {
        planned++;
        var roll = random.NextDouble();
        Ack? duplicate = null;
        string? correctionOf = null;
        lock (gate)
        {
            if (roll < options.DuplicateShare && acknowledged.Count > 0) duplicate = acknowledged[random.Next(acknowledged.Count)];
            else if (roll < options.DuplicateShare + options.CorrectionShare && reportedPrecincts.Count > 0)
                correctionOf = reportedPrecincts[random.Next(reportedPrecincts.Count)];
        }
        if (duplicate is not null)
        {
            plannedDuplicates++;
            return (client, ct) => SendAsync(client, Kind.Duplicate, duplicate.Precinct, duplicate.Key, duplicate.Body, duplicate, ct);
        }
        var kind = correctionOf is null ? Kind.First : Kind.Correction;
        if (kind == Kind.Correction) plannedCorrections++;
        var precinct = correctionOf ?? order[nextFirst++ % order.Length];
        var body = Body(kind == Kind.Correction);
        var key = $"lt-{runId}-{index}";
        return (client, ct) => SendAsync(client, kind, precinct, key, body, null, ct);
    }

    private async Task<RequestResult> SendAsync(HttpClient client, Kind kind, string precinct, string key, string body, Ack? original,
        CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"api/v1/precincts/{Uri.EscapeDataString(precinct)}/reports")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Idempotency-Key", key);
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        var label = kind switch { Kind.First => "report", Kind.Correction => "correction", _ => "duplicate retry" };
        if (response.StatusCode != HttpStatusCode.Created) return RequestResult.Fail($"{label}: HTTP {(int)response.StatusCode}");
        var replayed = response.Headers.TryGetValues("Idempotent-Replayed", out var values) && values.Contains("true");
        int revision;
        try
        {
            using var doc = JsonDocument.Parse(bytes);
            revision = doc.RootElement.GetProperty("revision").GetInt32();
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return RequestResult.Fail($"{label}: 201 without a revision");
        }
        if (kind == Kind.Duplicate)
        {
            if (!replayed) return RequestResult.Fail("duplicate retry: no Idempotent-Replayed header");
            if (revision != original!.Revision) return RequestResult.Fail("duplicate retry: different revision");
            return RequestResult.Pass("duplicate retry: 201 replayed");
        }
        if (replayed) return RequestResult.Fail($"{label}: unexpectedly replayed");
        lock (gate)
        {
            var ack = new Ack(precinct, key, body, revision);
            if (acknowledged.Count < RememberedAcks) acknowledged.Add(ack);
            else acknowledged[Random.Shared.Next(RememberedAcks)] = ack;
            if (reportedSet.Add(precinct)) reportedPrecincts.Add(precinct);
        }
        return RequestResult.Pass($"{label}: 201");
    }

    /// <summary>
    /// A plausible precinct: 8–320 attendees split over 2–6 groups; groups under 15% realign to a viable one in
    /// the final alignment (or everyone joins the largest group if none is viable).
    /// </summary>
    private string Body(bool correction)
    {
        var attendees = random.Next(8, 321);
        var groups = candidates.ToArray();
        random.Shuffle(groups);
        groups = groups[..random.Next(2, Math.Min(6, groups.Length) + 1)];
        var weights = groups.Select(_ => random.NextDouble() + 0.05).ToArray();
        var sum = weights.Sum();
        var first = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var left = attendees;
        for (var i = 0; i < groups.Length; i++)
        {
            var n = i == groups.Length - 1 ? left : Math.Min(left, (int)Math.Round(attendees * weights[i] / sum));
            first[groups[i]] = n;
            left -= n;
        }
        var threshold = Math.Ceiling(attendees * 0.15);
        var viable = first.Where(g => g.Value >= threshold).Select(g => g.Key).ToList();
        if (viable.Count == 0) viable.Add(first.MaxBy(g => g.Value).Key);
        var final = viable.ToDictionary(g => g, g => first[g], StringComparer.Ordinal);
        foreach (var (group, n) in first.Where(g => !viable.Contains(g.Key)))
        {
            // Most realign; a few go home (final below first is allowed and common).
            var stay = n - random.Next(0, Math.Max(1, n / 5));
            final[viable[random.Next(viable.Count)]] += stay;
        }
        var document = new Dictionary<string, object>
        {
            ["attendees"] = attendees,
            ["first"] = first,
            ["final"] = new SortedDictionary<string, int>(final, StringComparer.Ordinal),
            ["source"] = "official",
        };
        if (correction) document["note"] = "load test: correction";
        return JsonSerializer.Serialize(document);
    }
}
